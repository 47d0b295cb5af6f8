#include "state/sqlite_state_store.h"

#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace lg {
namespace {

// Version 1. Later versions add migrations keyed on state_meta.schema_version.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS state_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT OR IGNORE INTO state_meta (key, value) VALUES ('schema_version', '1');
CREATE TABLE IF NOT EXISTS state_fingerprints (
  fingerprint TEXT PRIMARY KEY,
  issue       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS state_journal (
  key         TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  issue       INTEGER NOT NULL,
  new_issue   INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('planned', 'sent', 'confirmed')),
  window      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state_runs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at   TEXT NOT NULL,
  service      TEXT NOT NULL,
  window_start TEXT NOT NULL,
  window_end   TEXT NOT NULL,
  entries_read INTEGER NOT NULL,
  clusters     INTEGER NOT NULL,
  created      INTEGER NOT NULL,
  commented    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS state_templates (
  id    TEXT PRIMARY KEY,   -- 16 hex digits
  grp   TEXT NOT NULL,
  text  TEXT NOT NULL,
  count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS state_templates_grp ON state_templates (grp);
CREATE TABLE IF NOT EXISTS state_watermarks (
  key TEXT PRIMARY KEY,
  at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS state_leases (
  key        TEXT PRIMARY KEY,  -- "run|service|window"
  holder     TEXT NOT NULL,     -- "host:pid"
  expires_at INTEGER NOT NULL   -- unix seconds
);
CREATE TABLE IF NOT EXISTS state_claims (
  fingerprint TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  issue       INTEGER NOT NULL,  -- 0 while being filed
  claimed_at  INTEGER NOT NULL   -- unix seconds
);
CREATE TABLE IF NOT EXISTS state_edges (
  key  TEXT PRIMARY KEY,    -- as in state_watermarks
  seen TEXT NOT NULL        -- entry keys, 16 hex digits each, space-separated
);
)sql";

}  // namespace

StatusOr<std::unique_ptr<SqliteStateStore>> SqliteStateStore::Open(const std::string& path) {
  auto db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  LG_RETURN_IF_ERROR((*db)->ExecAtomically(kSchema));
  auto st = (*db)->Prepare("SELECT value FROM state_meta WHERE key = 'schema_version'");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (*row && st->ColumnText(0) != "1") {
    return Status::FailedPrecondition(fmt::format(
        "{}: state schema version {} is newer than this log-gardener understands (1); upgrade "
        "log-gardener or point --state elsewhere",
        path, st->ColumnText(0)));
  }
  return std::unique_ptr<SqliteStateStore>(new SqliteStateStore(std::move(*db)));
}

StatusOr<std::optional<int64_t>> SqliteStateStore::IssueForFingerprint(std::string_view fingerprint) {
  auto st = db_->Prepare("SELECT issue FROM state_fingerprints WHERE fingerprint = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, fingerprint);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(st->ColumnInt(0));
}

Status SqliteStateStore::MapFingerprint(std::string_view fingerprint, int64_t issue) {
  auto st = db_->Prepare(
      "INSERT INTO state_fingerprints (fingerprint, issue) VALUES (?, ?) "
      "ON CONFLICT(fingerprint) DO UPDATE SET issue = excluded.issue");
  if (!st.ok()) return st.status();
  return st->Bind(1, fingerprint).Bind(2, issue).Run();
}

StatusOr<std::optional<JournalRecord>> SqliteStateStore::FindAction(std::string_view key) {
  auto st = db_->Prepare(
      "SELECT key, kind, fingerprint, issue, new_issue, status, window FROM state_journal WHERE key = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, key);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<JournalRecord>();
  JournalRecord r{st->ColumnText(0), st->ColumnText(1), st->ColumnText(2), st->ColumnInt(3),
                  st->ColumnInt(4),  st->ColumnText(5), st->ColumnText(6)};
  return std::optional<JournalRecord>(std::move(r));
}

Status SqliteStateStore::RecordAction(const JournalRecord& r) {
  auto st = db_->Prepare(
      "INSERT INTO state_journal (key, kind, fingerprint, issue, new_issue, status, window) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, "
      "issue = excluded.issue, new_issue = excluded.new_issue, status = excluded.status");
  if (!st.ok()) return st.status();
  return st->Bind(1, r.key).Bind(2, r.kind).Bind(3, r.fingerprint).Bind(4, r.issue)
      .Bind(5, r.new_issue).Bind(6, r.status).Bind(7, r.window).Run();
}

Status SqliteStateStore::RecordRun(const RunRecord& run) {
  auto st = db_->Prepare(
      "INSERT INTO state_runs (started_at, service, window_start, window_end, entries_read, "
      "clusters, created, commented) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st.ok()) return st.status();
  return st->Bind(1, run.started_at).Bind(2, run.service).Bind(3, run.window_start)
      .Bind(4, run.window_end).Bind(5, static_cast<int64_t>(run.entries_read))
      .Bind(6, static_cast<int64_t>(run.clusters)).Bind(7, static_cast<int64_t>(run.created))
      .Bind(8, static_cast<int64_t>(run.commented)).Run();
}

StatusOr<std::vector<StoredTemplate>> SqliteStateStore::LoadTemplates(
    const std::vector<std::string>& groups) {
  std::vector<StoredTemplate> out;
  auto read = [&](SqliteStatement& st) -> Status {
    for (;;) {
      auto row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      StoredTemplate t;
      t.id = std::strtoull(st.ColumnText(0).c_str(), nullptr, 16);
      t.group = st.ColumnText(1);
      t.text = st.ColumnText(2);
      t.count = static_cast<uint64_t>(st.ColumnInt(3));
      out.push_back(std::move(t));
    }
  };
  if (groups.empty()) {
    auto st = db_->Prepare("SELECT id, grp, text, count FROM state_templates ORDER BY id");
    if (!st.ok()) return st.status();
    LG_RETURN_IF_ERROR(read(*st));
    return out;
  }
  for (const std::string& g : groups) {
    auto st = db_->Prepare("SELECT id, grp, text, count FROM state_templates WHERE grp = ? ORDER BY id");
    if (!st.ok()) return st.status();
    st->Bind(1, g);
    LG_RETURN_IF_ERROR(read(*st));
  }
  return out;
}

Status SqliteStateStore::SaveTemplates(const std::vector<StoredTemplate>& templates) {
  LG_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  for (const StoredTemplate& t : templates) {
    auto st = db_->Prepare(
        "INSERT INTO state_templates (id, grp, text, count) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET text = excluded.text, count = count + excluded.count");
    Status s = st.ok() ? st->Bind(1, fmt::format("{:016x}", t.id))
                             .Bind(2, t.group)
                             .Bind(3, t.text)
                             .Bind(4, static_cast<int64_t>(t.count))
                             .Run()
                       : st.status();
    if (!s.ok()) {
      (void)db_->Exec("ROLLBACK");
      return s;
    }
  }
  return db_->Exec("COMMIT");
}

StatusOr<std::optional<std::string>> SqliteStateStore::GetWatermark(std::string_view key) {
  auto st = db_->Prepare("SELECT at FROM state_watermarks WHERE key = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, key);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->ColumnText(0));
}

Status SqliteStateStore::SetWatermark(std::string_view key, std::string_view at) {
  auto st = db_->Prepare(
      "INSERT INTO state_watermarks (key, at) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET at = excluded.at");
  if (!st.ok()) return st.status();
  return st->Bind(1, key).Bind(2, at).Run();
}

StatusOr<std::vector<uint64_t>> SqliteStateStore::GetEdgeKeys(std::string_view key) {
  auto st = db_->Prepare("SELECT seen FROM state_edges WHERE key = ?");
  if (!st.ok()) return st.status();
  st->Bind(1, key);
  auto row = st->Step();
  if (!row.ok()) return row.status();
  std::vector<uint64_t> keys;
  if (!*row) return keys;
  const std::string text = st->ColumnText(0);
  for (size_t pos = 0; pos + 16 <= text.size(); pos += 17) {
    keys.push_back(std::strtoull(text.substr(pos, 16).c_str(), nullptr, 16));
  }
  return keys;
}

Status SqliteStateStore::SetWatermarkAndEdge(std::string_view key, std::string_view at,
                                             const std::vector<uint64_t>& edge_keys) {
  std::string seen;
  seen.reserve(edge_keys.size() * 17);
  for (uint64_t k : edge_keys) {
    if (!seen.empty()) seen += ' ';
    seen += fmt::format("{:016x}", k);
  }
  LG_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status s = SetWatermark(key, at);
  if (s.ok()) {
    auto st = db_->Prepare(
        "INSERT INTO state_edges (key, seen) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET seen = excluded.seen");
    s = st.ok() ? st->Bind(1, key).Bind(2, seen).Run() : st.status();
  }
  if (!s.ok()) {
    (void)db_->Exec("ROLLBACK");
    return s;
  }
  return db_->Exec("COMMIT");
}

// Leases and claims: BEGIN IMMEDIATE takes SQLite's write lock first, so the
// read-then-write below is atomic across processes sharing the file.
StatusOr<LeaseResult> SqliteStateStore::TryLease(std::string_view key, std::string_view holder,
                                                 int64_t ttl_seconds, std::string_view take_over_from) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  LG_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> StatusOr<LeaseResult> {
    auto st = db_->Prepare("SELECT holder, expires_at FROM state_leases WHERE key = ?");
    if (!st.ok()) return st.status();
    st->Bind(1, key);
    auto row = st->Step();
    if (!row.ok()) return row.status();
    if (*row && st->ColumnText(0) != holder && st->ColumnInt(1) >= now &&
        (take_over_from.empty() || st->ColumnText(0) != take_over_from)) {
      return LeaseResult{false, st->ColumnText(0)};
    }
    auto up = db_->Prepare(
        "INSERT INTO state_leases (key, holder, expires_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at");
    if (!up.ok()) return up.status();
    LG_RETURN_IF_ERROR(up->Bind(1, key).Bind(2, holder).Bind(3, now + ttl_seconds).Run());
    return LeaseResult{true, std::string(holder)};
  };
  auto granted = body();
  if (!granted.ok()) {
    (void)db_->Exec("ROLLBACK");
    return granted.status();
  }
  LG_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  return granted;
}

Status SqliteStateStore::ReleaseLease(std::string_view key, std::string_view holder) {
  auto st = db_->Prepare("DELETE FROM state_leases WHERE key = ? AND holder = ?");
  if (!st.ok()) return st.status();
  return st->Bind(1, key).Bind(2, holder).Run();
}

StatusOr<FilingClaim> SqliteStateStore::ClaimFiling(std::string_view fingerprint, std::string_view holder,
                                                    int64_t stale_seconds, std::string_view take_over_from) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  LG_RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> StatusOr<FilingClaim> {
    auto st = db_->Prepare("SELECT holder, issue, claimed_at FROM state_claims WHERE fingerprint = ?");
    if (!st.ok()) return st.status();
    st->Bind(1, fingerprint);
    auto row = st->Step();
    if (!row.ok()) return row.status();
    FilingClaim c;
    if (*row) {
      c.holder = st->ColumnText(0);
      c.issue = st->ColumnInt(1);
      const bool stale = c.issue == 0 && (st->ColumnInt(2) < now - stale_seconds ||
                                          (!take_over_from.empty() && c.holder == take_over_from));
      if (c.issue != 0 || (c.holder != holder && !stale)) return c;
    }
    auto up = db_->Prepare(
        "INSERT INTO state_claims (fingerprint, holder, issue, claimed_at) VALUES (?, ?, 0, ?) "
        "ON CONFLICT(fingerprint) DO UPDATE SET holder = excluded.holder, claimed_at = excluded.claimed_at");
    if (!up.ok()) return up.status();
    LG_RETURN_IF_ERROR(up->Bind(1, fingerprint).Bind(2, holder).Bind(3, now).Run());
    c.granted = true;
    c.holder = std::string(holder);
    c.issue = 0;
    return c;
  };
  auto claim = body();
  if (!claim.ok()) {
    (void)db_->Exec("ROLLBACK");
    return claim.status();
  }
  LG_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  return claim;
}

Status SqliteStateStore::CompleteFiling(std::string_view fingerprint, int64_t issue) {
  auto st = db_->Prepare("UPDATE state_claims SET issue = ? WHERE fingerprint = ?");
  if (!st.ok()) return st.status();
  return st->Bind(1, issue).Bind(2, fingerprint).Run();
}

}  // namespace lg
