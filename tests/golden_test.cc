// Golden tests: the reports of the bundled example are pinned byte for byte
// (after replacing the temporary folder and the run's duration).
// Regenerate with: LG_UPDATE_GOLDEN=1 ctest -R golden   (then review the diff)
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "test_util.h"

namespace lg::test {
namespace {

std::string Normalize(std::string text, const TempDir& dir) {
  for (size_t pos; (pos = text.find(dir.path())) != std::string::npos;) text.replace(pos, dir.path().size(), "<TMP>");
  const std::string src = SourceDir();
  for (size_t pos; (pos = text.find(src)) != std::string::npos;) text.replace(pos, src.size(), "<SRC>");
  text = std::regex_replace(text, std::regex(R"(\*\*Duration:\*\* [0-9.]+ s)"), "**Duration:** <D> s");
  return std::regex_replace(text, std::regex(R"((\*\*Started / completed:\*\* \S+) / \S+)"), "$1 / <T>");
}

void ExpectGolden(const std::string& actual, const std::string& golden_name) {
  const std::string path = SourceDir() + "/tests/golden/" + golden_name;
  if (std::getenv("LG_UPDATE_GOLDEN")) {
    WriteText(path, actual);
    GTEST_SKIP() << "updated " << path;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << "missing golden file " << path;
  EXPECT_EQ(actual, Slurp(path)) << "golden mismatch: " << golden_name
                                 << " (LG_UPDATE_GOLDEN=1 regenerates; review the diff)";
}

TEST(Golden, BundledExampleReports) {
  TempDir dir;
  const std::string db = dir / "gardener.db";
  CommandResult imp = RunCommand(Binary() + " issues import " + Quote(SourceDir() + "/examples/issues.json") +
                                 " --tracker local:" + Quote(db));
  ASSERT_EQ(imp.exit_code, 0) << imp.output;
  CommandResult r = RunCommand("TZ=UTC " + Binary() + " run --source " +
                               Quote(SourceDir() + "/examples/cloud-run-export.json") +
                               " --service checkout-api --period 'last 1 hour' --now 2025-09-15T16:00:00Z" +
                               " --tracker local:" + Quote(db) + " --json " + Quote(dir / "result.json") +
                               " --worklog " + Quote(dir / "worklogs"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ExpectGolden(Normalize(Slurp(dir / "result.json"), dir), "example.result.json");
  ExpectGolden(Normalize(Slurp(dir / "worklogs/GCP-LOG-GARDENER-WORKLOG-last-1-hour-20250915-1600.md"), dir),
               "example.worklog.md");
  CommandResult exported = RunCommand(Binary() + " issues export --tracker local:" + Quote(db));
  ASSERT_EQ(exported.exit_code, 0);
  ExpectGolden(Normalize(exported.output, dir), "example.issues-after.json");
}

// Templates mined from small corpora written for the project: a plain-text
// service log (text and per-line output) and the bundled LogEntry export.
TEST(Golden, MinedTemplates) {
  TempDir dir;
  const std::string corpus = SourceDir() + "/tests/fixtures/templates/service.log";
  CommandResult text = RunCommand(Binary() + " templates -q " + Quote(corpus));
  ASSERT_EQ(text.exit_code, 0) << text.output;
  ExpectGolden(text.output, "templates.service.txt");
  CommandResult per_line =
      RunCommand(Binary() + " templates -q --per-line " + Quote(dir / "lines.tsv") + " " + Quote(corpus));
  ASSERT_EQ(per_line.exit_code, 0) << per_line.output;
  ExpectGolden(Slurp(dir / "lines.tsv"), "templates.service.per-line.tsv");
  CommandResult entries = RunCommand(Binary() + " templates -q --format json " +
                                     Quote(SourceDir() + "/examples/cloud-run-export.json"));
  ASSERT_EQ(entries.exit_code, 0) << entries.output;
  ExpectGolden(entries.output, "templates.example.json");
}

}  // namespace
}  // namespace lg::test
