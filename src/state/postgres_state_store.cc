#include "state/postgres_state_store.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <functional>
#include <vector>

#include <fmt/format.h>

namespace lg {

class PostgresStateStore::Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&& o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() {
    if (r_) PQclear(r_);
  }
  int rows() const { return PQntuples(r_); }
  std::string Text(int row, int col) const { return PQgetvalue(r_, row, col); }
  int64_t Int(int row, int col) const { return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10); }

 private:
  PGresult* r_;
};

namespace {

// Migrations, applied in order; never edit one that has shipped, add another.
struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE lg_fingerprints (
  fingerprint TEXT PRIMARY KEY,
  issue       BIGINT NOT NULL
);
CREATE TABLE lg_journal (
  key         TEXT PRIMARY KEY,   -- the idempotency key: fingerprint|window
  kind        TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  issue       BIGINT NOT NULL,
  new_issue   BIGINT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('planned', 'sent', 'confirmed')),
  time_window TEXT NOT NULL
);
CREATE TABLE lg_runs (
  id           BIGSERIAL PRIMARY KEY,
  started_at   TEXT NOT NULL,
  service      TEXT NOT NULL,
  window_start TEXT NOT NULL,
  window_end   TEXT NOT NULL,
  entries_read BIGINT NOT NULL,
  clusters     BIGINT NOT NULL,
  created      BIGINT NOT NULL,
  commented    BIGINT NOT NULL
);
CREATE TABLE lg_templates (
  id    TEXT PRIMARY KEY,
  grp   TEXT NOT NULL,
  text  TEXT NOT NULL,
  count BIGINT NOT NULL
);
CREATE INDEX lg_templates_grp ON lg_templates (grp);
CREATE TABLE lg_watermarks (
  key TEXT PRIMARY KEY,
  at  TEXT NOT NULL
);
CREATE TABLE lg_edges (
  key  TEXT PRIMARY KEY,
  seen TEXT NOT NULL
);
)sql"},
    {2, R"sql(
CREATE TABLE lg_leases (
  key        TEXT PRIMARY KEY,        -- run|service|window
  holder     TEXT NOT NULL,           -- host:pid
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE lg_claims (
  fingerprint TEXT PRIMARY KEY,       -- one filing per incident, fleet-wide
  holder      TEXT NOT NULL,
  issue       BIGINT NOT NULL DEFAULT 0,
  claimed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
)sql"},
};

// A fixed advisory-lock key: "lg-migrate".
constexpr int64_t kMigrationLock = 0x6c672d6d6967;

std::string Error(PGconn* conn) {
  std::string m = PQerrorMessage(conn);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

StatusOr<std::unique_ptr<PostgresStateStore>> PostgresStateStore::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn) return Status::Unavailable("PostgreSQL: out of memory connecting");
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string m = Error(conn);
    PQfinish(conn);
    return Status::Unavailable(fmt::format("PostgreSQL state: cannot connect: {}", m));
  }
  // Server notices ("relation already exists, skipping") are not for users.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  // Describe without the password.
  std::string describe = fmt::format("postgres://{}@{}:{}/{}", PQuser(conn), PQhost(conn), PQport(conn), PQdb(conn));
  std::unique_ptr<PostgresStateStore> store(new PostgresStateStore(conn, describe));
  if (Status s = store->Migrate(); !s.ok()) return s.WithContext(describe);
  return store;
}

PostgresStateStore::~PostgresStateStore() { PQfinish(conn_); }

int PostgresStateStore::LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

StatusOr<PostgresStateStore::Result> PostgresStateStore::Exec(const char* sql,
                                                              std::initializer_list<std::string> params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  // Without parameters, PQexec (which runs several statements: migrations).
  PGresult* r = values.empty() ? PQexec(conn_, sql)
                               : PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr,
                                              values.data(), nullptr, nullptr, 0);
  Result result(r);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const std::string m = r ? PQresultErrorMessage(r) : Error(conn_);
    std::string msg = m;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (PQstatus(conn_) != CONNECTION_OK) return Status::Unavailable("PostgreSQL state: " + msg);
    return Status::IoError("PostgreSQL state: " + msg);
  }
  return result;
}

template <typename T>
StatusOr<T> PostgresStateStore::InTransaction(const std::function<StatusOr<T>()>& body) {
  auto begin = Exec("BEGIN");
  if (!begin.ok()) return begin.status();
  StatusOr<T> out = body();
  if (!out.ok()) {
    (void)Exec("ROLLBACK");
    return out;
  }
  auto commit = Exec("COMMIT");
  if (!commit.ok()) return commit.status();
  return out;
}

Status PostgresStateStore::Migrate() {
  auto applied = InTransaction<int>([&]() -> StatusOr<int> {
    // One worker migrates; the others wait here, then find nothing to do.
    auto lock = Exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kMigrationLock)});
    if (!lock.ok()) return lock.status();
    auto t = Exec(
        "CREATE TABLE IF NOT EXISTS lg_schema_migrations ("
        "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    if (!t.ok()) return t.status();
    auto v = Exec("SELECT COALESCE(MAX(version), 0) FROM lg_schema_migrations");
    if (!v.ok()) return v.status();
    const int current = static_cast<int>(v->Int(0, 0));
    if (current > LatestSchemaVersion()) {
      return Status::FailedPrecondition(fmt::format(
          "state schema version {} is newer than this log-gardener understands ({}); upgrade log-gardener",
          current, LatestSchemaVersion()));
    }
    int n = 0;
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      auto r = Exec(m.sql);
      if (!r.ok()) return r.status().WithContext(fmt::format("migration {}", m.version));
      auto mark = Exec("INSERT INTO lg_schema_migrations (version) VALUES ($1)", {std::to_string(m.version)});
      if (!mark.ok()) return mark.status();
      ++n;
    }
    return n;
  });
  return applied.status();
}

StatusOr<int> PostgresStateStore::SchemaVersion() {
  auto v = Exec("SELECT COALESCE(MAX(version), 0) FROM lg_schema_migrations");
  if (!v.ok()) return v.status();
  return static_cast<int>(v->Int(0, 0));
}

StatusOr<std::optional<int64_t>> PostgresStateStore::IssueForFingerprint(std::string_view fingerprint) {
  auto r = Exec("SELECT issue FROM lg_fingerprints WHERE fingerprint = $1", {std::string(fingerprint)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(r->Int(0, 0));
}

Status PostgresStateStore::MapFingerprint(std::string_view fingerprint, int64_t issue) {
  return Exec(
             "INSERT INTO lg_fingerprints (fingerprint, issue) VALUES ($1, $2) "
             "ON CONFLICT (fingerprint) DO UPDATE SET issue = EXCLUDED.issue",
             {std::string(fingerprint), std::to_string(issue)})
      .status();
}

StatusOr<std::optional<JournalRecord>> PostgresStateStore::FindAction(std::string_view key) {
  auto r = Exec(
      "SELECT key, kind, fingerprint, issue, new_issue, status, time_window FROM lg_journal WHERE key = $1",
      {std::string(key)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<JournalRecord>();
  return std::optional<JournalRecord>(
      JournalRecord{r->Text(0, 0), r->Text(0, 1), r->Text(0, 2), r->Int(0, 3), r->Int(0, 4), r->Text(0, 5),
                    r->Text(0, 6)});
}

Status PostgresStateStore::RecordAction(const JournalRecord& j) {
  return Exec(
             "INSERT INTO lg_journal (key, kind, fingerprint, issue, new_issue, status, time_window) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, "
             "issue = EXCLUDED.issue, new_issue = EXCLUDED.new_issue, status = EXCLUDED.status",
             {j.key, j.kind, j.fingerprint, std::to_string(j.issue), std::to_string(j.new_issue), j.status,
              j.window})
      .status();
}

Status PostgresStateStore::RecordRun(const RunRecord& run) {
  return Exec(
             "INSERT INTO lg_runs (started_at, service, window_start, window_end, entries_read, clusters, "
             "created, commented) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
             {run.started_at, run.service, run.window_start, run.window_end, std::to_string(run.entries_read),
              std::to_string(run.clusters), std::to_string(run.created), std::to_string(run.commented)})
      .status();
}

StatusOr<std::vector<StoredTemplate>> PostgresStateStore::LoadTemplates(const std::vector<std::string>& groups) {
  std::vector<StoredTemplate> out;
  auto read = [&](const Result& r) {
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({std::strtoull(r.Text(i, 0).c_str(), nullptr, 16), r.Text(i, 1), r.Text(i, 2),
                     static_cast<uint64_t>(r.Int(i, 3))});
    }
  };
  if (groups.empty()) {
    auto r = Exec("SELECT id, grp, text, count FROM lg_templates ORDER BY id");
    if (!r.ok()) return r.status();
    read(*r);
    return out;
  }
  for (const std::string& g : groups) {
    auto r = Exec("SELECT id, grp, text, count FROM lg_templates WHERE grp = $1 ORDER BY id", {g});
    if (!r.ok()) return r.status();
    read(*r);
  }
  return out;
}

Status PostgresStateStore::SaveTemplates(const std::vector<StoredTemplate>& templates) {
  return InTransaction<bool>([&]() -> StatusOr<bool> {
           for (const StoredTemplate& t : templates) {
             auto r = Exec(
                 "INSERT INTO lg_templates (id, grp, text, count) VALUES ($1, $2, $3, $4) "
                 "ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, count = lg_templates.count + EXCLUDED.count",
                 {fmt::format("{:016x}", t.id), t.group, t.text, std::to_string(t.count)});
             if (!r.ok()) return r.status();
           }
           return true;
         })
      .status();
}

StatusOr<std::optional<std::string>> PostgresStateStore::GetWatermark(std::string_view key) {
  auto r = Exec("SELECT at FROM lg_watermarks WHERE key = $1", {std::string(key)});
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r->Text(0, 0));
}

Status PostgresStateStore::SetWatermark(std::string_view key, std::string_view at) {
  return Exec("INSERT INTO lg_watermarks (key, at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at",
              {std::string(key), std::string(at)})
      .status();
}

StatusOr<std::vector<uint64_t>> PostgresStateStore::GetEdgeKeys(std::string_view key) {
  auto r = Exec("SELECT seen FROM lg_edges WHERE key = $1", {std::string(key)});
  if (!r.ok()) return r.status();
  std::vector<uint64_t> keys;
  if (r->rows() == 0) return keys;
  const std::string text = r->Text(0, 0);
  for (size_t pos = 0; pos + 16 <= text.size(); pos += 17) {
    keys.push_back(std::strtoull(text.substr(pos, 16).c_str(), nullptr, 16));
  }
  return keys;
}

Status PostgresStateStore::SetWatermarkAndEdge(std::string_view key, std::string_view at,
                                               const std::vector<uint64_t>& edge_keys) {
  std::string seen;
  for (uint64_t k : edge_keys) {
    if (!seen.empty()) seen += ' ';
    seen += fmt::format("{:016x}", k);
  }
  return InTransaction<bool>([&]() -> StatusOr<bool> {
           LG_RETURN_IF_ERROR(SetWatermark(key, at));
           auto r = Exec("INSERT INTO lg_edges (key, seen) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET seen = "
                         "EXCLUDED.seen",
                         {std::string(key), seen});
           if (!r.ok()) return r.status();
           return true;
         })
      .status();
}

StatusOr<LeaseResult> PostgresStateStore::TryLease(std::string_view key, std::string_view holder,
                                                   int64_t ttl_seconds, std::string_view take_over_from) {
  // One statement: insert, take over an expired or dead holder's lease, or renew our own.
  auto r = Exec(
      "INSERT INTO lg_leases (key, holder, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) "
      "ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at "
      "WHERE lg_leases.expires_at < now() OR lg_leases.holder = EXCLUDED.holder OR lg_leases.holder = $4 "
      "RETURNING holder",
      {std::string(key), std::string(holder), std::to_string(ttl_seconds),
       std::string(take_over_from)});  // empty matches no holder
  if (!r.ok()) return r.status();
  if (r->rows() == 1) return LeaseResult{true, std::string(holder)};
  auto who = Exec("SELECT holder FROM lg_leases WHERE key = $1", {std::string(key)});
  if (!who.ok()) return who.status();
  return LeaseResult{false, who->rows() ? who->Text(0, 0) : std::string()};
}

Status PostgresStateStore::ReleaseLease(std::string_view key, std::string_view holder) {
  return Exec("DELETE FROM lg_leases WHERE key = $1 AND holder = $2", {std::string(key), std::string(holder)})
      .status();
}

StatusOr<FilingClaim> PostgresStateStore::ClaimFiling(std::string_view fingerprint, std::string_view holder,
                                                      int64_t stale_seconds, std::string_view take_over_from) {
  return InTransaction<FilingClaim>([&]() -> StatusOr<FilingClaim> {
    auto ins = Exec("INSERT INTO lg_claims (fingerprint, holder) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    {std::string(fingerprint), std::string(holder)});
    if (!ins.ok()) return ins.status();
    auto r = Exec(
        "SELECT holder, issue, claimed_at < now() - make_interval(secs => $2) FROM lg_claims "
        "WHERE fingerprint = $1 FOR UPDATE",
        {std::string(fingerprint), std::to_string(stale_seconds)});
    if (!r.ok()) return r.status();
    FilingClaim c;
    c.holder = r->Text(0, 0);
    c.issue = r->Int(0, 1);
    const bool stale = c.issue == 0 && (r->Text(0, 2) == "t" || (!take_over_from.empty() && c.holder == take_over_from));
    if (c.issue != 0 || (c.holder != holder && !stale)) return c;
    auto up = Exec("UPDATE lg_claims SET holder = $2, claimed_at = now() WHERE fingerprint = $1",
                   {std::string(fingerprint), std::string(holder)});
    if (!up.ok()) return up.status();
    c.granted = true;
    c.holder = std::string(holder);
    return c;
  });
}

Status PostgresStateStore::CompleteFiling(std::string_view fingerprint, int64_t issue) {
  return Exec("UPDATE lg_claims SET issue = $2 WHERE fingerprint = $1", {std::string(fingerprint), std::to_string(issue)})
      .status();
}

}  // namespace lg
