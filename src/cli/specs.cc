#include "cli/specs.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include <cstdlib>

#include "core/file_util.h"
#include "state/postgres_state_store.h"
#include "state/sqlite_state_store.h"
#include "trackers/github_tracker.h"

namespace lg::cli {

StatusOr<std::string> LocalTrackerPath(const std::string& spec) {
  if (spec.empty()) return std::string(kDefaultDb);
  if (spec.starts_with("local:")) {
    std::string path = spec.substr(6);
    if (path.empty()) return Status::InvalidArgument("--tracker local: needs a path (local:PATH)");
    return path;
  }
  if (spec.starts_with("github:")) {
    return Status::InvalidArgument(fmt::format("--tracker {}: this command works on the local tracker only", spec));
  }
  return Status::InvalidArgument(
      fmt::format("--tracker {}: unknown tracker; use local:PATH (SQLite) or github:OWNER/REPO", spec));
}

StatusOr<std::unique_ptr<LocalTracker>> OpenLocalTracker(const std::string& spec, Clock& clock) {
  auto path = LocalTrackerPath(spec);
  if (!path.ok()) return path.status();
  auto t = LocalTracker::Open(*path, clock);
  if (!t.ok()) return t.status().WithContext("--tracker");
  return t;
}

StatusOr<std::unique_ptr<Tracker>> OpenTracker(const std::string& spec, Clock& clock, const GitHubFlags& github) {
  if (spec.starts_with("github:")) {
    GitHubOptions o;
    o.api = github.api;
    o.auth_scheme = github.auth_scheme;
    o.accept = github.accept;
    if (!github.token_file.empty()) {
      auto token = ReadFile(github.token_file);
      if (!token.ok()) return token.status().WithContext("--github-token-file");
      o.token = *token;
      while (!o.token.empty() && (o.token.back() == '\n' || o.token.back() == '\r' || o.token.back() == ' ')) {
        o.token.pop_back();
      }
    } else if (const char* env = std::getenv("GITHUB_TOKEN"); env && *env) {
      o.token = env;
    }
    auto t = GitHubTracker::Open(spec.substr(7), std::move(o));
    if (!t.ok()) return t.status();
    return std::unique_ptr<Tracker>(std::move(*t));
  }
  auto t = OpenLocalTracker(spec, clock);
  if (!t.ok()) return t.status();
  return std::unique_ptr<Tracker>(std::move(*t));
}

StatusOr<std::unique_ptr<StateStore>> OpenState(const std::string& spec,
                                                const std::string& tracker_spec) {
  std::string path;
  if (spec.empty()) {
    auto p = LocalTrackerPath(tracker_spec);
    path = p.ok() ? *p : std::string(".log-gardener/state.db");
  } else if (spec.starts_with("sqlite:")) {
    path = spec.substr(7);
  } else if (spec.starts_with("postgres://") || spec.starts_with("postgresql://")) {
    auto s = PostgresStateStore::Open(spec);
    if (!s.ok()) return s.status().WithContext("--state");
    return std::unique_ptr<StateStore>(std::move(*s));
  } else {
    path = spec;
  }
  if (path.empty()) return Status::InvalidArgument("--state sqlite: needs a path (sqlite:PATH)");
  auto s = SqliteStateStore::Open(path);
  if (!s.ok()) return s.status().WithContext("--state");
  return std::unique_ptr<StateStore>(std::move(*s));
}

}  // namespace lg::cli
