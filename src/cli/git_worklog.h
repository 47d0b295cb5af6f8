// Commits the worklog to the git repository that contains it (`run
// --commit-worklog [--push]`). Only the worklog file is committed; a push is
// never forced; a tree with unresolved conflicts, a failed commit or a
// rejected push is skipped with a warning (the worklog itself is written).
#ifndef LOG_GARDENER_CLI_GIT_WORKLOG_H_
#define LOG_GARDENER_CLI_GIT_WORKLOG_H_

#include <string>

namespace lg::cli {

// Returns "" on success, else a one-line warning saying what was skipped and why.
std::string CommitWorklog(const std::string& worklog_path, const std::string& message, bool push);

}  // namespace lg::cli

#endif  // LOG_GARDENER_CLI_GIT_WORKLOG_H_
