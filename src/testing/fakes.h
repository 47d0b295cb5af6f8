// In-memory fakes of the pluggable interfaces, for tests.
#ifndef LOG_GARDENER_TESTING_FAKES_H_
#define LOG_GARDENER_TESTING_FAKES_H_

#include <map>
#include <string>
#include <vector>

#include "log_gardener/source.h"
#include "log_gardener/state_store.h"
#include "log_gardener/tracker.h"

namespace lg::testing {

// A Source over LogEntries held in memory (raw JSON is "{}").
class MemorySource : public Source {
 public:
  explicit MemorySource(std::vector<LogEntry> entries) : entries_(std::move(entries)) {}
  using Source::Read;
  Status Read(const EntryVisitor& visit, const EntryPreparer& prepare) override;
  const SourceStats& stats() const override { return stats_; }
  std::string Describe() const override { return "memory"; }

 private:
  std::vector<LogEntry> entries_;
  SourceStats stats_;
};

// A Tracker in memory that counts the mutating calls it receives.
class MemoryTracker : public Tracker {
 public:
  StatusOr<std::vector<Issue>> ListIssues() override { return issues_; }
  StatusOr<std::vector<Comment>> ListComments(int64_t issue) override;
  StatusOr<Issue> CreateIssue(const NewIssue& issue) override;
  StatusOr<Comment> AddComment(int64_t issue, std::string_view body) override;
  std::string Describe() const override { return "memory"; }

  void Add(Issue issue) { issues_.push_back(std::move(issue)); }
  const std::vector<Issue>& issues() const { return issues_; }
  const std::vector<Comment>& comments() const { return comments_; }
  int creates = 0;
  int comment_posts = 0;

 private:
  std::vector<Issue> issues_;
  std::vector<Comment> comments_;
};

class MemoryStateStore : public StateStore {
 public:
  StatusOr<std::optional<int64_t>> IssueForFingerprint(std::string_view fp) override;
  Status MapFingerprint(std::string_view fp, int64_t issue) override;
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
  std::string Describe() const override { return "memory"; }
  size_t runs = 0;

 private:
  std::map<std::string, int64_t, std::less<>> fingerprints_;
  std::map<std::string, JournalRecord, std::less<>> journal_;
  std::map<uint64_t, StoredTemplate> templates_;
  std::map<std::string, std::string, std::less<>> watermarks_;
  std::map<std::string, std::vector<uint64_t>, std::less<>> edges_;
  struct Lease {
    std::string holder;
    int64_t expires_at = 0;
  };
  std::map<std::string, Lease, std::less<>> leases_;
  struct Claim {
    std::string holder;
    int64_t issue = 0;
    int64_t claimed_at = 0;
  };
  std::map<std::string, Claim, std::less<>> claims_;
};

}  // namespace lg::testing

#endif  // LOG_GARDENER_TESTING_FAKES_H_
