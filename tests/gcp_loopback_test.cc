// The live source against a Cloud Logging + OAuth server on loopback
// (tests/fake_gcp/server.py): a service-account JWT the server verifies,
// paging with an empty page, a 429 and a 503 on the way, and the same report
// as reading the file; rejected keys, bad filters, the metadata server, an
// authorized_user file, and `--period latest` over a growing log.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "core/time.h"
#include "fake_gcp.h"
#include "gcp/logging_source.h"
#include "test_util.h"

namespace lg::test {
namespace {

const std::string kWindow = " --service checkout-api --period 'last 1 hour' --now 2025-09-15T16:00:00Z";

std::string Example() { return SourceDir() + "/examples/cloud-run-export.json"; }

TEST(GcpLoopback, LiveRunThroughPagesAndFaultsMatchesTheFileRun) {
  TempDir dir;
  FakeGcp gcp(dir, Example(), "--max-page 20 --empty-page --fail-429 2 --fail-503 4");
  ASSERT_TRUE(gcp.ok()) << Slurp(dir / "gcp-server.log");
  CommandResult live = RunCommand(gcp.Env() + Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " +
                                  gcp.api() + kWindow + " --tracker local:" + Quote(dir / "live.db") + " --json " +
                                  Quote(dir / "live.json") + " --worklog " + Quote(dir / "live-worklog"));
  ASSERT_EQ(live.exit_code, 0) << live.output;
  CommandResult file = RunCommand(Binary() + " run --source " + Quote(Example()) + kWindow + " --tracker local:" +
                                  Quote(dir / "file.db") + " --json " + Quote(dir / "file.json") + " -q");
  ASSERT_EQ(file.exit_code, 0) << file.output;

  const Comparable a = LoadComparable(dir / "live.json"), b = LoadComparable(dir / "file.json");
  EXPECT_FALSE(a.clusters.empty());
  EXPECT_EQ(a.clusters, b.clusters);
  EXPECT_EQ(a.fetched_severities, b.fetched_severities);
  EXPECT_EQ(a.clustered, b.clustered);
  EXPECT_TRUE(a.in_scope_null) << "a live run cannot count in-scope entries below the minimum";
  EXPECT_FALSE(b.in_scope_null);
  const auto worklog = std::filesystem::directory_iterator(dir / "live-worklog")->path().string();
  EXPECT_NE(Slurp(worklog).find("unknown (Cloud Logging returned only the severities asked for)"), std::string::npos);
  EXPECT_NE(live.output.find("gcp:acme-shop-prod: 31 entries in 3 pages, and 41 context entries below the minimum in 4 pages "
                                "(2 empty), 2 retries"), std::string::npos) << live.output;

  simdjson::dom::parser p;
  simdjson::dom::element s = gcp.State(p);
  EXPECT_EQ(Int(s, "token_requests"), 1) << "one token for the whole run";
  EXPECT_EQ(Int(s, "served_429"), 1);
  EXPECT_EQ(Int(s, "served_503"), 1);
  EXPECT_EQ(Int(s, "empty_pages"), 2) << "one at the start of each query";
  EXPECT_EQ(Int(s, "entries_served"), 31 + 41) << "the WARNING+ entries, then the context";
  EXPECT_EQ(s["violations"].get_array().size(), 0u) << simdjson::minify(s["violations"]);
  std::string_view filter = s["filters"].at(0).get_string().value();
  EXPECT_EQ(filter,
            "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"checkout-api\" AND "
            "severity>=WARNING AND timestamp>=\"2025-09-15T15:00:00Z\" AND timestamp<\"2025-09-15T16:00:00Z\"");
  // The context query: below the minimum, only the logs with correlation signals.
  std::string_view context = s["filters"].at(1).get_string().value();
  EXPECT_NE(context.find("severity<WARNING AND"), std::string_view::npos) << context;
  EXPECT_NE(context.find("logName=(\"projects/acme-shop-prod/logs/run.googleapis.com%2Frequests\" OR "),
            std::string_view::npos)
      << context;
  // The token never shows up in what the run printed.
  EXPECT_EQ(live.output.find("ya29."), std::string::npos);
}

TEST(GcpLoopback, RejectedKeyExits2NamingTheFileAndTheAnswerAndWritesNothing) {
  TempDir dir;
  FakeGcp gcp(dir, Example());
  ASSERT_TRUE(gcp.ok());
  const std::string foreign = gcp.WriteForeignKey();
  CommandResult r = RunCommand("env -u GCE_METADATA_HOST GOOGLE_APPLICATION_CREDENTIALS=" + Quote(foreign) + " " +
                               Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " + gcp.api() +
                               kWindow + " --tracker local:" + Quote(dir / "t.db") + " --json " +
                               Quote(dir / "out/r.json") + " --worklog " + Quote(dir / "out/worklog"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(foreign), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Invalid JWT Signature."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("invalid_grant"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "no report or worklog after a rejected key";
  simdjson::dom::parser p;
  EXPECT_EQ(Int(gcp.State(p), "list_requests"), 0) << "nothing is listed without a token";
  EXPECT_EQ(Int(gcp.State(p), "token_requests"), 1) << "a rejection is final: no retry";
}

TEST(GcpLoopback, FilterTheApiCannotParseStopsWithItsMessage) {
  TempDir dir;
  FakeGcp gcp(dir, Example());
  ASSERT_TRUE(gcp.ok());
  CommandResult r = RunCommand(gcp.Env() + Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " +
                               gcp.api() + kWindow + " --filter 'jsonPayload.message =' --tracker local:" +
                               Quote(dir / "t.db") + " --json " + Quote(dir / "r.json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("Unparseable filter"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("project acme-shop-prod"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "r.json"));
}

// --filter means the same for both paths: Cloud Logging (here the loopback
// server's own parser) evaluates it for gcp:, the gardener for files.
TEST(GcpLoopback, UserFilterMeansTheSameForLiveAndFileSources) {
  TempDir dir;
  FakeGcp gcp(dir, Example());
  ASSERT_TRUE(gcp.ok());
  const std::string filter = " --filter 'severity>=ERROR AND NOT jsonPayload.message:\"queuepool\"'";
  CommandResult live = RunCommand(gcp.Env() + Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " +
                                  gcp.api() + kWindow + filter + " --tracker local:" + Quote(dir / "live.db") +
                                  " --json " + Quote(dir / "live.json") + " -q");
  ASSERT_EQ(live.exit_code, 0) << live.output;
  CommandResult file = RunCommand(Binary() + " run --source " + Quote(Example()) + kWindow + filter +
                                  " --tracker local:" + Quote(dir / "file.db") + " --json " +
                                  Quote(dir / "file.json") + " -q");
  ASSERT_EQ(file.exit_code, 0) << file.output;
  const Comparable a = LoadComparable(dir / "live.json"), b = LoadComparable(dir / "file.json");
  EXPECT_EQ(a.fetched_severities.count("WARNING"), 0u);
  EXPECT_EQ(a.fetched_severities.at("ERROR"), 11) << "19 ERRORs, 8 of them QueuePool";
  EXPECT_EQ(a.clusters, b.clusters);
  EXPECT_EQ(a.fetched_severities, b.fetched_severities);
  // A filter the gardener cannot parse stops a file run before anything is read.
  CommandResult bad = RunCommand(Binary() + " run --source " + Quote(Example()) + kWindow +
                                 " --filter 'severity>=' --tracker local:" + Quote(dir / "bad.db"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--filter: filter position 11"), std::string::npos) << bad.output;
}

TEST(GcpLoopback, MetadataServerWhenNoKeyIsSet) {
  TempDir dir;
  FakeGcp gcp(dir, Example());
  ASSERT_TRUE(gcp.ok());
  CommandResult r = RunCommand("env -u GOOGLE_APPLICATION_CREDENTIALS HOME=" + Quote(dir.path()) +
                               " CLOUDSDK_CONFIG=" + Quote(dir / "none") + " GCE_METADATA_HOST=" + gcp.host() + " " +
                               Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " + gcp.api() + kWindow +
                               " --tracker local:" + Quote(dir / "t.db") + " --json " + Quote(dir / "r.json") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  simdjson::dom::parser p;
  simdjson::dom::element s = gcp.State(p);
  EXPECT_EQ(Int(s, "metadata_requests"), 1);
  EXPECT_EQ(Int(s, "token_requests"), 0);
  EXPECT_EQ(LoadComparable(dir / "r.json").clustered, 31);
}

TEST(GcpLoopback, AuthorizedUserFileUsesTheRefreshGrantAtItsTokenUri) {
  TempDir dir;
  FakeGcp gcp(dir, Example());
  ASSERT_TRUE(gcp.ok());
  WriteText(dir / "user.json", "{\"type\":\"authorized_user\",\"client_id\":\"id\",\"client_secret\":\"s\","
                               "\"refresh_token\":\"test-refresh-token\",\"token_uri\":\"" + gcp.api() + "/token\"}");
  CommandResult r = RunCommand("env -u GCE_METADATA_HOST GOOGLE_APPLICATION_CREDENTIALS=" + Quote(dir / "user.json") +
                               " " + Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " + gcp.api() +
                               kWindow + " --tracker local:" + Quote(dir / "t.db") + " --json " +
                               Quote(dir / "r.json") + " -q");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  simdjson::dom::parser p;
  EXPECT_EQ(Int(gcp.State(p), "token_requests"), 1);
}

TEST(GcpLoopback, UnknownAccessTokenIsRefusedWithWhatToCheck) {
  TempDir dir;
  FakeGcp gcp(dir, Example());
  ASSERT_TRUE(gcp.ok());
  WriteText(dir / "token", "not-a-token-the-server-issued\n");
  CommandResult r = RunCommand(Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " + gcp.api() +
                               kWindow + " --access-token-file " + Quote(dir / "token") + " --tracker local:" +
                               Quote(dir / "t.db") + " --json " + Quote(dir / "r.json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("HTTP 401"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("logging.logEntries.list"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("not-a-token-the-server-issued"), std::string::npos) << "the token is never printed";
}

// Two `--period latest` runs over a log that grows between them, with late
// entries landing inside the overlap: every entry is counted exactly once.
TEST(GcpLoopback, LatestRunsOverAGrowingLogCountEveryEntryOnce) {
  TempDir dir;
  // The example as NDJSON; the first run sees what had arrived by 15:40,
  // minus the two late WARNING+ entries of 15:35-15:40 (inside the overlap;
  // the ERROR of 15:33 is in it too and seen by both runs).
  simdjson::dom::parser p;
  simdjson::dom::element all;
  const std::string text = Slurp(Example());
  ASSERT_EQ(p.parse(text).get(all), simdjson::SUCCESS);
  std::string early, full;
  int late = 0;
  for (simdjson::dom::element e : all.get_array()) {
    const std::string line = simdjson::minify(e) + "\n";
    full += line;
    const std::string_view ts = e["timestamp"].get_string().value();
    std::string_view sev = "DEFAULT";
    if (e["severity"].get(sev) != simdjson::SUCCESS) sev = "DEFAULT";
    const bool late_part = ts >= "2025-09-15T15:35" && ts < "2025-09-15T15:40";
    if (late_part && (sev == "WARNING" || sev == "ERROR")) {
      ++late;  // arrives after the first run
      continue;
    }
    if (ts < "2025-09-15T15:40") early += line;
  }
  ASSERT_EQ(late, 2) << "the example has two WARNING+ entries between 15:35 and 15:40";
  const std::string log = dir / "growing.ndjson";
  WriteText(log, early);
  FakeGcp gcp(dir, log);
  ASSERT_TRUE(gcp.ok());
  auto latest = [&](const std::string& now, const std::string& json) {
    return RunCommand(gcp.Env() + Binary() + " run --source gcp:acme-shop-prod --gcp-logging-api " + gcp.api() +
                      " --service checkout-api --period latest --overlap 10m --now " + now + " --tracker local:" +
                      Quote(dir / "t.db") + " --json " + Quote(json) + " -q");
  };
  CommandResult first = latest("2025-09-15T15:40:00Z", dir / "first.json");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  WriteText(log, full);
  CommandResult second = latest("2025-09-15T16:10:00Z", dir / "second.json");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  // One run over the union of both windows, from the whole file.
  CommandResult once = RunCommand(Binary() + " run --source " + Quote(Example()) +
                                  " --service checkout-api --since 2025-09-15T14:40:00Z --until 2025-09-15T16:10:00Z"
                                  " --tracker local:" + Quote(dir / "once.db") + " --json " +
                                  Quote(dir / "once.json") + " -q");
  ASSERT_EQ(once.exit_code, 0) << once.output;
  const Comparable a = LoadComparable(dir / "first.json"), b = LoadComparable(dir / "second.json"), all_once = LoadComparable(dir / "once.json");
  EXPECT_EQ(a.clustered + b.clustered, all_once.clustered);
  for (const auto& [sev, n] : all_once.fetched_severities) {
    const int64_t got = (a.fetched_severities.count(sev) ? a.fetched_severities.at(sev) : 0) +
                        (b.fetched_severities.count(sev) ? b.fetched_severities.at(sev) : 0);
    EXPECT_EQ(got, n) << sev;
  }
  // The second run looked back into the overlap and found the late entries there.
  simdjson::dom::element second_report;
  const std::string second_text = Slurp(dir / "second.json");
  ASSERT_EQ(p.parse(second_text).get(second_report), simdjson::SUCCESS);
  EXPECT_EQ(second_report["window"]["start"].get_string().value(), "2025-09-15T15:30:00Z");
  EXPECT_EQ(Int(second_report["totals"], "already_seen"), 1) << "the ERROR of 15:33";
}

// The next page is asked for while the current one is being gardened: the
// visitor holds the first entry until the server has seen the second page's
// request (without fetching ahead it never would, and the test fails after
// 20 s), and every entry still arrives once, in order.
TEST(GcpLoopback, NextPageIsFetchedWhileThisOneIsGardened) {
  TempDir dir;
  FakeGcp gcp(dir, Example(), "--max-page 5");
  ASSERT_TRUE(gcp.ok()) << Slurp(dir / "gcp-server.log");
  auto token = gcp::FromKeyFile(gcp.key_file(), "https://www.googleapis.com/auth/logging.read");
  ASSERT_TRUE(token.ok()) << token.status().message();
  gcp::LoggingOptions o;
  o.project = "acme-shop-prod";
  o.api = gcp.api();
  o.scope.service = "checkout-api";
  o.scope.window = *WindowFromPeriod("last 1 hour", *ParseTimestamp("2025-09-15T16:00:00Z"));
  o.min_interval_s = 0;
  o.context = gcp::LiveContext::kNone;
  gcp::GcpLoggingSource source(o, std::shared_ptr<gcp::TokenSource>(std::move(*token)), SourceOptions{});
  bool prefetched = false;
  std::vector<std::string> ids;
  Status s = source.Read([&](const SourcedEntry& e) {
    if (ids.empty()) {
      simdjson::dom::parser p;
      for (int i = 0; i < 400 && !prefetched; ++i) {
        prefetched = Int(gcp.State(p), "list_requests") >= 2;
        if (!prefetched) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    ids.push_back(e.entry.insert_id);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(prefetched) << "the second page was not asked for while the first was gardened";
  EXPECT_EQ(ids.size(), 31u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "an entry came twice";
  EXPECT_EQ(source.pages(), 7u) << source.Summary();
  simdjson::dom::parser p;
  EXPECT_EQ(Int(gcp.State(p), "entries_served"), 31);
}

}  // namespace
}  // namespace lg::test
