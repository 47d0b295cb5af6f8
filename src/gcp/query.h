// The Logging query language, evaluated locally, so `--filter` means the same
// for a file source as it does for Cloud Logging (which evaluates it server-
// side for gcp: sources).
//
// The documented subset: comparisons `PATH OP VALUE` with = != < <= > >= :
// (has: case-insensitive substring; `:*` presence) =~ !~ (RE2); AND, OR, NOT
// (upper-case), `-` as a NOT prefix, adjacent terms ANDed, parentheses, value
// lists `PATH = ("a" OR "b")`, quoted path segments (labels."k8s-pod/app"), and
// bare words as a search over the whole entry. Precedence as documented: NOT,
// then OR, then AND. severity compares by rank, timestamp and
// receiveTimestamp as instants, other values as case-insensitive strings
// (numerically when both sides are numbers).
#ifndef LOG_GARDENER_GCP_QUERY_H_
#define LOG_GARDENER_GCP_QUERY_H_

#include <memory>
#include <string>
#include <string_view>

#include "log_gardener/source.h"
#include "log_gardener/status.h"

namespace lg::gcp {

class Query {
 public:
  // kInvalidArgument naming the position and what was expected.
  static StatusOr<Query> Parse(std::string_view text);
  Query(Query&&) noexcept;
  Query& operator=(Query&&) noexcept;
  ~Query();

  // `entry_json`: one LogEntry as JSON. Unparseable JSON matches nothing.
  bool Matches(std::string_view entry_json) const;

  struct Node;

 private:
  explicit Query(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

// A source whose entries pass through a query; the others are skipped (and
// not counted as read).
class FilteredSource : public Source {
 public:
  FilteredSource(std::unique_ptr<Source> inner, std::shared_ptr<const Query> query)
      : inner_(std::move(inner)), query_(std::move(query)) {}
  using Source::Read;
  Status Read(const EntryVisitor& visit, const EntryPreparer& prepare) override;
  const SourceStats& stats() const override { return inner_->stats(); }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<Source> inner_;
  std::shared_ptr<const Query> query_;
};

}  // namespace lg::gcp

#endif  // LOG_GARDENER_GCP_QUERY_H_
