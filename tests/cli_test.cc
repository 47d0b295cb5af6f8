// End-to-end tests of the log-gardener binary: exit codes, error messages,
// nothing partial written, idempotent reruns.
#include <gtest/gtest.h>

#include <algorithm>
#include <signal.h>
#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>
#include <filesystem>

#include "test_util.h"

namespace lg::test {
namespace {

const char* kGood =
    R"({"insertId":"a1","logName":"projects/p/logs/run.googleapis.com%2Fstderr","resource":{"type":"cloud_run_revision","labels":{"service_name":"api"}},"severity":"ERROR","textPayload":"Redis error 111 connecting to 10.0.0.1:6379","timestamp":"2025-09-15T15:10:00Z"})"
    "\n";

std::string RunArgs(const TempDir& dir, const std::string& source, const std::string& extra = "") {
  return Binary() + " run --source " + Quote(source) + " --service api --since 2025-09-15T15:00:00Z" +
         " --until 2025-09-15T16:00:00Z --now 2025-09-15T16:00:00Z --tracker local:" +
         Quote(dir / "t.db") + " --json " + Quote(dir / "out/result.json") + " --worklog " +
         Quote(dir / "out/worklogs") + " " + extra;
}

TEST(Cli, GoodRunWritesReportsAndRerunIsANoOp) {
  TempDir dir;
  WriteText(dir / "logs.ndjson", kGood);
  CommandResult r = RunCommand(RunArgs(dir, dir / "logs.ndjson"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 created"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/result.json"));
  EXPECT_EQ(CountFiles(dir / "out/worklogs"), 1u);
  CommandResult again = RunCommand(RunArgs(dir, dir / "logs.ndjson"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("0 created"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("1 already done"), std::string::npos) << again.output;
  CommandResult list = RunCommand(Binary() + " issues list --tracker local:" + Quote(dir / "t.db"));
  EXPECT_NE(list.output.find("1 issues"), std::string::npos) << list.output;
}

TEST(Cli, StdinSourceWorks) {
  TempDir dir;
  WriteText(dir / "logs.ndjson", kGood);
  CommandResult r = RunCommand("cat " + Quote(dir / "logs.ndjson") + " | " + RunArgs(dir, "-", "--dry-run"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("dry run"), std::string::npos);
}

struct BadCase {
  const char* name;
  std::string content;
  const char* expect;  // in the error message
};

TEST(Cli, BadInputExitsThreeNamingFileAndPositionAndWritesNothing) {
  const BadCase cases[] = {
      {"truncated-ndjson", std::string(kGood) + "{\"insertId\":\"a2\",\"timestamp\":\n", ":2"},
      {"cut-array", "[\n  {\"insertId\": \"x\"},\n  {\"insertId\": ", "unterminated object"},
      {"empty", "", "empty"},
      {"not-json", "plain text line\n", "found 'p'"},
      {"bad-timestamp", R"({"timestamp":"2025-13-45T00:00:00Z"})" "\n", "'timestamp'"},
      {"wrong-type", R"({"severity":["ERROR"]})" "\n", "'severity'"},
      {"invalid-utf8", "{\"textPayload\":\"\xff\xfe\"}\n", ":1"},
  };
  for (const BadCase& c : cases) {
    TempDir dir;
    std::string file = dir / (std::string(c.name) + ".json");
    WriteText(file, c.content);
    CommandResult r = RunCommand(RunArgs(dir, file));
    EXPECT_EQ(r.exit_code, 3) << c.name << ": " << r.output;
    EXPECT_NE(r.output.find(file), std::string::npos) << c.name << ": " << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << c.name << ": " << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "out")) << c.name << ": partial output written";
  }
}

TEST(Cli, DirectoryAndMissingFileExitThree) {
  TempDir dir;
  CommandResult d = RunCommand(RunArgs(dir, dir.path()));
  EXPECT_EQ(d.exit_code, 3) << d.output;
  EXPECT_NE(d.output.find("is a directory"), std::string::npos);
  CommandResult m = RunCommand(RunArgs(dir, dir / "nope.json"));
  EXPECT_EQ(m.exit_code, 3) << m.output;
  EXPECT_NE(m.output.find("nope.json"), std::string::npos);
}

TEST(Cli, SkipBadEntriesCountsAndReports) {
  TempDir dir;
  WriteText(dir / "logs.ndjson", std::string(kGood) + "{broken\n" + "[1]\n");
  CommandResult r = RunCommand(RunArgs(dir, dir / "logs.ndjson", "--skip-bad-entries"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("skipped 2 bad entries"), std::string::npos) << r.output;
  std::string json = Slurp(dir / "out/result.json");
  EXPECT_NE(json.find("\"skipped_bad_entries\": 2"), std::string::npos);
  std::string worklog;
  for (auto& f : std::filesystem::directory_iterator(dir / "out/worklogs")) worklog = Slurp(f.path());
  EXPECT_NE(worklog.find("logs.ndjson:2"), std::string::npos);
}

// The report is the same whatever the number of decoding threads: entries
// reach the collector in input order however they were decoded.
TEST(Cli, ThreadCountDoesNotChangeTheReport) {
  TempDir dir;
  std::string logs;
  const char* instances[] = {"inst-a", "inst-b", "inst-c"};
  for (int k = 0; k < 12000; ++k) {
    const int sec = k % 3600;
    const std::string ts = "2025-09-15T15:" + std::string(sec / 60 < 10 ? "0" : "") + std::to_string(sec / 60) + ":" +
                           std::string(sec % 60 < 10 ? "0" : "") + std::to_string(sec % 60) + "." +
                           std::to_string(100000 + k) + "Z";
    const std::string common = "\"insertId\":\"e" + std::to_string(k) + "\",\"timestamp\":\"" + ts +
                               "\",\"labels\":{\"instanceId\":\"" + instances[k % 3] +
                               "\"},\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\"api\","
                               "\"revision_name\":\"api-0001\"}}";
    switch (k % 6) {
      case 0:
        logs += "{" + common + ",\"severity\":\"ERROR\",\"textPayload\":\"Redis error 111 connecting to 10.0.0." +
                std::to_string(k % 250) + ":6379\"}\n";
        break;
      case 1:
        logs += "{" + common + ",\"severity\":\"WARNING\",\"jsonPayload\":{\"message\":\"slow query took " +
                std::to_string(k % 900) + " ms on table orders\"}}\n";
        break;
      case 2:
        logs += "{" + common + ",\"severity\":\"" + (k % 5 ? "INFO" : "ERROR") +
                "\",\"httpRequest\":{\"requestMethod\":\"GET\",\"requestUrl\":\"https://api.example/v1/items/" +
                std::to_string(k) + "\",\"status\":" + (k % 5 ? "200" : "503") + "}}\n";
        break;
      case 3:
        logs += "{" + common +
                ",\"severity\":\"ERROR\",\"textPayload\":\"Traceback (most recent call last):\\n  File "
                "\\\"/app/db.py\\\", line 12, in connect\\n    raise TimeoutError()\\nTimeoutError: timed out after " +
                std::to_string(k % 30) + "s\"}\n";
        break;
      default:
        logs += "{" + common + ",\"severity\":\"DEBUG\",\"textPayload\":\"tick " + std::to_string(k) + "\"}\n";
    }
  }
  WriteText(dir / "logs.ndjson", logs);
  auto strip = WithoutDurationLines;  // the wall-clock duration is the one thing allowed to differ
  std::string json[3], worklog[3];
  const char* threads[] = {"1", "2", "8"};
  for (int k = 0; k < 3; ++k) {
    std::filesystem::remove_all(dir / "out");
    CommandResult r = RunCommand(RunArgs(dir, dir / "logs.ndjson", std::string("--dry-run --threads ") + threads[k]));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    json[k] = strip(Slurp(dir / "out/result.json"));
    for (auto& f : std::filesystem::directory_iterator(dir / "out/worklogs")) worklog[k] = strip(Slurp(f.path()));
  }
  ASSERT_NE(json[0].find("\"clustered\": 6400"), std::string::npos) << json[0].substr(0, 2000);
  for (int k = 1; k < 3; ++k) {
    EXPECT_EQ(json[0], json[k]) << threads[k] << " threads";
    EXPECT_EQ(worklog[0], worklog[k]) << threads[k] << " threads";
  }
}

// Several services from one read: each gets the pass, issues and reports a
// run of that service alone would give.
TEST(Cli, SeveralServicesInOneReadMatchSeparateRuns) {
  TempDir dir;
  const std::string example = SourceDir() + "/examples/cloud-run-export.json";
  auto args = [&](const std::string& services, const std::string& json, const std::string& extra) {
    return Binary() + " run --source " + Quote(example) + " " + services +
           " --since 2025-09-15T15:00:00Z --until 2025-09-15T16:00:00Z --now 2025-09-15T16:00:00Z --tracker local:" +
           Quote(dir / "t.db") + " --json " + Quote(json) + " --worklog " + Quote(dir / "wl") + " --dry-run " + extra;
  };
  auto strip = WithoutDurationLines;
  CommandResult both = RunCommand(args("--service checkout-api --service inventory-api", dir / "out/r.json", ""));
  ASSERT_EQ(both.exit_code, 0) << both.output;
  EXPECT_EQ(CountFiles(dir / "wl"), 2u);
  size_t named = 0;
  for (auto& f : std::filesystem::directory_iterator(dir / "wl")) {
    const std::string name = f.path().filename().string();
    named += name.find("-checkout-api.md") != std::string::npos || name.find("-inventory-api.md") != std::string::npos;
  }
  EXPECT_EQ(named, 2u);
  for (const std::string service : {"checkout-api", "inventory-api"}) {
    CommandResult one = RunCommand(args("--service " + service, dir / ("alone-" + service + ".json"), ""));
    ASSERT_EQ(one.exit_code, 0) << one.output;
    const std::string together = Slurp(dir / ("out/r-" + service + ".json"));
    ASSERT_FALSE(together.empty()) << service;
    EXPECT_NE(together.find("\"service\": \"" + service + "\""), std::string::npos);
    EXPECT_EQ(strip(together), strip(Slurp(dir / ("alone-" + service + ".json")))) << service;
  }
  // {service} in a path places the name; the config's [run] services apply
  // when no --service is given; an alias naming a listed service counts once.
  WriteText(dir / "lg.toml",
            "[run]\nservices = [\"checkout-api\", \"inventory-api\", \"inv\"]\n[services]\ninv = \"inventory-api\"\n");
  CommandResult listed = RunCommand(args("", dir / "by/{service}/report.json", "--config " + Quote(dir / "lg.toml")));
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_EQ(strip(Slurp(dir / "by/checkout-api/report.json")), strip(Slurp(dir / "out/r-checkout-api.json")));
  EXPECT_EQ(strip(Slurp(dir / "by/inventory-api/report.json")), strip(Slurp(dir / "out/r-inventory-api.json")));
  EXPECT_FALSE(std::filesystem::exists(dir / "by/inv"));
}

TEST(Cli, BadFlagsExitTwoWithTheFix) {
  TempDir dir;
  WriteText(dir / "logs.ndjson", kGood);
  struct {
    std::string args;
    const char* expect;
  } cases[] = {
      {" run --source x --period 'last 5 fortnights' --tracker local:" + dir / "t.db", "unknown unit"},
      {" run --source x --min-severity LOUD --tracker local:" + dir / "t.db", "not a severity"},
      {" run --source x --since 2025-09-15T16:00:00Z --until 2025-09-15T15:00:00Z", "not before"},
      {" run --source x --tracker jira:foo", "unknown tracker"},
      {" run --tracker local:" + dir / "t.db", "no --source"},
      {" run --source x --no-such-flag", "no-such-flag"},
      {" frobnicate", "subcommand"},
  };
  for (const auto& c : cases) {
    CommandResult r = RunCommand(Binary() + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << c.args << ": " << r.output;
  }
}

TEST(Cli, IssuesImportRejectsBadFileWithExitThree) {
  TempDir dir;
  WriteText(dir / "issues.json", R"([{"number": "one"}])");
  CommandResult r = RunCommand(Binary() + " issues import " + Quote(dir / "issues.json") +
                               " --tracker local:" + Quote(dir / "t.db"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("index 0"), std::string::npos) << r.output;
}

TEST(Cli, HelpPerSubcommandHasExamples) {
  CommandResult r = RunCommand(Binary() + " run --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("Examples:"), std::string::npos);
}

TEST(Cli, TemplatesPerLineHasOneLinePerInputLine) {
  TempDir dir;
  WriteText(dir / "app.log",
            "user 12 logged in\nuser 13 logged in\n\ndisk /dev/sda1 at 91%\nuser 14 logged in");
  CommandResult r = RunCommand(Binary() + " templates --per-line " + Quote(dir / "lines.tsv") + " " +
                               Quote(dir / "app.log"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("5 lines"), std::string::npos) << r.output;
  const std::string tsv = Slurp(dir / "lines.tsv");
  EXPECT_EQ(std::count(tsv.begin(), tsv.end(), '\n'), 5) << tsv;
  EXPECT_NE(tsv.find("\tuser <*> logged in\n"), std::string::npos) << tsv;
  EXPECT_NE(tsv.find("\tdisk <*> at <*>%\n"), std::string::npos) << tsv;
  // The same from standard input.
  CommandResult piped = RunCommand("cat " + Quote(dir / "app.log") + " | " + Binary() +
                                   " templates -q --per-line " + Quote(dir / "piped.tsv") + " -");
  ASSERT_EQ(piped.exit_code, 0) << piped.output;
  EXPECT_EQ(Slurp(dir / "piped.tsv"), tsv);
}

TEST(Cli, TemplatesBadInputExitsThreeAndWritesNothing) {
  TempDir dir;
  WriteText(dir / "bad.ndjson", std::string(kGood) + "{\"insertId\": 12}\n");
  CommandResult r = RunCommand(Binary() + " templates --per-line " + Quote(dir / "out.tsv") + " " +
                               Quote(dir / "bad.ndjson"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("bad.ndjson:2"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out.tsv"));
  CommandResult missing = RunCommand(Binary() + " templates " + Quote(dir / "nope.log"));
  EXPECT_EQ(missing.exit_code, 3) << missing.output;
  EXPECT_NE(missing.output.find("nope.log"), std::string::npos) << missing.output;
  CommandResult directory = RunCommand(Binary() + " templates " + Quote(dir.path()));
  EXPECT_EQ(directory.exit_code, 3) << directory.output;
  CommandResult flag = RunCommand(Binary() + " templates --similarity 1.5 " + Quote(dir / "bad.ndjson"));
  EXPECT_EQ(flag.exit_code, 2) << flag.output;
}

TEST(Cli, TemplateIdsAreStableAcrossRunsSharingAState) {
  TempDir dir;
  // Day 1 and day 2 see the same kinds of lines with other values; day 2 also
  // sees a word variable that widens the template.
  WriteText(dir / "day1.log", "Cache warmed in 120 ms for region eu\nCache warmed in 80 ms for region eu\n");
  WriteText(dir / "day2.log", "Cache warmed in 7 ms for region us\nCache warmed in 9 ms for region ap\n"
                              "Cache warmed in 5 ms for region sa\nCache warmed in 3 ms for region af\n"
                              "Cache warmed in 1 ms for region oc\nnew line 1\n");
  const std::string state = "--state sqlite:" + Quote(dir / "state.db");
  CommandResult one = RunCommand(Binary() + " templates -q --format json " + state + " " + Quote(dir / "day1.log"));
  ASSERT_EQ(one.exit_code, 0) << one.output;
  CommandResult two = RunCommand(Binary() + " templates --format json " + state + " " + Quote(dir / "day2.log"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  auto id_of = [](const std::string& json, const std::string& needle) {
    size_t at = json.find(needle);
    if (at == std::string::npos) return std::string("missing");
    size_t id = json.rfind("\"id\": \"", at);
    return json.substr(id + 7, 16);
  };
  const std::string id1 = id_of(one.output, "Cache warmed in <NUM> ms for region eu");
  ASSERT_NE(id1, "missing") << one.output;
  EXPECT_EQ(id_of(two.output, "Cache warmed in <NUM> ms for region <*>"), id1) << two.output;
  EXPECT_NE(two.output.find("1 known from state"), std::string::npos) << two.output;
  // Without the state, day 2's wider template gets an id of its own text.
  CommandResult alone = RunCommand(Binary() + " templates -q --format json " + Quote(dir / "day2.log"));
  EXPECT_NE(id_of(alone.output, "Cache warmed in <NUM> ms for region <*>"), id1) << alone.output;
}

TEST(Cli, ConfigExampleValidatesAndBadConfigsNameFileAndLine) {
  TempDir dir;
  CommandResult example = RunCommand(Binary() + " config --example > " + Quote(dir / "example.toml"));
  ASSERT_EQ(example.exit_code, 0) << example.output;
  CommandResult ok = RunCommand(Binary() + " config validate " + Quote(dir / "example.toml"));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("OK"), std::string::npos) << ok.output;
  WriteText(dir / "bad.toml", "[triage]\np1_min_errors = \"many\"\nunknown_key = 1\n");
  CommandResult bad = RunCommand(Binary() + " config validate " + Quote(dir / "bad.toml"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("bad.toml:2:"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("bad.toml:3:1: unknown key 'unknown_key'"), std::string::npos) << bad.output;
  // run refuses a bad config before reading anything.
  WriteText(dir / "logs.ndjson", kGood);
  CommandResult run = RunCommand(RunArgs(dir, dir / "logs.ndjson", "--config " + Quote(dir / "bad.toml")));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out/result.json"));
}

// An entry of service "api" stamped with the current time.
std::string EntryNow(int n) {
  const auto now = std::chrono::system_clock::now();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return "{\"insertId\":\"w" + std::to_string(n) +
         "\",\"logName\":\"projects/p/logs/run.googleapis.com%2Fstderr\",\"resource\":{\"type\":\"cloud_run_revision\","
         "\"labels\":{\"service_name\":\"api\"}},\"severity\":\"ERROR\",\"textPayload\":\"Redis error 111 at 10.0.0." +
         std::to_string(n % 250) + ":6379\",\"timestamp\":\"" + buf + "." + std::to_string(1000000 + us % 1000000).substr(1) +
         "Z\"}\n";
}

TEST(Cli, WatchRunsPassesOverAGrowingFileAndStopsOnSigterm) {
  TempDir dir;
  WriteText(dir / "logs.ndjson", "");
  const std::string out = dir / "watch.txt";
  RunCommand(Binary() + " watch --every 1s --source " + Quote(dir / "logs.ndjson") + " --service api --tracker local:" +
             Quote(dir / "t.db") + " --state sqlite:" + Quote(dir / "s.db") + " > " + Quote(out) + " 2>&1 & echo $! > " +
             Quote(dir / "pid"));
  const int pid = std::atoi(Slurp(dir / "pid").c_str());
  ASSERT_GT(pid, 0);
  int appended = 0;
  auto passes = [&] {
    const std::string text = Slurp(out);
    size_t n = 0;
    for (size_t p = 0; (p = text.find(" pass ", p)) != std::string::npos; ++p) ++n;
    return n;
  };
  for (int i = 0; i < 100 && passes() < 3; ++i) {
    std::ofstream(dir / "logs.ndjson", std::ios::app) << EntryNow(appended++);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(passes(), 3u) << Slurp(out);
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_NE(::kill(pid, 0), 0) << "watch did not stop";
  const std::string text = Slurp(out);
  EXPECT_NE(text.find("stopped after"), std::string::npos) << text;
  // Every entry written before the last pass's end was gardened exactly once:
  // the windows meet without gaps or overlaps.
  uint64_t gardened = 0;
  for (size_t p = 0; (p = text.find("Z: ", p)) != std::string::npos; ++p) gardened += std::strtoull(text.c_str() + p + 3, nullptr, 10);
  EXPECT_GT(gardened, 0u) << text;
  EXPECT_LE(gardened, static_cast<uint64_t>(appended)) << text;
  // State intact: the next pass continues from the watermark, the tracker opens.
  CommandResult list = RunCommand(Binary() + " issues list --tracker local:" + Quote(dir / "t.db"));
  EXPECT_EQ(list.exit_code, 0) << list.output;
  CommandResult again = RunCommand(Binary() + " watch --every 1s --max-passes 1 --source " + Quote(dir / "logs.ndjson") +
                                   " --service api --tracker local:" + Quote(dir / "t.db") + " --state sqlite:" +
                                   Quote(dir / "s.db"));
  EXPECT_EQ(again.exit_code, 0) << again.output;
  uint64_t rest = 0;
  for (size_t p = 0; (p = again.output.find("Z: ", p)) != std::string::npos; ++p) rest += std::strtoull(again.output.c_str() + p + 3, nullptr, 10);
  EXPECT_EQ(gardened + rest, static_cast<uint64_t>(appended)) << text << again.output;
}

TEST(Cli, ConfigAliasesImpactAndScrubPatternsApply) {
  TempDir dir;
  WriteText(dir / "team.toml",
            "[services]\nbackend = \"api\"\n[impact]\napi = \"Checkout is down for customers\"\n"
            "[scrub]\npatterns = [\"acme-key-[0-9a-f]{8}\"]\n");
  WriteText(dir / "logs.ndjson",
            R"({"insertId":"k1","logName":"projects/p/logs/run.googleapis.com%2Fstderr","resource":{"type":"cloud_run_revision","labels":{"service_name":"api"}},"severity":"ERROR","textPayload":"upstream refused key acme-key-0badc0de","timestamp":"2025-09-15T15:10:00Z"})"
            "\n");
  CommandResult r = RunCommand(Binary() + " run --config " + Quote(dir / "team.toml") + " --source " +
                               Quote(dir / "logs.ndjson") + " --service backend --since 2025-09-15T15:00:00Z" +
                               " --until 2025-09-15T16:00:00Z --tracker local:" + Quote(dir / "t.db") + " --json " +
                               Quote(dir / "r.json") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string report = Slurp(dir / "r.json");
  EXPECT_NE(report.find("\"service\": \"api\""), std::string::npos) << "the alias resolved";
  CommandResult exported = RunCommand(Binary() + " issues export --tracker local:" + Quote(dir / "t.db"));
  EXPECT_EQ(exported.output.find("acme-key-0badc0de"), std::string::npos) << exported.output;
  EXPECT_NE(exported.output.find("Checkout is down for customers"), std::string::npos) << exported.output;
}

TEST(Cli, CommitWorklogCommitsOnlyTheWorklogAndPushesWhenAsked) {
  TempDir dir;
  const std::string git = "git -c user.name=t -c user.email=t@example.com ";
  ASSERT_EQ(RunCommand("git init -q --bare " + Quote(dir / "remote.git")).exit_code, 0);
  ASSERT_EQ(RunCommand("git clone -q " + Quote(dir / "remote.git") + " " + Quote(dir / "repo")).exit_code, 0);
  RunCommand("cd " + Quote(dir / "repo") + " && git config user.name t && git config user.email t@example.com");
  WriteText(dir / "repo/README", "ops notes\n");
  ASSERT_EQ(RunCommand("cd " + Quote(dir / "repo") + " && git add README && git commit -qm init && git push -q origin HEAD").exit_code, 0);
  WriteText(dir / "repo/unrelated.txt", "staged but not ours\n");
  RunCommand("cd " + Quote(dir / "repo") + " && git add unrelated.txt");
  WriteText(dir / "logs.ndjson", kGood);
  auto run = [&](const std::string& now, const std::string& worklog, const std::string& extra) {
    return RunCommand(Binary() + " run --source " + Quote(dir / "logs.ndjson") +
                      " --service api --since 2025-09-15T15:00:00Z --until 2025-09-15T16:00:00Z --now " + now +
                      " --tracker local:" + Quote(dir / "t.db") + " --worklog " + Quote(worklog) + " " + extra);
  };
  CommandResult r = run("2025-09-15T16:00:00Z", dir / "repo/worklogs", "--commit-worklog --push");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("warning"), std::string::npos) << r.output;
  CommandResult log = RunCommand("git -C " + Quote(dir / "remote.git") + " log --name-only --format=%s -1");
  EXPECT_NE(log.output.find("log-gardener worklog: api"), std::string::npos) << log.output;
  EXPECT_NE(log.output.find("worklogs/GCP-LOG-GARDENER-WORKLOG-"), std::string::npos) << log.output;
  EXPECT_EQ(log.output.find("unrelated.txt"), std::string::npos) << "only the worklog is committed";
  // A rejected push (the remote moved on) is a warning, never a force.
  ASSERT_EQ(RunCommand("git clone -q " + Quote(dir / "remote.git") + " " + Quote(dir / "other") + " && cd " +
                       Quote(dir / "other") + " && echo x > x && git add x && " + git + "commit -qm other && git push -q")
                .exit_code,
            0);
  CommandResult again = run("2025-09-15T17:00:00Z", dir / "repo/worklogs", "--commit-worklog --push");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("rejected or failed"), std::string::npos) << again.output;
  CommandResult remote = RunCommand("git -C " + Quote(dir / "remote.git") + " log --format=%s -1");
  EXPECT_NE(remote.output.find("other"), std::string::npos) << "the remote was not overwritten";
  // Outside a repository: a warning, the worklog is still written.
  CommandResult outside = run("2025-09-15T18:00:00Z", dir / "plain", "--commit-worklog");
  EXPECT_EQ(outside.exit_code, 0) << outside.output;
  EXPECT_NE(outside.output.find("not inside a git repository"), std::string::npos) << outside.output;
  EXPECT_EQ(CountFiles(dir / "plain"), 1u);
}

}  // namespace
}  // namespace lg::test
