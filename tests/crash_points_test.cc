// Exactly once under crashes: a gardening pass against the GitHub-like server
// on loopback (tests/fake_github/server.py) is SIGKILLed at every one of its
// API requests, once just before the server answers (the request took effect,
// the client never heard) and once just after (the client heard, but had no
// time to record it). A rerun must then finish the pass so that the tracker
// ends exactly as after an uninterrupted pass: every intended issue filed
// once, every intended comment posted once, nothing else.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "fake_github.h"
#include "test_util.h"
#include "trackers/github_client.h"

namespace lg::test {
namespace {

constexpr const char* kToken = "test-token-not-a-secret";

// What a pass leaves in the tracker: every issue's title and state with its
// number of comments, in order; and how many API requests it took.
struct Outcome {
  std::vector<std::string> issues;
  size_t requests = 0;
};

Outcome Read(const std::string& state) {
  Outcome o;
  simdjson::dom::parser p;
  simdjson::dom::element s;
  if (p.parse(state).get(s) != simdjson::SUCCESS) return o;
  simdjson::dom::object comments = s["comments"].get_object().value();
  for (simdjson::dom::element i : s["issues"].get_array()) {
    const int64_t number = i["number"].get_int64().value();
    size_t n = 0;
    simdjson::dom::array list;
    if (comments[std::to_string(number)].get(list) == simdjson::SUCCESS) n = list.size();
    o.issues.push_back(std::to_string(number) + " " + std::string(i["state"].get_string().value()) + " " +
                       std::string(i["title"].get_string().value()) + " (" + std::to_string(n) + " comments)");
  }
  o.requests = s["requests"].get_array().size();
  return o;
}

CommandResult Garden(const TempDir& dir, const FakeGitHub& server) {
  // The temp folder's path is in the command line: the server finds the
  // process to kill by it.
  return RunCommand(std::string("GITHUB_TOKEN=") + kToken + " " + Binary() + " run --source " +
                    Quote(SourceDir() + "/examples/cloud-run-export.json") +
                    " --service checkout-api --period 'last 1 hour' --now 2025-09-15T16:00:00Z" +
                    " --tracker github:acme/shop --github-api " + server.api() + " --state sqlite:" +
                    Quote(dir / "state.db") + " --json " + Quote(dir / "result.json") + " -q");
}

TEST(CrashPoints, AKilledPassFinishesOnRerunWithEveryActionExactlyOnce) {
  // The uninterrupted pass: what should happen, and how many requests it makes.
  Outcome expected;
  {
    TempDir dir;
    FakeGitHub server(dir);
    ASSERT_TRUE(server.ok());
    ASSERT_TRUE(server.SeedExample());
    CommandResult r = Garden(dir, server);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expected = Read(server.State());
    ASSERT_GT(expected.requests, 3u);
  }
  const size_t seeded = Read("{\"issues\":" + Slurp(SourceDir() + "/examples/issues.json") +
                             ",\"comments\":{},\"requests\":[]}")
                            .issues.size();
  ASSERT_GT(expected.issues.size(), seeded) << "the pass files issues";

  size_t crashes = 0;
  for (size_t at = 1; at <= expected.requests; ++at) {
    for (const char* phase : {"before-reply", "after-reply"}) {
      SCOPED_TRACE(std::string("killed at request ") + std::to_string(at) + ", " + phase);
      TempDir dir;
      FakeGitHub server(dir);
      ASSERT_TRUE(server.ok());
      ASSERT_TRUE(server.SeedExample());
      ASSERT_TRUE(server.Control("/_config", "{\"kill\":{\"marker\":\"" + dir.path() + "\",\"at\":" +
                                                  std::to_string(at) + ",\"phase\":\"" + phase + "\"}}"));
      CommandResult killed = Garden(dir, server);
      EXPECT_NE(killed.exit_code, 0) << "the pass was not killed: " << killed.output;
      if (killed.exit_code != 0) ++crashes;
      ASSERT_TRUE(server.Control("/_config", R"({"kill":null})"));
      CommandResult rerun = Garden(dir, server);
      ASSERT_EQ(rerun.exit_code, 0) << rerun.output;
      EXPECT_EQ(Read(server.State()).issues, expected.issues);
      // And a third run changes nothing.
      CommandResult again = Garden(dir, server);
      ASSERT_EQ(again.exit_code, 0) << again.output;
      EXPECT_EQ(Read(server.State()).issues, expected.issues);
    }
  }
  EXPECT_EQ(crashes, 2 * expected.requests);
}

}  // namespace
}  // namespace lg::test
