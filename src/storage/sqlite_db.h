// A thin RAII layer over the SQLite C API with Status errors.
#ifndef LOG_GARDENER_STORAGE_SQLITE_DB_H_
#define LOG_GARDENER_STORAGE_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "log_gardener/status.h"

namespace lg {

class SqliteStatement;

class SqliteDb {
 public:
  // Opens (creating if missing, with mode 0600 and missing parent folders) the
  // database at `path`. Sets a busy timeout so concurrent runs wait, not fail.
  static StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();

  Status Exec(std::string_view sql);
  // Runs `sql` (several statements) in one write transaction: all of it or
  // none (a schema is never left half-created), and one sync instead of one
  // per statement.
  Status ExecAtomically(std::string_view sql);
  StatusOr<SqliteStatement> Prepare(std::string_view sql);
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  const std::string& path() const { return path_; }
  Status Error(std::string_view what) const;

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement();

  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& BindNull(int index);
  // Steps once: true when a row is available, false when done.
  StatusOr<bool> Step();
  Status Run();  // steps to completion
  Status Reset();

  std::string ColumnText(int col) const;
  int64_t ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool ColumnIsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  friend class SqliteDb;
  SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  const SqliteDb* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace lg

#endif  // LOG_GARDENER_STORAGE_SQLITE_DB_H_
