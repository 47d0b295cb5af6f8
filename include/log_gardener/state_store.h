// StateStore: what the gardener remembers between runs (SQLite by default).
#ifndef LOG_GARDENER_STATE_STORE_H_
#define LOG_GARDENER_STATE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/status.h"

namespace lg {

// One tracker action, keyed by an idempotency key derived from the cluster
// fingerprint, the action and the window. Status moves planned → sent →
// confirmed; a rerun that finds `confirmed` does not act again.
struct JournalRecord {
  std::string key;
  std::string kind;       // "create" | "regression" | "comment"
  std::string fingerprint;
  int64_t issue = 0;      // issue commented on, or the closed issue of a regression
  int64_t new_issue = 0;  // issue filed (create, regression)
  std::string status;     // "planned" | "sent" | "confirmed"
  std::string window;     // "START/END"
};

struct RunRecord {
  std::string started_at;
  std::string service;
  std::string window_start;
  std::string window_end;
  uint64_t entries_read = 0;
  uint64_t clusters = 0;
  uint64_t created = 0;
  uint64_t commented = 0;
};

// A mined template remembered across runs, so its id stays the same.
struct StoredTemplate {
  uint64_t id = 0;
  std::string group;  // the miner's group ("service\x1flog id", or a file's log id)
  std::string text;   // typed template text, tokens separated by spaces
  uint64_t count = 0; // messages seen over all runs
};

// A lease on a unit of work (see StateStore::TryLease).
struct LeaseResult {
  bool granted = false;
  std::string holder;  // who holds it otherwise
};

// Who holds a filing claim on an incident (see StateStore::ClaimFiling).
struct FilingClaim {
  bool granted = false;  // the caller may file the incident now
  std::string holder;    // who holds it otherwise
  int64_t issue = 0;     // the issue it was filed as, once known (0: being filed)
};

// Thread safety: one thread at a time. Several processes (workers) may share
// one store: leases and filing claims are what they coordinate with.
class StateStore {
 public:
  virtual ~StateStore() = default;
  // The issue a cluster fingerprint was filed as, if any.
  virtual StatusOr<std::optional<int64_t>> IssueForFingerprint(std::string_view fingerprint) = 0;
  virtual Status MapFingerprint(std::string_view fingerprint, int64_t issue) = 0;
  virtual StatusOr<std::optional<JournalRecord>> FindAction(std::string_view key) = 0;
  // Inserts or updates the record with this key.
  virtual Status RecordAction(const JournalRecord& record) = 0;
  virtual Status RecordRun(const RunRecord& run) = 0;
  // Templates of the given groups (all groups when `groups` is empty).
  virtual StatusOr<std::vector<StoredTemplate>> LoadTemplates(const std::vector<std::string>& groups) = 0;
  // Inserts or updates by id: the text becomes the given one, counts add up.
  virtual Status SaveTemplates(const std::vector<StoredTemplate>& templates) = 0;
  // Where a series of passes (watch, --period latest) got to: the end of the
  // last window done, RFC 3339, by a key naming the sources and service.
  virtual StatusOr<std::optional<std::string>> GetWatermark(std::string_view key) = 0;
  virtual Status SetWatermark(std::string_view key, std::string_view at) = 0;
  // `--period latest`: the watermark together with the keys of the entries
  // seen in the last overlap before it (as the collector hashes them), so the
  // next run's overlap counts none of them again. One transaction.
  virtual StatusOr<std::vector<uint64_t>> GetEdgeKeys(std::string_view key) = 0;
  virtual Status SetWatermarkAndEdge(std::string_view key, std::string_view at,
                                     const std::vector<uint64_t>& edge_keys) = 0;
  // Workers: a lease on `key` (a service and window) for `ttl_seconds`.
  // Granted when free, expired, already this holder's (which renews it), or
  // held by `take_over_from` (a holder the caller knows is dead).
  virtual StatusOr<LeaseResult> TryLease(std::string_view key, std::string_view holder, int64_t ttl_seconds,
                                         std::string_view take_over_from = {}) = 0;
  virtual Status ReleaseLease(std::string_view key, std::string_view holder) = 0;
  // Filing an incident (by cluster fingerprint) is claimed first, in one
  // transaction, so however many workers garden windows of the same service,
  // one files it: granted when nobody claimed it, when it is this holder's,
  // or when another holder's claim is older than `stale_seconds` without an
  // issue, or is `take_over_from`'s (that worker died mid-filing; the
  // tracker's markers tell what it did).
  virtual StatusOr<FilingClaim> ClaimFiling(std::string_view fingerprint, std::string_view holder,
                                            int64_t stale_seconds, std::string_view take_over_from = {}) = 0;
  // Records the issue a claimed incident was filed as.
  virtual Status CompleteFiling(std::string_view fingerprint, int64_t issue) = 0;
  virtual std::string Describe() const = 0;
};

}  // namespace lg

#endif  // LOG_GARDENER_STATE_STORE_H_
