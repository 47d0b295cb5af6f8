#include "triage/triage.h"

#include <gtest/gtest.h>

namespace lg {
namespace {

// One cluster over the given templates (text, severity, count each), with
// the statistics TriageCluster reads.
struct Fixture {
  std::vector<Template> templates;
  std::vector<TemplateStats> stats;
  Cluster cluster;

  void Add(std::string text, Severity severity, uint64_t count) {
    Template t;
    t.index = static_cast<uint32_t>(templates.size());
    t.text = std::move(text);
    TemplateStats s;
    s.count = count;
    s.max_severity = severity;
    s.by_severity[SeverityIndex(severity)] = count;
    cluster.templates.push_back(t.index);
    cluster.template_counts.push_back(count);
    cluster.count += count;
    cluster.by_severity[SeverityIndex(severity)] += count;
    templates.push_back(std::move(t));
    stats.push_back(std::move(s));
  }

  const Cluster& Triage(const TriageRules& rules = {}) {
    TriageCluster(cluster, templates, stats, rules);
    return cluster;
  }
};

TEST(Triage, ACriticalEntryIsP0) {
  Fixture f;
  f.Add("Payment capture unavailable: database pool exhausted", Severity::kCritical, 1);
  f.Add("QueuePool limit of size <NUM> overflow <NUM> reached", Severity::kError, 12);
  EXPECT_EQ(f.Triage().priority, 0);
  EXPECT_EQ(f.cluster.title.rfind("GCP-new-P0-", 0), 0u) << f.cluster.title;
}

TEST(Triage, ACrashLoopIsP0AndSaysSoInItsName) {
  Fixture f;
  f.Add("Database initialization timed out after <DURATION>", Severity::kError, 8);
  f.cluster.crash_loop = true;
  f.cluster.crashed_instances = 4;
  const Cluster& c = f.Triage();
  EXPECT_EQ(c.priority, 0);
  EXPECT_NE(c.name.find("crash loop (4 instances)"), std::string::npos) << c.name;
}

TEST(Triage, MostRequestsFailingIsP0OnlyWithEnoughOfThem) {
  Fixture f;
  f.Add("GET /api/threads → 503", Severity::kError, 40);
  f.cluster.failed_requests = 40;
  f.cluster.failed_request_share = 0.8;
  EXPECT_EQ(f.Triage().priority, 0);

  Fixture few;
  few.Add("GET /api/threads → 503", Severity::kError, 3);
  few.cluster.failed_requests = 3;
  few.cluster.failed_request_share = 1.0;  // 3 of 3: too few to say the service is down
  EXPECT_EQ(few.Triage().priority, 1);
}

// An error that failed even one user request is a user-facing failure; the
// same errors failing no request and under the P1 count are P2.
TEST(Triage, OneFailedUserRequestMakesErrorsP1) {
  Fixture f;
  f.Add("Unhandled error in POST /api/threads/{thread_id}/messages: TypeError", Severity::kError, 2);
  f.cluster.failed_requests = 1;
  EXPECT_EQ(f.Triage().priority, 1);
  EXPECT_EQ(f.cluster.priority_reason, "1 user request failed (P1 from 1)");

  Fixture none;
  none.Add("Unhandled error in POST /api/threads/{thread_id}/messages: TypeError", Severity::kError, 2);
  EXPECT_EQ(none.Triage().priority, 2);

  TriageRules strict;
  strict.p1_min_failed_requests = 5;
  Fixture configured;
  configured.Add("Unhandled error in POST /api/threads/{thread_id}/messages: TypeError", Severity::kError, 2);
  configured.cluster.failed_requests = 1;
  EXPECT_EQ(configured.Triage(strict).priority, 2);
}

TEST(Triage, RecurringErrorsOrAKilledInstanceAreP1) {
  Fixture f;
  f.Add("Redis operation failed: Error <NUM> connecting to <IP>:<NUM>", Severity::kError, 10);
  EXPECT_EQ(f.Triage().priority, 1);
  Fixture blip;
  blip.Add("Redis operation failed: Error <NUM> connecting to <IP>:<NUM>", Severity::kError, 9);
  EXPECT_EQ(blip.Triage().priority, 2);

  Fixture killed;
  killed.Add("Memory limit of <NUM> MiB exceeded with <NUM> MiB used", Severity::kError, 2);
  killed.cluster.killed_instances = 1;
  EXPECT_EQ(killed.Triage().priority, 1);
  EXPECT_NE(killed.cluster.name.find("1 instance killed"), std::string::npos) << killed.cluster.name;
}

// The main pattern says the system copes: at most P2, even with failed
// requests (but a P0 rule still wins).
TEST(Triage, ErrorsTheSystemCopesWithAreP2) {
  Fixture f;
  f.Add("LLM call failed, retrying in <DURATION> (attempt <NUM>/<NUM>)", Severity::kError, 60);
  f.cluster.failed_requests = 10;
  EXPECT_EQ(f.Triage().priority, 2);

  Fixture critical;
  critical.Add("LLM call failed, retrying in <DURATION> (attempt <NUM>/<NUM>)", Severity::kError, 60);
  critical.Add("All LLM providers down", Severity::kCritical, 1);
  EXPECT_EQ(critical.Triage().priority, 0);
}

TEST(Triage, WarningsAreP2WhenSlowOrManyElseP3) {
  Fixture slow;
  slow.Add("Slow request: GET /api/threads took <DURATION> (threshold <DURATION>)", Severity::kWarning, 5);
  EXPECT_EQ(slow.Triage().priority, 2);

  Fixture many;
  many.Add("SSOT WARNING: Found other WebSocket Manager classes", Severity::kWarning, 250);
  EXPECT_EQ(many.Triage().priority, 2);

  Fixture few;
  few.Add("datetime.datetime.utcnow() is deprecated", Severity::kWarning, 12);
  EXPECT_EQ(few.Triage().priority, 3);
}

// Deprecations are cosmetic however often every worker logs them at boot;
// the slow-warning rule still wins when the main pattern is not one.
TEST(Triage, DeprecationWarningsAreP3AtAnyVolume) {
  Fixture f;
  f.Add("/usr/local/lib/<ID>/site-packages/websockets/legacy/__init__.py:<NUM>: DeprecationWarning: "
        "websockets.legacy is deprecated",
        Severity::kWarning, 400);
  EXPECT_EQ(f.Triage().priority, 3);

  Fixture errors;
  errors.Add("Call to deprecated endpoint failed", Severity::kError, 30);
  EXPECT_EQ(errors.Triage().priority, 1) << "errors are not cosmetic";
}

TEST(Triage, BeganWithADeployIsARegression) {
  Fixture f;
  f.Add("ModuleNotFoundError: No module named 'auth_service'", Severity::kError, 30);
  f.cluster.after_deploy = true;
  const Cluster& c = f.Triage();
  EXPECT_EQ(c.category, "regression");
  EXPECT_EQ(c.title.rfind("GCP-regression-P1-", 0), 0u) << c.title;
  EXPECT_NE(c.name.find("after deploy"), std::string::npos) << c.name;
}

TEST(Triage, TitlesStayWithinGitHubsLimit) {
  const std::string title = MakeTitle("new", 2, std::string(400, 'x'));
  EXPECT_LE(title.size(), 256u);
  EXPECT_EQ(title.rfind("GCP-new-P2-", 0), 0u);
}

}  // namespace
}  // namespace lg
