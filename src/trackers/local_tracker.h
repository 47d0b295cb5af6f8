// LocalTracker: an issue tracker in a SQLite file, the zero-setup default.
#ifndef LOG_GARDENER_TRACKERS_LOCAL_TRACKER_H_
#define LOG_GARDENER_TRACKERS_LOCAL_TRACKER_H_

#include <memory>
#include <string>
#include <vector>

#include "log_gardener/clock.h"
#include "log_gardener/tracker.h"
#include "storage/sqlite_db.h"

namespace lg {

class LocalTracker : public Tracker {
 public:
  // Opens or creates the tracker tables in the SQLite file at `path`.
  // `clock` stamps created_at; it must outlive the tracker.
  static StatusOr<std::unique_ptr<LocalTracker>> Open(const std::string& path, Clock& clock);

  StatusOr<std::vector<Issue>> ListIssues() override;
  StatusOr<std::vector<Comment>> ListComments(int64_t issue) override;
  StatusOr<Issue> CreateIssue(const NewIssue& issue) override;
  StatusOr<Comment> AddComment(int64_t issue, std::string_view body) override;
  std::string Describe() const override { return "local:" + db_->path(); }

  StatusOr<std::optional<Issue>> GetIssue(int64_t number);
  // Inserts or replaces issues by number (comments given are appended unless
  // an identical one exists). Used by `issues import`.
  Status Import(const std::vector<Issue>& issues, const std::vector<Comment>& comments);

 private:
  LocalTracker(std::unique_ptr<SqliteDb> db, Clock& clock) : db_(std::move(db)), clock_(clock) {}
  Status LoadLabels(Issue& issue);
  Status WriteIssue(const Issue& issue);
  std::unique_ptr<SqliteDb> db_;
  Clock& clock_;
};

// Parses the issue list format of the scenarios ([{number,title,body,state,
// labels,created_at,closed_at?,comments?}]). `name` is used in errors.
StatusOr<std::vector<Issue>> ParseIssuesJson(std::string_view json, std::string_view name,
                                            std::vector<Comment>* comments);
// Writes the same format (comments included as an extra field).
std::string IssuesToJson(const std::vector<Issue>& issues,
                         const std::vector<std::vector<Comment>>& comments);

}  // namespace lg

#endif  // LOG_GARDENER_TRACKERS_LOCAL_TRACKER_H_
