#include "storage/sqlite_db.h"

#include <filesystem>
#include <system_error>

#include <sys/stat.h>

#include <fmt/format.h>

namespace lg {

StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p(path);
  if (p.has_parent_path() && !fs::exists(p.parent_path(), ec)) {
    fs::create_directories(p.parent_path(), ec);
    if (ec) {
      return Status::IoError(
          fmt::format("{}: cannot create folder {}: {}", path, p.parent_path().string(), ec.message()));
    }
  }
  if (fs::is_directory(p, ec)) {
    return Status::InvalidArgument(fmt::format("{}: is a directory, expected a database file", path));
  }
  bool existed = fs::exists(p, ec);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::IoError(fmt::format("{}: cannot open database: {}", path, msg));
  }
  if (!existed) ::chmod(path.c_str(), 0600);  // state may hold issue text: owner only
  sqlite3_busy_timeout(db, 10000);
  std::unique_ptr<SqliteDb> out(new SqliteDb(db, path));
  LG_RETURN_IF_ERROR(out->Exec("PRAGMA foreign_keys = ON"));
  // Write-ahead log: a commit syncs the log once (the rollback journal
  // synced the journal, the database and the folder), readers do not block
  // the writer, and a killed process loses nothing committed. FULL: the log
  // is synced at every commit, so a filed issue survives a power cut too.
  // Where shared memory is unavailable (some network filesystems) SQLite
  // keeps its rollback journal.
  LG_RETURN_IF_ERROR(out->Exec("PRAGMA journal_mode = WAL"));
  LG_RETURN_IF_ERROR(out->Exec("PRAGMA synchronous = FULL"));
  return out;
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

Status SqliteDb::Error(std::string_view what) const {
  return Status::IoError(fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    if (msg.find("not a database") != std::string::npos) {
      return Status::InvalidArgument(fmt::format("{}: not a SQLite database ({})", path_, msg));
    }
    return Status::IoError(fmt::format("{}: {}", path_, msg));
  }
  return Status::Ok();
}

Status SqliteDb::ExecAtomically(std::string_view sql) {
  LG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  if (Status s = Exec(sql); !s.ok()) {
    (void)Exec("ROLLBACK");
    return s;
  }
  return Exec("COMMIT");
}

StatusOr<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return Error(fmt::format("cannot prepare \"{}\"", sql.substr(0, 60)));
  }
  return SqliteStatement(this, stmt);
}

SqliteStatement::~SqliteStatement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

StatusOr<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error("statement failed");
}

Status SqliteStatement::Run() {
  while (true) {
    auto more = Step();
    if (!more.ok()) return more.status();
    if (!*more) return Reset();
  }
}

Status SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return Status::Ok();
}

std::string SqliteStatement::ColumnText(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(n)) : std::string();
}

}  // namespace lg
