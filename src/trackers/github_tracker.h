// GitHubTracker: the Tracker on a GitHub repository's issues (REST v3).
//
// ListIssues pages through every issue, open and closed (pull requests left
// out): the dedup source of truth, never the search index, which lags.
// CreateIssue and AddComment are exactly-once: when a POST fails in a way
// that may have taken effect (5xx, timeout), the tracker looks for what it
// was about to post (its window marker, or the title and body) before
// posting again. A body GitHub finds too long is cut and posted once more.
#ifndef LOG_GARDENER_TRACKERS_GITHUB_TRACKER_H_
#define LOG_GARDENER_TRACKERS_GITHUB_TRACKER_H_

#include <memory>
#include <string>

#include "log_gardener/tracker.h"
#include "trackers/github_client.h"

namespace lg {

class GitHubTracker : public Tracker {
 public:
  // `repo` is "OWNER/NAME".
  static StatusOr<std::unique_ptr<GitHubTracker>> Open(const std::string& repo, GitHubOptions options);

  StatusOr<std::vector<Issue>> ListIssues() override;
  StatusOr<std::vector<Comment>> ListComments(int64_t issue) override;
  StatusOr<Issue> CreateIssue(const NewIssue& issue) override;
  StatusOr<Comment> AddComment(int64_t issue, std::string_view body) override;
  std::string Describe() const override { return "github:" + repo_; }

  // Issues matching a search query in this repository (`repo:` is added).
  // For human-written candidates; lags minutes behind, never used to dedup.
  StatusOr<std::vector<Issue>> Search(std::string_view query);

  GitHubClient& client() { return client_; }

  // GitHub's limit on issue and comment bodies.
  static constexpr size_t kMaxBody = 65536;

 private:
  GitHubTracker(std::string repo, GitHubOptions options) : repo_(std::move(repo)), client_(std::move(options)) {}
  StatusOr<Issue> PostIssue(const NewIssue& issue);
  std::string repo_;
  GitHubClient client_;
};

// The JSON body GitHub expects for a new issue (compact, fields in this order).
std::string NewIssueJson(const NewIssue& issue);

}  // namespace lg

#endif  // LOG_GARDENER_TRACKERS_GITHUB_TRACKER_H_
