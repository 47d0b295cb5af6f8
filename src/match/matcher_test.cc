#include "match/matcher.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "match/lexicon.h"

namespace lg {
namespace {

Issue MakeIssue(int64_t number, std::string title, std::string body, std::string state = "open") {
  Issue i;
  i.number = number;
  i.title = std::move(title);
  i.body = std::move(body);
  i.state = std::move(state);
  return i;
}

// A tracker of issues people wrote, most about other things.
std::vector<Issue> Tracker() {
  return {
      MakeIssue(1, "Dark mode toggle does not persist", "The preference resets after a reload of the settings page."),
      MakeIssue(2, "Database migration docs are outdated",
                "The README still describes the old alembic workflow; update the database section."),
      MakeIssue(3, "Upgrade the frontend build to Node 20", "Node 18 leaves maintenance in April."),
      MakeIssue(4, "Flaky test: test_thread_pagination", "Fails one run in twenty on CI with an ordering assertion."),
      MakeIssue(5, "Backend loses its cache: Redis refusing connections",
                "Services cannot open connections to the Memorystore instance: every attempt is refused. "
                "Sessions fall back to memory."),
      MakeIssue(6, "Add rate limiting to the public search endpoint", "Abuse seen last week; 429 after 60/min."),
      MakeIssue(7, "Cloud SQL unreachable at start-up: backend times out and exits",
                "Startup fails in the database phase with a timeout; the container exits with code 3.", "closed"),
      MakeIssue(8, "Typo on the billing page", "\"Recieve\" should be \"Receive\"."),
      MakeIssue(9, "Document the staging deploy process", "Write down who approves and how to roll back."),
      MakeIssue(10, "Emails sent twice for password reset", "Users receive two identical reset emails."),
  };
}

constexpr std::string_view kRedis = "Redis operation failed: Error 111 connecting to <IP>:6379.";

TEST(Matcher, FindsItsOwnIssueByTheVisibleFingerprintLine) {
  auto issues = Tracker();
  issues.push_back(MakeIssue(11, "GCP-new-P1-Redis down", "Summary\n\n" + FingerprintLine("lg1-00ff00ff00ff00ff")));
  IssueIndex index(issues);
  const Issue* own = index.FindByFingerprint("lg1-00ff00ff00ff00ff");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->number, 11);
  EXPECT_EQ(index.FindByFingerprint("lg1-0000000000000000"), nullptr);
}

TEST(Matcher, ANearMissSharingOneTopicWordDoesNotMatch) {
  IssueIndex index(Tracker());
  MatchResult m = index.MatchText(
      "Database connection timeout at start-up\nasyncpg TimeoutError during _phase3_database_setup", MatchOptions{});
  // Not the docs issue (2); the closed outage issue (7) is the only candidate.
  EXPECT_FALSE(m.best_open.has_value());
  if (m.best_closed) {
    EXPECT_EQ(m.best_closed->issue, 7);
  }
}

// The redis issue shares only a few words with the log line: under the full
// bar, it matches only when no other cluster of the run scores it as high.
TEST(Matcher, HalfTheBarWhenThisClusterIsTheIssuesBestMatch) {
  IssueIndex index(Tracker());
  MatchOptions o;
  const std::vector<Candidate> scores = index.Score(kRedis, o);
  ASSERT_FALSE(scores.empty());
  EXPECT_EQ(scores[0].issue, 5);

  MatchResult alone = index.MatchText(kRedis, o);
  EXPECT_FALSE(alone.best_open.has_value()) << "score " << scores[0].score;

  OtherClusterScores none;
  MatchResult mutual = index.MatchText(kRedis, o, &none);
  ASSERT_TRUE(mutual.best_open.has_value());
  EXPECT_EQ(mutual.best_open->issue, 5);
  EXPECT_TRUE(mutual.mutual);

  OtherClusterScores higher{{5, scores[0].score + 1}};
  EXPECT_FALSE(index.MatchText(kRedis, o, &higher).best_open.has_value());
  OtherClusterScores tie{{5, scores[0].score}};
  EXPECT_FALSE(index.MatchText(kRedis, o, &tie).best_open.has_value());
  OtherClusterScores lower{{5, scores[0].score / 2}};
  EXPECT_TRUE(index.MatchText(kRedis, o, &lower).best_open.has_value());
}

TEST(Matcher, AClearMatchNeedsNoHelp) {
  IssueIndex index(Tracker());
  MatchResult m = index.MatchText(
      "Backend cache lost: Redis refusing connections from the Memorystore instance; sessions fall back to memory\n" +
          std::string(kRedis),
      MatchOptions{});
  ASSERT_TRUE(m.best_open.has_value());
  EXPECT_EQ(m.best_open->issue, 5);
  EXPECT_FALSE(m.mutual);
}

// Two people wrote up the same outage in different words, one issue closed
// and one still open; both quote the log line. The query finds both through
// the same words: the open one gets the comment, not a regression of the
// closed one.
TEST(Matcher, IssuesFoundThroughTheSameLogWordsAreOneTopic) {
  auto issues = Tracker();
  issues.push_back(MakeIssue(
      12, "GCP-other-P1-intermittent-connection-refused-to-redis-after-vpc",
      "## Summary\nDuring the outage window the cache layer was gone and the readiness check reported graceful "
      "degradation.\n\n## Evidence\nRedis reconnection attempt 7/10 failed: Error 111 connecting to "
      "10.8.4.150:6379. Connection refused.\n\nResolved by restoring the firewall rule for the VPC connector.",
      "closed"));
  issues.push_back(MakeIssue(
      13, "Intermittent 'Connection refused' to Redis after VPC changes",
      "Sessions and rate limits fall back to memory, latency goes up and per-instance limits drift.\n\n"
      "From the staging logs:\nRedis reconnection attempt 3/10 failed: Error 111 connecting to 10.8.2.19:6379. "
      "Connection refused."));
  IssueIndex index(issues);
  const std::string query = std::string(kRedis) + "\nRedis readiness: graceful degradation";
  MatchOptions o;
  OtherClusterScores none;  // the run's only cluster about Redis
  MatchResult m = index.MatchText(query, o, &none);
  ASSERT_TRUE(m.best_open.has_value());
  EXPECT_EQ(m.best_open->issue, 13);
}

// A closed issue that pasted the log line scores far above its open twin,
// which only describes the problem; their words are nearly the same, so the
// open one is the live ticket and gets the comment.
TEST(Matcher, TheOpenTwinOfAClosedMatchGetsTheComment) {
  auto issues = Tracker();
  const std::string summary =
      "The SERVICE_ID value stored in Secret Manager ends with a newline. The logging setup strips it and warns "
      "each time the config is loaded. Harmless but noisy.";
  issues.push_back(MakeIssue(14, "GCP-active-dev-P3-config-hygiene-service-id-gets-sanitized-at",
                             "## Summary\n" + summary +
                                 "\n\n## Evidence\nWARNING netra-backend-staging SERVICE_ID contained whitespace - "
                                 "sanitized from 'netra-backend\\n' to 'netra-backend'\nWARNING netra-backend-staging SERVICE_ID "
                                 "contained whitespace - sanitized from 'netra-backend\\n' to 'netra-backend'"
                                 "\n\nResolution: re-created "
                                 "the secret without the newline.",
                             "closed"));
  issues.push_back(MakeIssue(15, "Config hygiene: service id gets sanitized at every startup", summary));
  IssueIndex index(issues);
  const std::string query =
      "SERVICE_ID contained whitespace sanitized from 'netra-backend\\n' to 'netra-backend'\n"
      "SERVICE_ID contained whitespace - sanitized from 'netra-backend\\n' to 'netra-backend'";
  MatchOptions o;
  OtherClusterScores none;
  const std::vector<Candidate> scores = index.Score(query, o);
  ASSERT_GE(scores.size(), 2u);
  ASSERT_EQ(scores[0].issue, 14);
  ASSERT_EQ(scores[1].issue, 15);
  ASSERT_LT(scores[1].score, o.keep * scores[0].score) << "the twin must score too low for the plain rule";

  MatchResult m = index.MatchText(query, o, &none);
  ASSERT_TRUE(m.best_open.has_value());
  EXPECT_EQ(m.best_open->issue, 15);

  o.open_twin = 2;  // no twins: the closed one alone
  m = index.MatchText(query, o, &none);
  EXPECT_FALSE(m.best_open.has_value());
  ASSERT_TRUE(m.best_closed.has_value());
  EXPECT_EQ(m.best_closed->issue, 14);
}

// When nothing matches, the result says which test the best issue failed.
TEST(Matcher, AnAbstentionNamesTheBestAndItsRival) {
  IssueIndex index(Tracker());
  MatchResult m = index.MatchText("Database timeout during startup; database docs", MatchOptions{});
  ASSERT_FALSE(m.best_open.has_value());
  ASSERT_FALSE(m.best_closed.has_value());
  ASSERT_TRUE(m.best.has_value());
  EXPECT_TRUE(m.under_bar || m.not_ahead);
  EXPECT_GT(m.bar, 0);
}

TEST(Matcher, ReadsAnIssuesPriorityFromItsLabelsOrItsTitle) {
  Issue i = MakeIssue(1, "Redis down", "");
  EXPECT_EQ(IssueIndex::IssuePriority(i), -1);
  i.labels = {"bug", "P2"};
  EXPECT_EQ(IssueIndex::IssuePriority(i), 2);
  i.labels = {"Priority: P0"};
  EXPECT_EQ(IssueIndex::IssuePriority(i), 0);
  i.labels = {"priority/p3"};
  EXPECT_EQ(IssueIndex::IssuePriority(i), 3);
  i.labels = {"P4", "P12"};
  EXPECT_EQ(IssueIndex::IssuePriority(i), -1);
  i.labels = {};
  i.title = "GCP-active-dev-P1-backend-loses-its-cache";
  EXPECT_EQ(IssueIndex::IssuePriority(i), 1);
  i.title = "GCP-new: P1 is not a title priority";
  EXPECT_EQ(IssueIndex::IssuePriority(i), -1);
}

// The issue labelled with the cluster's own priority scores the bonus more,
// and only for a cluster of that priority.
TEST(Matcher, AnIssueLabelledWithTheClustersPriorityScoresMore) {
  auto issues = Tracker();
  issues[4].labels = {"P1"};  // #5, the Redis issue
  IssueIndex index(issues);
  MatchOptions o;
  const auto plain = index.Score(kRedis, o);
  const auto p1 = index.Score(kRedis, o, 1);
  const auto p3 = index.Score(kRedis, o, 3);
  ASSERT_FALSE(plain.empty());
  ASSERT_EQ(p1[0].issue, 5);
  EXPECT_TRUE(p1[0].same_priority);
  EXPECT_DOUBLE_EQ(p1[0].score, plain[0].score * o.priority_bonus);
  EXPECT_FALSE(p3[0].same_priority);
  EXPECT_DOUBLE_EQ(p3[0].score, plain[0].score);
}

bool Has(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// A word keeps its own identity and also counts as its concept, so "jwt" and
// "secret" stay distinct while both say "auth".
TEST(Lexicon, AWordCountsAsItselfAndAsItsConcept) {
  const auto words = MatchWords("JWT secret missing; p95 latency above SLO");
  EXPECT_TRUE(Has(words, "jwt"));
  EXPECT_TRUE(Has(words, "secret"));
  EXPECT_TRUE(Has(words, "~auth"));
  EXPECT_TRUE(Has(words, "latency"));
  EXPECT_TRUE(Has(words, "~slow"));
  // A concept's own name is not doubled.
  const auto slow = MatchTokens("slow request");
  EXPECT_EQ(std::count(slow.begin(), slow.end(), "~slow"), 0);
  EXPECT_TRUE(Has(slow, "slow"));
}

TEST(Lexicon, StatusCodesAreWordsOtherNumbersAreNot) {
  const auto words = MatchWords("500 when posting; GET /chat/<UUID> → 503 (took 4.2s), Error 111, port 6379, v1.404");
  EXPECT_TRUE(Has(words, "http500"));
  EXPECT_TRUE(Has(words, "http503"));
  EXPECT_FALSE(Has(words, "http111"));
  EXPECT_FALSE(Has(words, "http637"));
  EXPECT_FALSE(Has(words, "http404")) << "part of a version, not a status";
}

// Issue and logs use different words for one thing: "p95 latency" for
// "slow ... took", "500 when posting ... unhandled exception" for "→ 500 ...
// panic".
TEST(Lexicon, ConceptsLetDifferentWordsForOneProblemMatch) {
  auto issues = Tracker();
  issues.push_back(MakeIssue(20, "p95 latency above SLO for the list endpoint",
                             "Requests to the list endpoint regularly exceed our 5s budget; the database query "
                             "dominates."));
  issues.push_back(MakeIssue(21, "500 when posting a message without attachments",
                             "Users get 'Something went wrong' on send; the backend logs an unhandled exception."));
  IssueIndex index(issues);
  auto slow = index.Score("Slow request: GET /api/threads took <DURATION> (threshold <DURATION>)\n"
                          "Slow query (<DURATION>): SELECT threads.id FROM threads",
                          MatchOptions{});
  ASSERT_FALSE(slow.empty());
  EXPECT_EQ(slow[0].issue, 20);
  auto crash = index.Score("POST /v1/messages → 500 internal server error\npanic recovered: runtime error: index out of range",
                           MatchOptions{});
  ASSERT_FALSE(crash.empty());
  EXPECT_EQ(crash[0].issue, 21);
}

}  // namespace
}  // namespace lg
