// Conformance with recorded GitHub traffic: @octokit/fixtures-server replays
// api.github.com exchanges and answers 404 to any request that differs in
// method, path, query, headers or body bytes. scripts/test.sh starts it on
// loopback and sets LG_OCTOKIT_FIXTURES; without it these tests skip visibly.
#include <gtest/gtest.h>

#include <cstdlib>

#include <simdjson.h>

#include "trackers/github_client.h"
#include "trackers/github_tracker.h"

namespace lg {
namespace {

constexpr const char* kToken = "0000000000000000000000000000000000000001";

// Loads a scenario; returns the base URL standing in for https://api.github.com.
std::string LoadScenario(const std::string& server, const std::string& scenario) {
  GitHubOptions o;
  o.api = server;
  o.min_mutation_interval_s = 0;
  GitHubClient admin(o);
  auto r = admin.Request("POST", "/fixtures", "{\"scenario\":\"" + scenario + "\"}");
  if (!r.ok()) return "";
  simdjson::dom::parser p;
  std::string_view url;
  if (p.parse(r->body)["url"].get(url) != simdjson::SUCCESS) return "";
  return std::string(url);
}

GitHubOptions Recorded(const std::string& base) {
  GitHubOptions o;
  o.api = base;
  o.token = kToken;
  o.auth_scheme = "token";                        // as the recordings were made
  o.accept = "application/vnd.github.v3+json";
  o.min_mutation_interval_s = 0;
  o.max_retries = 0;
  return o;
}

class Fixtures : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* s = std::getenv("LG_OCTOKIT_FIXTURES");
    if (!s || !*s) GTEST_SKIP() << "LG_OCTOKIT_FIXTURES is not set: no fixtures server (scripts/test.sh starts one)";
    server_ = s;
  }
  std::string server_;
};

TEST_F(Fixtures, SearchIssues) {
  const std::string base = LoadScenario(server_, "search-issues");
  ASSERT_FALSE(base.empty());
  auto tracker = GitHubTracker::Open("octokit-fixture-org/search-issues", Recorded(base));
  ASSERT_TRUE(tracker.ok());
  auto found = (*tracker)->Search("sesame");
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_FALSE(found->empty());
  for (const Issue& i : *found) EXPECT_NE(i.number, 0);
}

TEST_F(Fixtures, PaginateIssuesFollowsLinks) {
  const std::string base = LoadScenario(server_, "paginate-issues");
  ASSERT_FALSE(base.empty());
  GitHubClient client(Recorded(base));
  auto pages = client.GetAllPages("/repos/octokit-fixture-org/paginate-issues/issues?per_page=3");
  ASSERT_TRUE(pages.ok()) << pages.status().message();
  EXPECT_EQ(pages->size(), 5u);
  size_t issues = 0;
  simdjson::dom::parser p;
  for (const auto& page : *pages) {
    simdjson::dom::array a;
    ASSERT_EQ(p.parse(page).get(a), simdjson::SUCCESS);
    issues += a.size();
  }
  EXPECT_EQ(issues, 13u);
}

TEST_F(Fixtures, CreateIssueThenAddLabels) {
  const std::string base = LoadScenario(server_, "add-labels-to-issue");
  ASSERT_FALSE(base.empty());
  auto tracker = GitHubTracker::Open("octokit-fixture-org/add-labels-to-issue", Recorded(base));
  ASSERT_TRUE(tracker.ok());
  NewIssue n;
  n.title = "Issue without a label";
  auto created = (*tracker)->CreateIssue(n);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->number, 1);
  EXPECT_EQ(created->title, "Issue without a label");
  auto labelled = (*tracker)->client().Request("POST", "/repos/octokit-fixture-org/add-labels-to-issue/issues/1/labels",
                                               "{\"labels\":[\"Foo\",\"bAr\",\"baZ\"]}");
  ASSERT_TRUE(labelled.ok()) << labelled.status().message();
  EXPECT_EQ(labelled->status, 200);
}

TEST_F(Fixtures, ValidationErrorsCarryGitHubsMessage) {
  const std::string base = LoadScenario(server_, "errors");
  ASSERT_FALSE(base.empty());
  GitHubClient client(Recorded(base));
  auto r = client.Request("POST", "/repos/octokit-fixture-org/errors/labels", "{\"name\":\"foo\",\"color\":\"invalid\"}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(r.status().message()).find("Validation Failed"), std::string::npos) << r.status().message();
  EXPECT_EQ(std::string(r.status().message()).find(kToken), std::string::npos);
}

TEST(GitHubClient, LinkHeadersAndEncoding) {
  EXPECT_EQ(NextLink("<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", "
                     "<https://api.github.com/repositories/1/issues?page=5>; rel=\"last\""),
            "https://api.github.com/repositories/1/issues?page=2");
  EXPECT_EQ(NextLink("<https://x/issues?page=1>; rel=\"prev\""), "");
  EXPECT_EQ(UrlEncode("sesame repo:octokit-fixture-org/search-issues"),
            "sesame%20repo%3Aoctokit-fixture-org%2Fsearch-issues");
  NewIssue n;
  n.title = "A \"quoted\" title";
  n.body = "line\nnext";
  n.labels = {"log-gardener", "P1"};
  EXPECT_EQ(NewIssueJson(n), "{\"title\":\"A \\\"quoted\\\" title\",\"body\":\"line\\nnext\",\"labels\":[\"log-gardener\",\"P1\"]}");
}

}  // namespace
}  // namespace lg
