// SqliteStateStore: the StateStore in a SQLite file (by default the same file
// as the local tracker, in tables of its own).
#ifndef LOG_GARDENER_STATE_SQLITE_STATE_STORE_H_
#define LOG_GARDENER_STATE_SQLITE_STATE_STORE_H_

#include <memory>
#include <string>

#include "log_gardener/state_store.h"
#include "storage/sqlite_db.h"

namespace lg {

class SqliteStateStore : public StateStore {
 public:
  static StatusOr<std::unique_ptr<SqliteStateStore>> Open(const std::string& path);

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
  std::string Describe() const override { return "sqlite:" + db_->path(); }

 private:
  explicit SqliteStateStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace lg

#endif  // LOG_GARDENER_STATE_SQLITE_STATE_STORE_H_
