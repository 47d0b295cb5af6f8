#include "cli/git_worklog.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace lg::cli {
namespace {

struct Result {
  int code = -1;
  std::string out;
};

// Runs git with arguments (no shell: paths and messages are passed as they are).
Result Git(const std::vector<std::string>& args) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) return {};
  pid_t pid = ::fork();
  if (pid < 0) return {};
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    std::vector<char*> argv;
    std::string git = "git";
    argv.push_back(git.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::setenv("GIT_TERMINAL_PROMPT", "0", 1);
    ::execvp("git", argv.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  Result r;
  std::array<char, 4096> buf;
  ssize_t n;
  while ((n = ::read(pipefd[0], buf.data(), buf.size())) > 0) r.out.append(buf.data(), static_cast<size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r;
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

std::string CommitWorklog(const std::string& worklog_path, const std::string& message, bool push) {
  const std::filesystem::path file = std::filesystem::absolute(worklog_path);
  const std::string dir = file.parent_path().string();
  Result top = Git({"-C", dir, "rev-parse", "--show-toplevel"});
  if (top.code != 0) return fmt::format("--commit-worklog: {} is not inside a git repository; not committed", dir);
  Result conflicts = Git({"-C", top.out, "diff", "--name-only", "--diff-filter=U"});
  if (conflicts.code != 0 || !conflicts.out.empty()) {
    return fmt::format("--commit-worklog: {} has unresolved conflicts; not committed", top.out);
  }
  const std::string rel = std::filesystem::relative(file, top.out).string();
  Result add = Git({"-C", top.out, "add", "--", rel});
  if (add.code != 0) return fmt::format("--commit-worklog: git add failed: {}", FirstLine(add.out));
  Result commit = Git({"-C", top.out, "commit", "--quiet", "-m", message, "--", rel});
  if (commit.code != 0) return fmt::format("--commit-worklog: git commit failed: {}", FirstLine(commit.out));
  if (!push) return "";
  Result pushed = Git({"-C", top.out, "push", "--quiet"});
  if (pushed.code != 0) {
    return fmt::format("--push: the push was rejected or failed ({}); the commit stays local", FirstLine(pushed.out));
  }
  return "";
}

}  // namespace lg::cli
