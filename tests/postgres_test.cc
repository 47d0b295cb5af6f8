// The PostgreSQL state store against a real server on loopback
// (scripts/start-postgres.sh; LG_POSTGRES_URL names it, and every test makes
// its own database). Migrations, the StateStore contract, leases and filing
// claims between connections, and whole workers: four at once file each
// incident exactly once, and a worker killed mid-filing leaves nothing that a
// rerun duplicates or loses. Skips, visibly, without a server.
#include <gtest/gtest.h>

#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "state/postgres_state_store.h"
#include "fake_github.h"
#include "test_util.h"
#include "trackers/github_client.h"

namespace lg::test {
namespace {

constexpr const char* kToken = "test-token-not-a-secret";

// A fresh database on the test server; its URL.
std::string FreshDatabase() {
  const char* url = std::getenv("LG_POSTGRES_URL");
  if (!url || !*url) return "";
  static std::mt19937_64 rng(std::random_device{}());
  const std::string name = "lg_test_" + std::to_string(rng() % 1000000000);
  PGconn* c = PQconnectdb(url);
  if (PQstatus(c) != CONNECTION_OK) {
    ADD_FAILURE() << "LG_POSTGRES_URL " << url << ": " << PQerrorMessage(c);
    PQfinish(c);
    return "";
  }
  PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) ADD_FAILURE() << PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  std::string base(url);
  return ok ? base.substr(0, base.rfind('/') + 1) + name : "";
}

#define NEED_POSTGRES(url)                                                                          \
  const std::string url = FreshDatabase();                                                          \
  if (url.empty()) {                                                                                \
    if (!std::getenv("LG_POSTGRES_URL")) GTEST_SKIP() << "LG_POSTGRES_URL is not set: no PostgreSQL " \
                                                         "server (scripts/test.sh starts one)";      \
    FAIL() << "could not create a test database";                                                   \
  }

TEST(Postgres, MigratesOnceAndRefusesANewerSchema) {
  NEED_POSTGRES(url);
  {
    auto a = PostgresStateStore::Open(url);
    ASSERT_TRUE(a.ok()) << a.status().message();
    EXPECT_EQ(*(*a)->SchemaVersion(), PostgresStateStore::LatestSchemaVersion());
    auto b = PostgresStateStore::Open(url);  // already migrated: nothing to do
    ASSERT_TRUE(b.ok()) << b.status().message();
    EXPECT_EQ(*(*b)->SchemaVersion(), PostgresStateStore::LatestSchemaVersion());
  }
  PGconn* c = PQconnectdb(url.c_str());
  PQclear(PQexec(c, "INSERT INTO lg_schema_migrations (version) VALUES (999)"));
  PQfinish(c);
  auto newer = PostgresStateStore::Open(url);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(newer.status().message().find("999 is newer"), std::string::npos) << newer.status().message();
}

TEST(Postgres, ConcurrentFirstOpensMigrateOnce) {
  NEED_POSTGRES(url);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (PostgresStateStore::Open(url).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
}

TEST(Postgres, KeepsWhatTheSqliteStoreKeeps) {
  NEED_POSTGRES(url);
  auto opened = PostgresStateStore::Open(url);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  StateStore& s = **opened;
  EXPECT_FALSE(s.IssueForFingerprint("lg1-a")->has_value());
  ASSERT_TRUE(s.MapFingerprint("lg1-a", 7).ok());
  ASSERT_TRUE(s.MapFingerprint("lg1-a", 8).ok());
  EXPECT_EQ(**s.IssueForFingerprint("lg1-a"), 8);
  JournalRecord j{"lg1-a|w", "create", "lg1-a", 0, 0, "planned", "w"};
  ASSERT_TRUE(s.RecordAction(j).ok());
  j.status = "confirmed";
  j.new_issue = 8;
  ASSERT_TRUE(s.RecordAction(j).ok());
  auto found = s.FindAction("lg1-a|w");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->status, "confirmed");
  EXPECT_EQ((*found)->new_issue, 8);
  ASSERT_TRUE(s.SaveTemplates({{0xabcdefULL, "g", "Redis <NUM>", 3}}).ok());
  ASSERT_TRUE(s.SaveTemplates({{0xabcdefULL, "g", "Redis <NUM> at <IP>", 2}}).ok());
  auto t = s.LoadTemplates({"g"});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].text, "Redis <NUM> at <IP>");
  EXPECT_EQ((*t)[0].count, 5u);
  ASSERT_TRUE(s.SetWatermarkAndEdge("latest|api", "2025-09-15T16:00:00Z", {1, 0xffffffffffffffffULL}).ok());
  EXPECT_EQ(**s.GetWatermark("latest|api"), "2025-09-15T16:00:00Z");
  EXPECT_EQ(*s.GetEdgeKeys("latest|api"), (std::vector<uint64_t>{1, 0xffffffffffffffffULL}));
  ASSERT_TRUE(s.RecordRun({"2025-09-15T16:00:01Z", "api", "a", "b", 10, 2, 1, 1}).ok());
  EXPECT_EQ(s.Describe().find("postgres://"), 0u);
}

TEST(Postgres, LeasesAndClaimsBetweenWorkers) {
  NEED_POSTGRES(url);
  auto a = PostgresStateStore::Open(url);
  auto b = PostgresStateStore::Open(url);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE((*a)->TryLease("run|api|w", "A", 60)->granted);
  auto held = (*b)->TryLease("run|api|w", "B", 60);
  EXPECT_FALSE(held->granted);
  EXPECT_EQ(held->holder, "A");
  EXPECT_TRUE((*a)->TryLease("run|api|w", "A", 60)->granted) << "renewal";
  EXPECT_TRUE((*b)->TryLease("run|api|w", "B", 60, "A")->granted) << "A is known dead: taken over";
  ASSERT_TRUE((*b)->ReleaseLease("run|api|w", "B").ok());
  EXPECT_TRUE((*a)->TryLease("run|api|w", "A", 0)->granted);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE((*b)->TryLease("run|api|w", "B", 60)->granted) << "A's lease expired";

  auto first = (*a)->ClaimFiling("lg1-x|create", "A", 600);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->granted);
  auto second = (*b)->ClaimFiling("lg1-x|create", "B", 600);
  EXPECT_FALSE(second->granted);
  EXPECT_EQ(second->holder, "A");
  EXPECT_EQ(second->issue, 0);
  ASSERT_TRUE((*a)->CompleteFiling("lg1-x|create", 42).ok());
  auto third = (*b)->ClaimFiling("lg1-x|create", "B", 0);
  EXPECT_FALSE(third->granted) << "filed: never again, however old";
  EXPECT_EQ(third->issue, 42);
  // A claim abandoned mid-filing is taken over once stale, or at once from a dead holder.
  EXPECT_TRUE((*a)->ClaimFiling("lg1-y|create", "A", 600)->granted);
  EXPECT_FALSE((*b)->ClaimFiling("lg1-y|create", "B", 600)->granted);
  EXPECT_TRUE((*b)->ClaimFiling("lg1-y|create", "B", 600, "A")->granted);
  EXPECT_FALSE((*a)->ClaimFiling("lg1-y|create", "A", 600, "C")->granted) << "only the named holder";
}

TEST(Postgres, ManyWorkersClaimOneIncidentOnce) {
  NEED_POSTGRES(url);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto s = PostgresStateStore::Open(url);
      if (!s.ok()) return;
      for (int k = 0; k < 20; ++k) {
        auto c = (*s)->ClaimFiling("lg1-race-" + std::to_string(k), "W" + std::to_string(i), 600);
        if (c.ok() && c->granted) ++granted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 20) << "each of 20 incidents claimed by exactly one of 8 workers";
}

// --- whole workers against the GitHub-like server on loopback ---

class Fleet : public ::testing::Test {
 protected:
  void SetUp() override {
    github_ = std::make_unique<FakeGitHub>(dir_);
    ASSERT_TRUE(github_->ok());
    api_ = github_->api();
    ASSERT_TRUE(github_->SeedExample());
  }
  bool Control(const std::string& path, const std::string& json) { return github_->Control(path, json); }
  std::string State() { return github_->State(); }
  // One worker's command line; `now` picks its window (the hour before). The
  // name is in its JSON report's path, which the server's kill switch looks for.
  std::string Worker(const std::string& state, const std::string& name, const std::string& now) {
    return std::string("GITHUB_TOKEN=") + kToken + " " + Binary() + " run --source " +
           Quote(SourceDir() + "/examples/cloud-run-export.json") + " --service checkout-api --period 'last 1 hour'" +
           " --now " + now + " --tracker github:acme/shop --github-api " + api_ + " --state " + Quote(state) +
           " --json " + Quote(dir_ / (name + ".json")) + " -q";  // each worker is host:pid
  }
  // A worker given several services (each leased on its own).
  std::string ServicesWorker(const std::string& state, const std::string& name, const std::string& now) {
    return std::string("GITHUB_TOKEN=") + kToken + " " + Binary() + " run --source " +
           Quote(SourceDir() + "/examples/cloud-run-export.json") +
           " --service checkout-api --service inventory-api --period 'last 1 hour' --now " + now +
           " --tracker github:acme/shop --github-api " + api_ + " --state " + Quote(state) + " --json " +
           Quote(dir_ / (name + "-{service}.json")) + " -q";
  }
  // Issues carrying each fingerprint line, from what the server holds.
  std::map<std::string, int> IssuesPerFingerprint() {
    std::map<std::string, int> out;
    simdjson::dom::parser p;
    simdjson::dom::element s;
    const std::string text = State();
    if (p.parse(text).get(s) != simdjson::SUCCESS) return out;
    for (simdjson::dom::element i : s["issues"].get_array()) {
      std::string_view body = i["body"].get_string().value();
      const size_t at = body.find("log-gardener fingerprint: ");
      if (at == std::string_view::npos) continue;
      ++out[std::string(body.substr(at + 26, 20))];
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<FakeGitHub> github_;
  std::string api_;
};

TEST_F(Fleet, FourWorkersAtOnceFileEachIncidentExactlyOnce) {
  NEED_POSTGRES(url);
  // Four workers started together: two on the same window (one gardens it,
  // the other finds it leased), two on overlapping windows (both garden, and
  // the filing claims decide who files each incident they share).
  const std::string script = "( " + Worker(url, "w1", "2025-09-15T16:00:00Z") + " ) & ( " +
                             Worker(url, "w2", "2025-09-15T16:00:00Z") + " ) & ( " +
                             Worker(url, "w3", "2025-09-15T16:10:00Z") + " ) & ( " +
                             Worker(url, "w4", "2025-09-15T16:20:00Z") + " ) & wait";
  WriteText(dir_ / "fleet.sh", script + "\n");
  CommandResult r = RunCommand("bash " + Quote(dir_ / "fleet.sh"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto per = IssuesPerFingerprint();
  // The example's window files three issues (a P0, a regression, a P3).
  ASSERT_GE(per.size(), 3u) << State().substr(0, 1500);
  for (const auto& [fp, n] : per) EXPECT_EQ(n, 1) << fp << " filed " << n << " times";
  // Rerunning every worker changes nothing.
  const std::string before = State();
  CommandResult again = RunCommand("bash " + Quote(dir_ / "fleet.sh"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(IssuesPerFingerprint(), per);
}

TEST_F(Fleet, AWorkerKilledMidFilingLeavesNothingToDuplicateOrLose) {
  NEED_POSTGRES(url);
  // The uninterrupted result, on a database of its own and a fresh server seed.
  NEED_POSTGRES(reference_url);
  ASSERT_EQ(RunCommand(Worker(reference_url, "ref", "2025-09-15T16:00:00Z")).exit_code, 0);
  const auto expected = IssuesPerFingerprint();
  ASSERT_GE(expected.size(), 3u);
  ASSERT_TRUE(github_->SeedExample());
  // Killed while the server files its third issue (the request took effect,
  // the worker never heard), then another worker and the first again.
  ASSERT_TRUE(Control("/_config", "{\"kill\":{\"marker\":\"" + std::string(dir_ / "w1.json") +
                                      "\",\"at\":6,\"phase\":\"before-reply\"}}"));
  CommandResult killed = RunCommand(Worker(url, "w1", "2025-09-15T16:00:00Z"));
  EXPECT_NE(killed.exit_code, 0) << killed.output;
  ASSERT_TRUE(Control("/_config", R"({"kill":null})"));
  // The dead worker's lease and claim are on this machine: taken over at once.
  CommandResult other = RunCommand(Worker(url, "w2", "2025-09-15T16:00:00Z"));
  ASSERT_EQ(other.exit_code, 0) << other.output;
  EXPECT_EQ(other.output.find("being gardened by"), std::string::npos) << other.output;
  EXPECT_EQ(IssuesPerFingerprint(), expected);
  CommandResult first_again = RunCommand(Worker(url, "w1", "2025-09-15T16:00:00Z"));
  ASSERT_EQ(first_again.exit_code, 0) << first_again.output;
  EXPECT_EQ(IssuesPerFingerprint(), expected);
}

TEST_F(Fleet, WorkersGivenSeveralServicesShareThemAndFileEachIncidentOnce) {
  NEED_POSTGRES(url);
  std::string script;
  for (int w = 1; w <= 3; ++w) script += "( " + ServicesWorker(url, "w" + std::to_string(w), "2025-09-15T16:00:00Z") + " ) & ";
  WriteText(dir_ / "fleet.sh", script + "wait\n");
  CommandResult r = RunCommand("bash " + Quote(dir_ / "fleet.sh"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Every service was gardened (by whichever worker held it) ...
  for (const std::string service : {"checkout-api", "inventory-api"}) {
    int reports = 0;
    for (int w = 1; w <= 3; ++w) reports += std::filesystem::exists(dir_ / ("w" + std::to_string(w) + "-" + service + ".json"));
    EXPECT_GE(reports, 1) << service;
  }
  // ... and each incident of both is filed once.
  const auto per = IssuesPerFingerprint();
  ASSERT_GE(per.size(), 4u) << State().substr(0, 1500);  // three of checkout-api's, one of inventory-api's
  for (const auto& [fp, n] : per) EXPECT_EQ(n, 1) << fp << " filed " << n << " times";
  EXPECT_NE(State().find("inventory-api"), std::string::npos) << "the second service's incident was filed";
}

// Two `watch` workers on the same services: a service is leased (not a
// window) and continues from its own watermark, so between them every entry
// is gardened exactly once.
TEST_F(Fleet, WatchWorkersSplitServicesAndGardenEachEntryOnce) {
  NEED_POSTGRES(url);
  const auto now = std::chrono::system_clock::now();
  std::string logs;
  int selected = 0;
  for (int k = 0; k < 60; ++k) {
    const std::time_t t = std::chrono::system_clock::to_time_t(now - std::chrono::minutes(30) + std::chrono::seconds(k * 20));
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const std::string service = k % 3 ? "api" : "web";
    const std::string severity = k % 5 == 4 ? "INFO" : (k % 3 ? "ERROR" : "WARNING");
    selected += severity != "INFO";
    logs += "{\"insertId\":\"x" + std::to_string(k) + "\",\"timestamp\":\"" + ts + "\",\"severity\":\"" + severity +
            "\",\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\"" + service +
            "\"}},\"textPayload\":\"" + (service == "api" ? "Redis error 111 connecting to 10.0.0." : "slow render of page ") +
            std::to_string(k) + "\"}\n";
  }
  WriteText(dir_ / "logs.ndjson", logs);
  auto watcher = [&](const std::string& name) {
    return std::string("GITHUB_TOKEN=") + kToken + " " + Binary() + " watch --every 1h --max-passes 1 --source " +
           Quote(dir_ / "logs.ndjson") + " --service api --service web --tracker github:acme/shop --github-api " + api_ +
           " --state " + Quote(url) + " --worker " + name + " > " + Quote(dir_ / (name + ".txt")) + " 2>&1";
  };
  WriteText(dir_ / "watch.sh", "( " + watcher("a") + " ) & ( " + watcher("b") + " ) & wait\n");
  ASSERT_EQ(RunCommand("bash " + Quote(dir_ / "watch.sh")).exit_code, 0);
  auto gardened = [](const std::string& text) {
    uint64_t n = 0;
    for (size_t p = 0; (p = text.find("Z: ", p)) != std::string::npos; ++p) n += std::strtoull(text.c_str() + p + 3, nullptr, 10);
    return n;
  };
  const std::string a = Slurp(dir_ / "a.txt"), b = Slurp(dir_ / "b.txt");
  EXPECT_EQ(gardened(a) + gardened(b), static_cast<uint64_t>(selected)) << a << b;
  const auto per = IssuesPerFingerprint();
  ASSERT_GE(per.size(), 2u) << State().substr(0, 1500);
  for (const auto& [fp, n] : per) EXPECT_EQ(n, 1) << fp << " filed " << n << " times";
  // A later pass of either finds nothing new before its watermark.
  ASSERT_EQ(RunCommand(watcher("a")).exit_code, 0);
  EXPECT_EQ(gardened(Slurp(dir_ / "a.txt")), 0u) << Slurp(dir_ / "a.txt");
}

}  // namespace
}  // namespace lg::test
