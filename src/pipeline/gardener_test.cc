#include "pipeline/gardener.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>

#include "match/matcher.h"
#include "testing/fakes.h"

namespace lg {
namespace {

using testing::MemorySource;
using testing::MemoryStateStore;
using testing::MemoryTracker;

Timestamp At(int minute, int second = 0) {
  return *ParseTimestamp(fmt::format("2025-09-15T15:{:02}:{:02}Z", minute, second));
}

LogEntry Entry(std::string id, int minute, Severity sev, std::string message,
               std::string service = "api") {
  LogEntry e;
  e.insert_id = std::move(id);
  e.timestamp = At(minute);
  e.severity = sev;
  e.message = std::move(message);
  e.payload_kind = PayloadKind::kText;
  e.log_name = "projects/p/logs/run.googleapis.com%2Fstderr";
  e.resource_type = "cloud_run_revision";
  e.resource_labels = {{"service_name", std::move(service)}, {"revision_name", "api-00001-abc"}};
  return e;
}

std::vector<LogEntry> Corpus() {
  std::vector<LogEntry> v;
  for (int i = 0; i < 12; ++i) {
    v.push_back(Entry(fmt::format("r{}", i), i, Severity::kError,
                      fmt::format("Redis operation failed: Error 111 connecting to 10.0.0.{}:6379. Connection refused.", i)));
  }
  for (int i = 0; i < 5; ++i) {
    v.push_back(Entry(fmt::format("d{}", i), 20 + i, Severity::kWarning,
                      "DeprecationWarning: datetime.utcnow() is deprecated"));
  }
  v.push_back(Entry("c0", 30, Severity::kCritical, "Payment capture unavailable for 60s"));
  v.push_back(Entry("i0", 31, Severity::kInfo, "Order 5 confirmed"));
  v.push_back(Entry("n0", 31, Severity::kNotice, "Deploy finished"));
  v.push_back(Entry("o0", 32, Severity::kError, "Other service broke", "other"));
  LogEntry late = Entry("late", 0, Severity::kError, "Redis operation failed: Error 111");
  late.timestamp = *ParseTimestamp("2025-09-15T16:00:00Z");  // window end is exclusive
  v.push_back(late);
  return v;
}

RunOptions Options() {
  RunOptions o;
  o.service = "api";
  o.window = {At(0), *ParseTimestamp("2025-09-15T16:00:00Z")};
  return o;
}

RunOutput RunGardener(std::vector<LogEntry> entries, MemoryTracker& tracker, StateStore* state,
              const RunOptions& options = Options()) {
  MemorySource source(std::move(entries));
  FixedClock clock(*ParseTimestamp("2025-09-15T16:00:00Z"));
  auto out = RunPass(options, {&source}, tracker, state, clock);
  EXPECT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(out->act_status.ok()) << out->act_status.message();
  return std::move(*out);
}

TEST(RunPass, ScopesByServiceWindowAndSeverity) {
  MemoryTracker tracker;
  MemoryStateStore state;
  RunOutput out = RunGardener(Corpus(), tracker, &state);
  const Totals& t = out.report.totals;
  EXPECT_EQ(t.entries_read, 22u);
  EXPECT_EQ(t.in_scope, 20u);  // not the other service, not the entry at the window end
  EXPECT_EQ(t.selected, 18u);  // WARNING and above
  EXPECT_EQ(t.by_severity[SeverityIndex(Severity::kNotice)], 1u);
  std::set<std::string> ids;
  size_t total = 0;
  for (const Cluster& c : out.report.clusters) {
    EXPECT_EQ(c.count, c.entry_ids.size());
    total += c.entry_ids.size();
    ids.insert(c.entry_ids.begin(), c.entry_ids.end());
  }
  EXPECT_EQ(total, 18u);       // every selected entry in exactly one cluster
  EXPECT_EQ(ids.size(), 18u);
  EXPECT_FALSE(ids.count("o0") || ids.count("late") || ids.count("i0") || ids.count("n0"));
  ASSERT_EQ(out.report.clusters.size(), 3u);
  EXPECT_EQ(out.report.clusters[0].priority, 0);  // the CRITICAL one first
  EXPECT_EQ(out.report.clusters[0].id, "c1");
}

// An empty instanceId or revision_name is no name: it is not listed as an
// instance or revision affected, and it does not mark a deploy.
TEST(RunPass, EmptyInstanceAndRevisionNamesAreNoNames) {
  auto entries = Corpus();
  for (size_t i = 0; i < entries.size(); i += 2) {
    entries[i].labels = {{"instanceId", ""}};
    entries[i].resource_labels[1].value = "";
  }
  MemoryTracker tracker;
  RunOutput out = RunGardener(entries, tracker, nullptr);
  ASSERT_FALSE(out.report.clusters.empty());
  for (const Cluster& c : out.report.clusters) {
    EXPECT_FALSE(c.instances.count("")) << c.id;
    EXPECT_FALSE(c.revisions.count("")) << c.id;
    EXPECT_FALSE(c.after_deploy) << c.id;
  }
}

TEST(RunPass, ReportDoesNotDependOnInputOrder) {
  auto entries = Corpus();
  MemoryTracker t1;
  RunOutput a = RunGardener(entries, t1, nullptr);
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(entries.begin(), entries.end(), rng);
    MemoryTracker t2;
    RunOutput b = RunGardener(entries, t2, nullptr);
    ASSERT_EQ(a.report.clusters.size(), b.report.clusters.size());
    for (size_t i = 0; i < a.report.clusters.size(); ++i) {
      EXPECT_EQ(a.report.clusters[i].fingerprint, b.report.clusters[i].fingerprint);
      EXPECT_EQ(a.report.clusters[i].entry_ids, b.report.clusters[i].entry_ids);
      EXPECT_EQ(a.report.clusters[i].sample.insert_id, b.report.clusters[i].sample.insert_id);
      EXPECT_EQ(a.report.clusters[i].title, b.report.clusters[i].title);
    }
  }
}

TEST(RunPass, DuplicateEntriesCountOnce) {
  auto entries = Corpus();
  entries.push_back(entries[0]);
  MemoryTracker tracker;
  RunOutput out = RunGardener(entries, tracker, nullptr);
  EXPECT_EQ(out.report.totals.duplicates_dropped, 1u);
  EXPECT_EQ(out.report.totals.selected, 18u);
}

// --period latest's overlap: the first window hands back the keys of what it
// counted in its last minutes; the next window starts inside that overlap,
// drops exactly those, and counts a late arrival in the overlap once.
TEST(RunPass, OverlapWithThePreviousWindowCountsEveryEntryOnce) {
  const auto all = Corpus();
  std::vector<LogEntry> first_seen, second_seen;
  for (const auto& e : all) {
    if (e.insert_id == "d3") {
      second_seen.push_back(e);  // 15:23, arrives late: only the second run sees it
      continue;
    }
    first_seen.push_back(e);
    second_seen.push_back(e);
  }
  MemoryTracker tracker;
  RunOptions first = Options();
  first.window = {At(0), At(25)};
  first.edge_from = At(20);  // a five-minute overlap
  RunOutput a = RunGardener(first_seen, tracker, nullptr, first);
  EXPECT_EQ(a.edge_keys.size(), 4u) << "d0, d1, d2, d4 at 15:20-15:24";
  EXPECT_TRUE(std::is_sorted(a.edge_keys.begin(), a.edge_keys.end()));

  RunOptions second = Options();
  second.window = {At(20), *ParseTimestamp("2025-09-15T16:00:00Z")};
  second.already_seen.insert(a.edge_keys.begin(), a.edge_keys.end());
  RunOutput b = RunGardener(second_seen, tracker, nullptr, second);
  EXPECT_EQ(b.report.totals.already_seen, 4u);
  // The two windows together count what one window over everything does.
  RunOutput once = RunGardener(all, tracker, nullptr, Options());
  EXPECT_EQ(a.report.totals.selected + b.report.totals.selected, once.report.totals.selected);
  EXPECT_EQ(a.report.totals.in_scope + b.report.totals.in_scope, once.report.totals.in_scope);
}

TEST(RunPass, SecondRunOfTheSameWindowChangesNothing) {
  MemoryTracker tracker;
  MemoryStateStore state;
  RunOutput first = RunGardener(Corpus(), tracker, &state);
  EXPECT_EQ(first.report.created, 3);
  EXPECT_EQ(tracker.creates, 3);
  RunOutput second = RunGardener(Corpus(), tracker, &state);
  EXPECT_EQ(tracker.creates, 3);
  EXPECT_EQ(tracker.comment_posts, 0);
  EXPECT_EQ(second.report.already_done, 3);
  for (const Cluster& c : second.report.clusters) {
    EXPECT_EQ(c.action.kind, ActionKind::kCreate);  // reported as what this window did
    EXPECT_GT(c.action.new_issue, 0);
  }
  // Lost state: the fingerprint line in the issue bodies still prevents duplicates.
  MemoryStateStore fresh;
  RunOutput third = RunGardener(Corpus(), tracker, &fresh);
  EXPECT_EQ(tracker.creates, 3);
  EXPECT_EQ(tracker.comment_posts, 0);
  EXPECT_EQ(third.report.already_done, 3);
}

// A run whose state is lost finds the person's issue an earlier run updated
// for a cluster by the update comment's fingerprint marker, before any text
// matching: the gardener's own new issues, scoring high on the same words,
// cannot turn that update into a new filing.
TEST(RunPass, LostStateFindsTheIssueItUpdatedByItsCommentMarker) {
  MemoryTracker probe;
  RunOutput learn = RunGardener(Corpus(), probe, nullptr);
  std::string fp;
  for (const Cluster& c : learn.report.clusters) {
    if (c.name.find("Redis") != std::string::npos) fp = c.fingerprint;
  }
  ASSERT_FALSE(fp.empty());

  MemoryTracker tracker;
  Issue person;
  person.number = 7;
  person.title = "Cache layer unstable";
  person.body = "Redis connections drop now and then; sessions fall back to memory.";
  person.state = "open";
  tracker.Add(person);
  ASSERT_TRUE(tracker.AddComment(7, "Still happening.\n\n" + UpdateMarkerPrefix(fp) + "2025-09-15T14:00:00Z/2025-09-15T15:00:00Z").ok());
  tracker.comment_posts = 0;
  MemoryStateStore fresh;
  RunOutput out = RunGardener(Corpus(), tracker, &fresh);
  bool seen = false;
  for (const Cluster& c : out.report.clusters) {
    if (c.fingerprint != fp) continue;
    seen = true;
    EXPECT_EQ(c.action.kind, ActionKind::kComment);
    EXPECT_EQ(c.action.issue, 7);
    EXPECT_NE(c.action.rationale.find("earlier run's update comment"), std::string::npos) << c.action.rationale;
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(tracker.comment_posts, 1);
  EXPECT_EQ(tracker.creates, 2) << "the other two clusters only";
}

// Two clusters of one run that both match one closed issue (an incident
// whose lines fell in two clusters) file one regression issue: the second
// updates the first's.
TEST(RunPass, OneClosedIssueGetsOneRegressionIssuePerRun) {
  MemoryTracker tracker;
  Issue closed;
  closed.number = 40;
  closed.title = "Redis refusing connections, and datetime.utcnow() deprecation warnings all over the logs";
  closed.body =
      "Redis operation failed: Error 111 connecting to 10.0.0.4:6379. Connection refused.\n"
      "DeprecationWarning: datetime.utcnow() is deprecated\n\nResolution: restored the VPC route.";
  closed.state = "closed";
  tracker.Add(closed);
  const char* other[] = {"Dark mode toggle does not persist", "Upgrade the frontend build to Node 20",
                         "Typo on the billing page", "Document the deploy process",
                         "Emails sent twice for password reset", "Flaky pagination test on CI"};
  for (int k = 0; k < 6; ++k) {
    Issue i;
    i.number = 50 + k;
    i.title = other[k];
    i.body = "Nothing to do with the logs.";
    i.state = "open";
    tracker.Add(i);
  }
  MemoryStateStore state;
  RunOutput out = RunGardener(Corpus(), tracker, &state);
  int regressions = 0, updates = 0;
  int64_t filed = 0;
  for (const Cluster& c : out.report.clusters) {
    if (c.action.kind == ActionKind::kRegression) {
      ++regressions;
      EXPECT_EQ(c.action.issue, 40);
      filed = c.action.new_issue;
    }
  }
  ASSERT_EQ(regressions, 1);
  for (const Cluster& c : out.report.clusters) {
    if (c.action.kind != ActionKind::kComment) continue;
    ++updates;
    EXPECT_EQ(c.action.issue, filed) << c.action.rationale;
    EXPECT_NE(c.action.rationale.find("filed the regression of #40 in this run"), std::string::npos);
  }
  EXPECT_EQ(updates, 1);
  // And a rerun, with the state or without it, posts nothing.
  const int creates = tracker.creates, comments = tracker.comment_posts;
  RunGardener(Corpus(), tracker, &state);
  MemoryStateStore fresh;
  RunGardener(Corpus(), tracker, &fresh);
  EXPECT_EQ(tracker.creates, creates);
  EXPECT_EQ(tracker.comment_posts, comments);
}

// A crash loop on new instances while a serving instance is killed for its
// memory: the same 503 request log falls in both, so its template is split
// between two clusters and must name neither.
std::vector<LogEntry> CrashLoopAndDeathSharingARequestLog() {
  std::vector<LogEntry> v;
  auto on = [](LogEntry e, std::string instance, int second, std::string log = "stderr") {
    e.labels = {{"instanceId", std::move(instance)}};
    e.timestamp = Timestamp{e.timestamp->seconds + second, 0};
    e.log_name = "projects/p/logs/run.googleapis.com%2F" + log;
    return e;
  };
  auto request = [&](std::string id, int minute, std::string instance, int status, int second) {
    LogEntry e = Entry(std::move(id), minute, status >= 500 ? Severity::kError : Severity::kInfo,
                       "The request failed because either the HTTP response was malformed or connection to the "
                       "instance had an error.");
    if (status < 500) e.message = "GET /api/items → 200";
    e.http_request = HttpRequest{};
    e.http_request->method = "GET";
    e.http_request->url = "https://api.example.com/api/items";
    e.http_request->status = status;
    return on(std::move(e), std::move(instance), second, "requests");
  };
  for (int k = 0; k < 6; ++k) {  // new instances that die at boot
    const std::string inst = fmt::format("boot{}", k);
    v.push_back(on(Entry(fmt::format("m{}", k), 5 + 3 * k, Severity::kError,
                         "ModuleNotFoundError: No module named 'payments.client'"), inst, 1));
    v.push_back(request(fmt::format("b{}", k), 5 + 3 * k, inst, 503, 2));
  }
  for (int m = 0; m < 40; ++m) v.push_back(request(fmt::format("ok{}", m), m, "serving", 200, 0));
  for (int k = 0; k < 3; ++k) v.push_back(request(fmt::format("k{}", k), 40, "serving", 503, 10 + k));
  v.push_back(on(Entry("oom", 40, Severity::kError,
                       "Memory limit of 1024 MiB exceeded with 1031 MiB used. Consider increasing the memory limit."),
                 "serving", 20, "varlog%2Fsystem"));
  return v;
}

TEST(RunPass, ClustersSharingATemplateHaveTheirOwnFingerprintsAndIssues) {
  MemoryTracker tracker;
  MemoryStateStore state;
  RunOutput out = RunGardener(CrashLoopAndDeathSharingARequestLog(), tracker, &state);
  ASSERT_EQ(out.report.clusters.size(), 2u);
  const Cluster& a = out.report.clusters[0];
  const Cluster& b = out.report.clusters[1];
  EXPECT_NE(a.fingerprint, b.fingerprint);
  EXPECT_EQ(tracker.creates, 2);
  EXPECT_EQ(out.report.already_done, 0);
  EXPECT_NE(a.action.new_issue, b.action.new_issue);
  // The shared template's fingerprint maps to neither issue.
  for (const Cluster& c : out.report.clusters) {
    for (const std::string& fp : c.member_fingerprints) {
      const auto& other = &c == &a ? b : a;
      EXPECT_EQ(std::count(other.member_fingerprints.begin(), other.member_fingerprints.end(), fp), 0) << fp;
    }
  }
  // A rerun of the window files nothing more.
  RunGardener(CrashLoopAndDeathSharingARequestLog(), tracker, &state);
  EXPECT_EQ(tracker.creates, 2);
}

TEST(RunPass, NextWindowCommentsOnOwnIssueOnce) {
  MemoryTracker tracker;
  MemoryStateStore state;
  RunGardener(Corpus(), tracker, &state);
  RunOptions next = Options();
  next.window = {*ParseTimestamp("2025-09-15T15:30:00Z"), *ParseTimestamp("2025-09-15T16:30:00Z")};
  RunOutput out = RunGardener(Corpus(), tracker, &state, next);
  // The critical cluster continues into the next window: an update on its own
  // issue. The entry at 16:00 is a new shape of the Redis failure, which text
  // matching sends to the Redis issue filed by the first run.
  EXPECT_EQ(tracker.creates, 3);
  EXPECT_EQ(tracker.comment_posts, 2);
  EXPECT_EQ(out.report.commented, 2);
  RunGardener(Corpus(), tracker, &state, next);
  EXPECT_EQ(tracker.comment_posts, 2);
}

Issue MakeIssue(int64_t number, std::string state, std::string title, std::string body) {
  Issue i;
  i.number = number;
  i.state = std::move(state);
  i.title = std::move(title);
  i.body = std::move(body);
  return i;
}

TEST(RunPass, MatchesHumanIssuesOpenThenClosed) {
  MemoryTracker tracker;
  tracker.Add(MakeIssue(40, "open", "Redis connection refused in production",
                        "Redis operation failed with Error 111 connecting to port 6379: connection refused."));
  tracker.Add(MakeIssue(41, "closed", "Payment capture unavailable",
                        "Payment capture was unavailable for a while. Resolved."));
  tracker.Add(MakeIssue(42, "open", "Document the deployment process", "Nothing to do with logs."));
  MemoryStateStore state;
  RunOutput out = RunGardener(Corpus(), tracker, &state);
  const Cluster* redis = nullptr;
  const Cluster* payment = nullptr;
  for (const Cluster& c : out.report.clusters) {
    if (c.name.starts_with("Redis")) redis = &c;
    if (c.name.starts_with("Payment")) payment = &c;
  }
  ASSERT_TRUE(redis && payment);
  EXPECT_EQ(redis->action.kind, ActionKind::kComment);
  EXPECT_EQ(redis->action.issue, 40);
  EXPECT_EQ(payment->action.kind, ActionKind::kRegression);
  EXPECT_EQ(payment->action.issue, 41);
  EXPECT_TRUE(payment->title.starts_with("GCP-regression-P0-"));
  EXPECT_EQ(tracker.comment_posts, 1);
  EXPECT_EQ(tracker.creates, 2);  // the regression and the deprecation warnings
  const Issue& filed = tracker.issues().back();
  EXPECT_NE(filed.body.find("log-gardener fingerprint: lg1-"), std::string::npos);
}

TEST(RunPass, DryRunChangesNothingAndCapLimitsFilings) {
  MemoryTracker tracker;
  RunOptions dry = Options();
  dry.act.dry_run = true;
  RunOutput out = RunGardener(Corpus(), tracker, nullptr, dry);
  EXPECT_EQ(tracker.creates, 0);
  for (const Cluster& c : out.report.clusters) EXPECT_EQ(c.action.status, "planned (dry run)");

  MemoryStateStore state;
  RunOptions capped = Options();
  capped.act.max_new_issues = 1;
  RunOutput limited = RunGardener(Corpus(), tracker, &state, capped);
  EXPECT_EQ(tracker.creates, 1);
  EXPECT_EQ(limited.report.deferred, 2);
}

TEST(RunPass, TemplateIdsSurviveAcrossRunsThroughTheState) {
  MemoryTracker tracker;
  MemoryStateStore state;
  // Run 1: one user; run 2 (next window): other users, so the template
  // widens to `user <*>` — it keeps its id and so its fingerprint and issue.
  std::vector<LogEntry> one, two;
  for (int i = 0; i < 6; ++i) {
    one.push_back(Entry(fmt::format("a{}", i), i, Severity::kError,
                        fmt::format("Login failed for user alice from 10.0.0.{} after {} retries", i, i)));
  }
  const char* users[] = {"bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"};
  for (int i = 0; i < 8; ++i) {
    LogEntry e = Entry(fmt::format("b{}", i), i, Severity::kError,
                       fmt::format("Login failed for user {} from 10.0.1.{} after {} retries", users[i], i, i));
    e.timestamp = *ParseTimestamp(fmt::format("2025-09-15T16:{:02}:00Z", i));
    two.push_back(e);
  }
  RunOutput r1 = RunGardener(one, tracker, &state);
  ASSERT_EQ(r1.templates.size(), 1u);
  EXPECT_EQ(r1.templates[0].text, "Login failed for user alice from <IP> after <NUM> retries");
  RunOptions next = Options();
  next.window = {*ParseTimestamp("2025-09-15T16:00:00Z"), *ParseTimestamp("2025-09-15T17:00:00Z")};
  MemorySource source(two);
  FixedClock clock(*ParseTimestamp("2025-09-15T17:00:00Z"));
  auto r2 = RunPass(next, {&source}, tracker, &state, clock);
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  ASSERT_EQ(r2->templates.size(), 1u);
  EXPECT_EQ(r2->templates[0].text, "Login failed for user <*> from <IP> after <NUM> retries");
  EXPECT_EQ(r2->templates[0].id, r1.templates[0].id);
  ASSERT_EQ(r2->report.clusters.size(), 1u);
  EXPECT_EQ(r2->report.clusters[0].fingerprint, r1.report.clusters[0].fingerprint);
  EXPECT_EQ(r2->report.clusters[0].action.kind, ActionKind::kComment);
  EXPECT_EQ(tracker.creates, 1);
}

}  // namespace
}  // namespace lg
