#include "testing/fakes.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

namespace lg::testing {

Status MemorySource::Read(const EntryVisitor& visit, const EntryPreparer& prepare) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    ++stats_.entries_read;
    SourcedEntry sourced{entries_[i], "{}"};
    if (prepare) prepare(entries_[i], sourced.raw, sourced.note);
    LG_RETURN_IF_ERROR(visit(sourced));
  }
  return Status::Ok();
}

StatusOr<std::vector<Comment>> MemoryTracker::ListComments(int64_t issue) {
  std::vector<Comment> out;
  for (const Comment& c : comments_) {
    if (c.issue == issue) out.push_back(c);
  }
  return out;
}

StatusOr<Issue> MemoryTracker::CreateIssue(const NewIssue& request) {
  ++creates;
  Issue i;
  i.number = issues_.empty() ? 1 : issues_.back().number + 1;
  i.title = request.title;
  i.body = request.body;
  i.labels = request.labels;
  i.state = "open";
  i.created_at = "2025-01-01T00:00:00Z";
  i.url = fmt::format("memory#{}", i.number);
  issues_.push_back(i);
  return i;
}

StatusOr<Comment> MemoryTracker::AddComment(int64_t issue, std::string_view body) {
  ++comment_posts;
  Comment c{static_cast<int64_t>(comments_.size() + 1), issue, std::string(body), "2025-01-01T00:00:00Z"};
  comments_.push_back(c);
  return c;
}

StatusOr<std::optional<int64_t>> MemoryStateStore::IssueForFingerprint(std::string_view fp) {
  auto it = fingerprints_.find(fp);
  if (it == fingerprints_.end()) return std::optional<int64_t>();
  return std::optional<int64_t>(it->second);
}

Status MemoryStateStore::MapFingerprint(std::string_view fp, int64_t issue) {
  fingerprints_[std::string(fp)] = issue;
  return Status::Ok();
}

StatusOr<std::optional<JournalRecord>> MemoryStateStore::FindAction(std::string_view key) {
  auto it = journal_.find(key);
  if (it == journal_.end()) return std::optional<JournalRecord>();
  return std::optional<JournalRecord>(it->second);
}

Status MemoryStateStore::RecordAction(const JournalRecord& record) {
  journal_[record.key] = record;
  return Status::Ok();
}

Status MemoryStateStore::RecordRun(const RunRecord&) {
  ++runs;
  return Status::Ok();
}

StatusOr<std::vector<StoredTemplate>> MemoryStateStore::LoadTemplates(
    const std::vector<std::string>& groups) {
  std::vector<StoredTemplate> out;
  for (const auto& [id, t] : templates_) {
    if (groups.empty() || std::find(groups.begin(), groups.end(), t.group) != groups.end()) {
      out.push_back(t);
    }
  }
  return out;
}

Status MemoryStateStore::SaveTemplates(const std::vector<StoredTemplate>& templates) {
  for (const StoredTemplate& t : templates) {
    auto [it, inserted] = templates_.try_emplace(t.id, t);
    if (!inserted) {
      it->second.text = t.text;
      it->second.count += t.count;
    }
  }
  return Status::Ok();
}

StatusOr<std::optional<std::string>> MemoryStateStore::GetWatermark(std::string_view key) {
  auto it = watermarks_.find(key);
  if (it == watermarks_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Status MemoryStateStore::SetWatermark(std::string_view key, std::string_view at) {
  watermarks_[std::string(key)] = std::string(at);
  return Status::Ok();
}

StatusOr<std::vector<uint64_t>> MemoryStateStore::GetEdgeKeys(std::string_view key) {
  auto it = edges_.find(key);
  return it == edges_.end() ? std::vector<uint64_t>() : it->second;
}

Status MemoryStateStore::SetWatermarkAndEdge(std::string_view key, std::string_view at,
                                             const std::vector<uint64_t>& edge_keys) {
  watermarks_[std::string(key)] = std::string(at);
  edges_[std::string(key)] = edge_keys;
  return Status::Ok();
}

namespace {
int64_t NowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }
}  // namespace

StatusOr<LeaseResult> MemoryStateStore::TryLease(std::string_view key, std::string_view holder,
                                                 int64_t ttl_seconds, std::string_view take_over_from) {
  auto it = leases_.find(key);
  if (it != leases_.end() && it->second.holder != holder && it->second.expires_at >= NowSeconds() &&
      (take_over_from.empty() || it->second.holder != take_over_from)) {
    return LeaseResult{false, it->second.holder};
  }
  leases_[std::string(key)] = {std::string(holder), NowSeconds() + ttl_seconds};
  return LeaseResult{true, std::string(holder)};
}

Status MemoryStateStore::ReleaseLease(std::string_view key, std::string_view holder) {
  auto it = leases_.find(key);
  if (it != leases_.end() && it->second.holder == holder) leases_.erase(it);
  return Status::Ok();
}

StatusOr<FilingClaim> MemoryStateStore::ClaimFiling(std::string_view fingerprint, std::string_view holder,
                                                    int64_t stale_seconds, std::string_view take_over_from) {
  FilingClaim c;
  auto it = claims_.find(fingerprint);
  if (it != claims_.end()) {
    c.holder = it->second.holder;
    c.issue = it->second.issue;
    const bool stale = c.issue == 0 && (it->second.claimed_at < NowSeconds() - stale_seconds ||
                                        (!take_over_from.empty() && c.holder == take_over_from));
    if (c.issue != 0 || (c.holder != holder && !stale)) return c;
  }
  claims_[std::string(fingerprint)] = {std::string(holder), 0, NowSeconds()};
  c.granted = true;
  c.holder = std::string(holder);
  c.issue = 0;
  return c;
}

Status MemoryStateStore::CompleteFiling(std::string_view fingerprint, int64_t issue) {
  auto it = claims_.find(fingerprint);
  if (it != claims_.end()) it->second.issue = issue;
  return Status::Ok();
}

}  // namespace lg::testing
