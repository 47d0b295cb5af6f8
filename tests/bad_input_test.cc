// The bad-input corpus (tests/bad_input, described by EXPECTED.tsv), plus the
// cases too big or too odd to commit: a 10 MB message, a directory, a missing
// file. Each ends in a clear error naming the file and position with exit 3
// and nothing written, or, with --skip-bad-entries, a counted skip; never a
// crash, a hang or a partial report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace lg::test {
namespace {

struct Expected {
  std::string file;
  int exit_code = 0;
  std::string message;  // "-": none
  std::string skip;     // "fatal" or "skip N"
};

std::vector<Expected> LoadManifest() {
  std::vector<Expected> out;
  std::ifstream in(SourceDir() + "/tests/bad_input/EXPECTED.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() != 4) {
      ADD_FAILURE() << "EXPECTED.tsv: 4 tab-separated columns expected: " << line;
      continue;
    }
    out.push_back({cols[0], std::atoi(cols[1].c_str()), cols[2], cols[3]});
  }
  return out;
}

// A run that cannot hang the suite: `timeout` kills it after 60 s (exit 124).
CommandResult Garden(const TempDir& dir, const std::string& source, const std::string& extra = "") {
  return RunCommand("timeout 60 " + Binary() + " run --source " + Quote(source) +
                    " --service api --since 2025-09-15T15:00:00Z --until 2025-09-15T16:00:00Z --tracker local:" +
                    Quote(dir / "t.db") + " --json " + Quote(dir / "out/r.json") + " --worklog " +
                    Quote(dir / "out/worklog") + " -q " + extra);
}

TEST(BadInput, EveryCorpusFileIsDescribed) {
  std::set<std::string> listed;
  for (const auto& e : LoadManifest()) listed.insert(e.file);
  size_t files = 0;
  for (const auto& f : std::filesystem::directory_iterator(SourceDir() + "/tests/bad_input")) {
    const std::string name = f.path().filename().string();
    if (name == "EXPECTED.tsv") continue;
    ++files;
    EXPECT_TRUE(listed.count(name)) << name << " is not in EXPECTED.tsv";
  }
  EXPECT_EQ(files, listed.size());
  EXPECT_GE(files, 30u);
}

TEST(BadInput, EachFileGetsAClearErrorOrACountedSkip) {
  for (const Expected& e : LoadManifest()) {
    SCOPED_TRACE(e.file);
    const std::string path = SourceDir() + "/tests/bad_input/" + e.file;
    TempDir dir;
    CommandResult r = Garden(dir, path);
    EXPECT_EQ(r.exit_code, e.exit_code) << r.output;
    if (e.exit_code == 3) {
      EXPECT_NE(r.output.find("log-gardener: " + path), std::string::npos) << "names the file: " << r.output;
      EXPECT_NE(r.output.find(e.message), std::string::npos) << r.output;
      EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "nothing written after bad input";
    }

    TempDir skip_dir;
    CommandResult s = Garden(skip_dir, path, "--skip-bad-entries");
    if (e.skip == "fatal") {
      EXPECT_EQ(s.exit_code, 3) << "broken framing cannot be skipped: " << s.output;
      EXPECT_FALSE(std::filesystem::exists(skip_dir / "out"));
    } else {
      ASSERT_EQ(s.exit_code, 0) << s.output;
      const std::string json = Slurp(skip_dir / "out/r.json");
      EXPECT_NE(json.find("\"skipped_bad_entries\": " + e.skip.substr(5)), std::string::npos) << json.substr(0, 600);
    }
  }
}

TEST(BadInput, DuplicateInsertIdsCountOnce) {
  TempDir dir;
  CommandResult r = Garden(dir, SourceDir() + "/tests/bad_input/duplicate-insertids.ndjson");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string json = Slurp(dir / "out/r.json");
  EXPECT_NE(json.find("\"clustered\": 1,"), std::string::npos) << json.substr(0, 600);
  EXPECT_NE(json.find("\"duplicates_dropped\": 2,"), std::string::npos);
}

TEST(BadInput, TenMegabyteMessageIsGardenedWithBoundedReports) {
  TempDir dir;
  const std::string path = dir / "big.ndjson";
  {
    std::ofstream out(path);
    out << R"({"insertId":"big","timestamp":"2025-09-15T15:30:00Z","severity":"ERROR",)"
        << R"("resource":{"type":"cloud_run_revision","labels":{"service_name":"api"}},"textPayload":")"
        << std::string(10 * 1024 * 1024, 'x') << "\"}\n";
  }
  CommandResult r = Garden(dir, path, "--html " + Quote(dir / "out/r.html"));
  ASSERT_EQ(r.exit_code, 0) << r.output.substr(0, 600);
  // The sample and the mined template are cut, not copied whole.
  EXPECT_LT(std::filesystem::file_size(dir / "out/r.json"), 256u * 1024);
  EXPECT_LT(std::filesystem::file_size(dir / "out/r.html"), 512u * 1024);
  for (const auto& f : std::filesystem::directory_iterator(dir / "out/worklog")) {
    EXPECT_LT(std::filesystem::file_size(f.path()), 256u * 1024);
    EXPECT_NE(Slurp(f.path()).find("more bytes]"), std::string::npos);
  }
  EXPECT_NE(Slurp(dir / "out/r.json").find("\"clustered\": 1,"), std::string::npos);
}

TEST(BadInput, DirectoryOrMissingFileExitsThreeNamingIt) {
  TempDir dir;
  std::filesystem::create_directory(dir / "a-directory");
  CommandResult d = Garden(dir, dir / "a-directory");
  EXPECT_EQ(d.exit_code, 3) << d.output;
  EXPECT_NE(d.output.find(dir / "a-directory"), std::string::npos) << d.output;
  EXPECT_NE(d.output.find("is a directory"), std::string::npos) << d.output;
  CommandResult m = Garden(dir, dir / "missing.ndjson");
  EXPECT_EQ(m.exit_code, 3) << m.output;
  EXPECT_NE(m.output.find(dir / "missing.ndjson"), std::string::npos) << m.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

}  // namespace
}  // namespace lg::test
