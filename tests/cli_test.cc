// End-to-end tests of the log-gardener binary: exit codes, error messages,
// nothing partial written, idempotent reruns.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace lg::test
