// Tests that read ../shared (the public sample data and scenarios). They skip,
// visibly, when that folder is absent, as in a user's fresh clone.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "fake_gcp.h"
#include "test_util.h"

namespace lg::test {
namespace {

TEST(Shared, EveryGcpSampleDecodes) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: skipping the sample-data check";
  size_t files = 0;
  for (auto& f : std::filesystem::directory_iterator(shared + "/data/gcp-samples")) {
    const std::string ext = f.path().extension();
    if (ext != ".ndjson" && ext != ".json") continue;
    TempDir dir;
    CommandResult r = RunCommand(Binary() + " run --source " + Quote(f.path()) +
                                 " --since 1970-01-01T00:00:00Z --until 2100-01-01T00:00:00Z --dry-run -q" +
                                 " --tracker local:" + Quote(dir / "t.db") + " --json " + Quote(dir / "r.json"));
    EXPECT_EQ(r.exit_code, 0) << f.path() << ": " << r.output;
    ++files;
  }
  EXPECT_GE(files, 10u);
}

// The walking-skeleton contract on the public scenarios: no contract
// warnings, severity totals exact, every entry clustered, nothing out of scope,
// and a rerun changes nothing.
TEST(Shared, PublicScenariosMeetTheContract) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: skipping the scenario check";
  for (const char* name : {"p1", "p2", "p3"}) {
    const std::string sc = shared + "/scenarios/public/" + name;
    TempDir dir;
    CommandResult task = RunCommand(
        "python3 -c \"import json,sys;t=json.load(open(sys.argv[1]));print(t['service'],t['window']['start'],t['window']['end'])\" " +
        Quote(sc + "/task.json"));
    ASSERT_EQ(task.exit_code, 0) << task.output;
    std::istringstream in(task.output);
    std::string svc, start, end;
    in >> svc >> start >> end;
    ASSERT_EQ(RunCommand(Binary() + " issues import " + Quote(sc + "/issues.json") + " --tracker local:" + Quote(dir / "T.db")).exit_code, 0);
    std::string run = Binary() + " run --source file:" + Quote(sc + "/logs.ndjson") + " --service " + svc +
                      " --since " + start + " --until " + end + " --tracker local:" + Quote(dir / "T.db") +
                      " --state sqlite:" + Quote(dir / "S.db") + " --json " + Quote(dir / "OUT.json") +
                      " --worklog " + Quote(dir / "W") + " -q";
    CommandResult r = RunCommand(run);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    CommandResult score = RunCommand(
        "python3 " + Quote(shared + "/scenarios/score.py") + " --truth " + Quote(sc + "/truth.json") +
        " --result " + Quote(dir / "OUT.json") + " --json-out " + Quote(dir / "score.json") + " --quiet");
    ASSERT_EQ(score.exit_code, 0) << score.output;
    CommandResult check = RunCommand(
        "python3 -c \"import json,sys;s=json.load(open(sys.argv[1]));c=s['clustering'];"
        "print(len(s.get('contract_warnings',[])),s['severity_totals']['accuracy'],c['entry_recall'],"
        "c['out_of_scope_entries_included'],s['actions']['duplicate_creations'])\" " + Quote(dir / "score.json"));
    ASSERT_EQ(check.exit_code, 0) << check.output;
    std::istringstream sc_in(check.output);
    int warnings = -1, oos = -1, dups = -1;
    double sev = 0, recall = 0;
    sc_in >> warnings >> sev >> recall >> oos >> dups;
    EXPECT_EQ(warnings, 0) << name;
    EXPECT_DOUBLE_EQ(sev, 1.0) << name;
    EXPECT_DOUBLE_EQ(recall, 1.0) << name;
    EXPECT_EQ(oos, 0) << name;

    // Rerun: nothing new in the tracker.
    std::string before = RunCommand(Binary() + " issues export --tracker local:" + Quote(dir / "T.db")).output;
    ASSERT_EQ(RunCommand(run).exit_code, 0);
    std::string after = RunCommand(Binary() + " issues export --tracker local:" + Quote(dir / "T.db")).output;
    EXPECT_EQ(before, after) << name << ": a rerun of the same window changed the tracker";
  }
}

// Issue 6's acceptance: each public scenario served by the loopback Cloud
// Logging server (tests/fake_gcp/server.py, three pages per scenario) gives,
// with --source gcp:netra-staging, the same clusters, actions and totals as
// the same run over the file. The one honest difference: a live run's
// in_scope is null (the API returns only the severities asked for).
TEST(Shared, PublicScenariosReadLiveMatchTheFileRuns) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: skipping the live-source scenario check";
  for (const char* name : {"p1", "p2", "p3"}) {
    const std::string sc = shared + "/scenarios/public/" + name;
    TempDir dir;
    FakeGcp gcp(dir, sc + "/logs.ndjson", "--max-page 300");
    ASSERT_TRUE(gcp.ok()) << name;
    CommandResult task = RunCommand(
        "python3 -c \"import json,sys;t=json.load(open(sys.argv[1]));print(t['project'],t['service'],"
        "t['window']['start'],t['window']['end'])\" " + Quote(sc + "/task.json"));
    ASSERT_EQ(task.exit_code, 0) << task.output;
    std::istringstream in(task.output);
    std::string project, svc, start, end;
    in >> project >> svc >> start >> end;
    std::map<std::string, std::string> actions;
    for (const std::string kind : {"live", "file"}) {
      const std::string tracker = "local:" + Quote(dir / (kind + ".db"));
      ASSERT_EQ(RunCommand(Binary() + " issues import " + Quote(sc + "/issues.json") + " --tracker " + tracker).exit_code, 0);
      const std::string source = kind == "live" ? "gcp:" + project + " --gcp-logging-api " + gcp.api()
                                                : "file:" + Quote(sc + "/logs.ndjson");
      CommandResult r = RunCommand((kind == "live" ? gcp.Env() : std::string()) + Binary() + " run --source " + source +
                                   " --service " + svc + " --since " + start + " --until " + end + " --now " + end +
                                   " --tracker " + tracker + " --json " + Quote(dir / (kind + ".json")) + " -q");
      ASSERT_EQ(r.exit_code, 0) << name << " " << kind << ": " << r.output;
      actions[kind] = RunCommand(Binary() + " issues export --tracker " + tracker).output;
    }
    const Comparable live = LoadComparable(dir / "live.json"), file = LoadComparable(dir / "file.json");
    EXPECT_FALSE(live.clusters.empty()) << name;
    EXPECT_EQ(live.clusters, file.clusters) << name;
    EXPECT_EQ(live.fetched_severities, file.fetched_severities) << name;
    EXPECT_EQ(live.clustered, file.clustered) << name;
    EXPECT_TRUE(live.in_scope_null) << name;
    EXPECT_EQ(actions["live"], actions["file"]) << name << ": the trackers differ after the two runs";
  }
}

// The template miner's quality bar on Loghub-2k (issue: averages of at least
// GA 0.90, FGA 0.88, PA 0.70, FTA 0.65 on the corrected labels), measured by
// the benchmark kit's own evaluator with the same command docs/benchmarks.md
// gives; a regression in masking or mining fails here.
TEST(Shared, LoghubAccuracyMeetsTheBar) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared is absent: skipping the Loghub-2k accuracy check";
  TempDir dir;
  CommandResult r = RunCommand(
      "python3 " + Quote(shared + "/loghub-bench/evaluate.py") + " suite --data " +
      Quote(shared + "/data/loghub-2k") + " --gt-version corrected --pred-format tsv --workdir " +
      Quote(dir.path()) + " --cmd " +
      Quote(Binary() + " templates -q --per-line {output} {content} > /dev/null"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const size_t avg = r.output.find("| **Average** |");
  ASSERT_NE(avg, std::string::npos) << r.output;
  double ga = 0, pa = 0, fga = 0, fta = 0;
  ASSERT_EQ(std::sscanf(r.output.c_str() + avg, "| **Average** | %lf | %lf | %lf | %lf", &ga, &pa, &fga, &fta), 4)
      << r.output;
  EXPECT_GE(ga, 0.90) << r.output;
  EXPECT_GE(pa, 0.70) << r.output;
  EXPECT_GE(fga, 0.88) << r.output;
  EXPECT_GE(fta, 0.65) << r.output;
  EXPECT_EQ(r.output.find("command failed"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace lg::test
