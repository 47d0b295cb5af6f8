// Whole gardening passes against a GitHub-like server on loopback
// (tests/fake_github/server.py): issues filed, commented and found again by
// later runs, with and without state, and faults a real run meets (a 502 after
// GitHub created the issue, a secondary rate limit). Nothing leaves the machine.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <simdjson.h>

#include "fake_github.h"
#include "test_util.h"
#include "trackers/github_client.h"

namespace lg::test {
namespace {

constexpr const char* kToken = "test-token-not-a-secret";

class Loopback : public ::testing::Test {
 protected:
  void SetUp() override {
    github_ = std::make_unique<FakeGitHub>(dir_);
    ASSERT_TRUE(github_->ok()) << "the loopback server did not start";
    api_ = github_->api();
    ASSERT_TRUE(github_->SeedExample());  // the bundled example's issues
  }
  bool Control(const std::string& path, const std::string& json) { return github_->Control(path, json); }
  std::string State() { return github_->State(); }
  CommandResult Run(const std::string& state_db) {
    return RunCommand(std::string("GITHUB_TOKEN=") + kToken + " " + Binary() + " run --source " +
                      Quote(SourceDir() + "/examples/cloud-run-export.json") +
                      " --service checkout-api --period 'last 1 hour' --now 2025-09-15T16:00:00Z" +
                      " --tracker github:acme/shop --github-api " + api_ + " --state sqlite:" + Quote(state_db) +
                      " --json " + Quote(dir_ / "result.json") + " -q");
  }
  struct Counts {
    size_t issues = 0;
    size_t comments = 0;
    std::set<std::string> titles;
    bool duplicate_title = false;
    bool headers_ok = true;
  };
  Counts Count() {
    Counts c;
    simdjson::dom::parser p;
    simdjson::dom::element s;
    const std::string state = State();
    EXPECT_EQ(p.parse(state).get(s), simdjson::SUCCESS);
    for (simdjson::dom::element i : s["issues"].get_array()) {
      ++c.issues;
      std::string_view tv;
      EXPECT_EQ(i["title"].get(tv), simdjson::SUCCESS);
      const std::string title{tv};
      c.duplicate_title |= !c.titles.insert(title).second;
    }
    for (auto [k, v] : s["comments"].get_object()) c.comments += simdjson::dom::array(v).size();
    for (simdjson::dom::element r : s["requests"].get_array()) {
      std::string_view auth, ua;
      if (r["auth"].get(auth) != simdjson::SUCCESS || auth != std::string("Bearer ") + kToken) c.headers_ok = false;
      if (r["ua"].get(ua) != simdjson::SUCCESS || ua.empty()) c.headers_ok = false;
    }
    return c;
  }

  TempDir dir_;
  std::unique_ptr<FakeGitHub> github_;
  std::string api_;
};

TEST_F(Loopback, WholePassFilesCommentsAndNeverDuplicates) {
  CommandResult r = Run(dir_ / "state.db");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Counts first = Count();
  EXPECT_GT(first.issues, 3u);  // the three seeded, plus what the run filed
  EXPECT_EQ(first.comments, 1u);  // the open tax-service issue gets an update
  EXPECT_FALSE(first.duplicate_title);
  EXPECT_TRUE(first.headers_ok) << "every request carries the token and a User-Agent";
  const std::string report = Slurp(dir_ / "result.json");
  EXPECT_NE(report.find("\"new_issue\""), std::string::npos);
  EXPECT_NE(report.find(api_ + "/acme/issues/"), std::string::npos) << "filed clusters carry the issue URL";
  // The same window again: nothing new.
  ASSERT_EQ(Run(dir_ / "state.db").exit_code, 0);
  Counts second = Count();
  EXPECT_EQ(second.issues, first.issues);
  EXPECT_EQ(second.comments, first.comments);
  // Lost state: the issues' own fingerprint lines and window markers still say it is done.
  ASSERT_EQ(Run(dir_ / "fresh.db").exit_code, 0);
  Counts third = Count();
  EXPECT_EQ(third.issues, first.issues);
  EXPECT_EQ(third.comments, first.comments);
}

TEST_F(Loopback, A502AfterTheIssueWasCreatedFilesItOnce) {
  ASSERT_TRUE(Control("/_inject", R"({"kind":"502-after","count":1,"method":"POST","path_contains":"/issues"})"));
  CommandResult r = Run(dir_ / "state.db");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Counts c = Count();
  EXPECT_FALSE(c.duplicate_title) << "the client looked before posting again";
  // Same number of issues as a clean run files.
  ASSERT_TRUE(Control("/_seed", "{\"issues\":" + Slurp(SourceDir() + "/examples/issues.json") + "}"));
  ASSERT_EQ(Run(dir_ / "clean.db").exit_code, 0);
  EXPECT_EQ(Count().issues, c.issues);
}

TEST_F(Loopback, SecondaryRateLimitIsWaitedOut) {
  ASSERT_TRUE(Control("/_inject", R"({"kind":"secondary","count":1,"method":"POST","path_contains":"/issues"})"));
  const auto t0 = std::chrono::steady_clock::now();
  CommandResult r = Run(dir_ / "state.db");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GE(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 1.0)
      << "the client waited for retry-after before mutating again";
  EXPECT_FALSE(Count().duplicate_title);
}

TEST_F(Loopback, BadTokenStopsWithWhatToCheck) {
  CommandResult r = RunCommand("GITHUB_TOKEN=wrong " + Binary() + " run --source " +
                               Quote(SourceDir() + "/examples/cloud-run-export.json") +
                               " --service checkout-api --period 'last 1 hour' --now 2025-09-15T16:00:00Z" +
                               " --tracker github:acme/shop --github-api " + api_ + " --state sqlite:" +
                               Quote(dir_ / "s.db") + " -q");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("Bad credentials"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("GITHUB_TOKEN"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("wrong"), std::string::npos) << "the token is never printed";
}

}  // namespace
}  // namespace lg::test
