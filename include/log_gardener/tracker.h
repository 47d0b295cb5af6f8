// Tracker: the issue tracker the gardener reads and writes (local SQLite,
// GitHub). Implementations never close, delete or edit issues: the gardener
// only lists, creates and comments.
#ifndef LOG_GARDENER_TRACKER_H_
#define LOG_GARDENER_TRACKER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/status.h"

namespace lg {

struct Comment {
  int64_t id = 0;
  int64_t issue = 0;
  std::string body;
  std::string created_at;  // RFC 3339
};

struct Issue {
  int64_t number = 0;
  std::string title;
  std::string body;
  std::string state;  // "open" | "closed"
  std::vector<std::string> labels;
  std::string created_at;                // RFC 3339
  std::optional<std::string> closed_at;  // RFC 3339, closed issues
  std::string url;                       // where a person can see it
  bool is_open() const { return state == "open"; }
};

struct NewIssue {
  std::string title;
  std::string body;
  std::vector<std::string> labels;
};

class Tracker {
 public:
  virtual ~Tracker() = default;
  // Every issue, open and closed, in ascending number order. This is the
  // source of truth for deduplication (never a lagging search index).
  virtual StatusOr<std::vector<Issue>> ListIssues() = 0;
  virtual StatusOr<std::vector<Comment>> ListComments(int64_t issue) = 0;
  virtual StatusOr<Issue> CreateIssue(const NewIssue& issue) = 0;
  virtual StatusOr<Comment> AddComment(int64_t issue, std::string_view body) = 0;
  virtual std::string Describe() const = 0;  // "local:.log-gardener/gardener.db"
};

}  // namespace lg

#endif  // LOG_GARDENER_TRACKER_H_
