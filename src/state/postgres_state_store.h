// PostgresStateStore: the StateStore in PostgreSQL (libpq), for a fleet of
// workers sharing one state: `--state postgres://user@host:port/db`.
//
// The schema is versioned: lg_schema_migrations lists the migrations applied,
// and Open applies the missing ones in order, in one transaction under an
// advisory lock (workers starting at once migrate once). A database migrated
// by a newer log-gardener is refused. Leases and filing claims are rows
// changed in transactions (SELECT … FOR UPDATE), with times from the
// server's clock, so workers on different machines agree on expiry.
#ifndef LOG_GARDENER_STATE_POSTGRES_STATE_STORE_H_
#define LOG_GARDENER_STATE_POSTGRES_STATE_STORE_H_

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>

#include "log_gardener/state_store.h"

struct pg_conn;

namespace lg {

class PostgresStateStore : public StateStore {
 public:
  // `conninfo`: a postgres:// URL or libpq key=value string. Errors name the
  // server's message (kUnavailable when it cannot be reached).
  static StatusOr<std::unique_ptr<PostgresStateStore>> Open(const std::string& conninfo);
  ~PostgresStateStore() override;

  // The newest schema version this build knows.
  static int LatestSchemaVersion();
  StatusOr<int> SchemaVersion();

  StatusOr<std::optional<int64_t>> IssueForFingerprint(std::string_view fingerprint) override;
  Status MapFingerprint(std::string_view fingerprint, int64_t issue) override;
  StatusOr<std::optional<JournalRecord>> FindAction(std::string_view key) override;
  Status RecordAction(const JournalRecord& record) override;
  Status RecordRun(const RunRecord& run) override;
  StatusOr<std::vector<StoredTemplate>> LoadTemplates(const std::vector<std::string>& groups) override;
  Status SaveTemplates(const std::vector<StoredTemplate>& templates) override;
  StatusOr<std::optional<std::string>> GetWatermark(std::string_view key) override;
  Status SetWatermark(std::string_view key, std::string_view at) override;
  StatusOr<std::vector<uint64_t>> GetEdgeKeys(std::string_view key) override;
  Status SetWatermarkAndEdge(std::string_view key, std::string_view at,
                             const std::vector<uint64_t>& edge_keys) override;
  StatusOr<LeaseResult> TryLease(std::string_view key, std::string_view holder, int64_t ttl_seconds,
                                 std::string_view take_over_from = {}) override;
  Status ReleaseLease(std::string_view key, std::string_view holder) override;
  StatusOr<FilingClaim> ClaimFiling(std::string_view fingerprint, std::string_view holder,
                                    int64_t stale_seconds, std::string_view take_over_from = {}) override;
  Status CompleteFiling(std::string_view fingerprint, int64_t issue) override;
  std::string Describe() const override { return describe_; }

  class Result;  // a PGresult, freed when it dies

 private:
  PostgresStateStore(pg_conn* conn, std::string describe) : conn_(conn), describe_(std::move(describe)) {}
  StatusOr<Result> Exec(const char* sql, std::initializer_list<std::string> params = {});
  Status Migrate();
  // Runs `body` in a transaction: COMMIT when it returns OK, ROLLBACK otherwise.
  template <typename T>
  StatusOr<T> InTransaction(const std::function<StatusOr<T>()>& body);

  pg_conn* conn_;
  std::string describe_;
};

}  // namespace lg

#endif  // LOG_GARDENER_STATE_POSTGRES_STATE_STORE_H_
