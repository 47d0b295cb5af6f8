// Turns --tracker and --state specs into the parts they name.
#ifndef LOG_GARDENER_CLI_SPECS_H_
#define LOG_GARDENER_CLI_SPECS_H_

#include <memory>
#include <string>

#include "log_gardener/clock.h"
#include "log_gardener/state_store.h"
#include "log_gardener/tracker.h"
#include "trackers/local_tracker.h"

namespace lg::cli {

inline constexpr std::string_view kDefaultDb = ".log-gardener/gardener.db";

// "local:PATH" (default). Errors are kInvalidArgument with the accepted forms.
StatusOr<std::string> LocalTrackerPath(const std::string& spec);
StatusOr<std::unique_ptr<LocalTracker>> OpenLocalTracker(const std::string& spec, Clock& clock);
// How to reach GitHub for "github:OWNER/REPO" (flags; the token comes from
// --github-token-file, else GITHUB_TOKEN).
struct GitHubFlags {
  std::string api = "https://api.github.com";
  std::string token_file;
  std::string auth_scheme = "Bearer";
  std::string accept = "application/vnd.github+json";
};
StatusOr<std::unique_ptr<Tracker>> OpenTracker(const std::string& spec, Clock& clock,
                                               const GitHubFlags& github = {});
// "sqlite:PATH" or a bare path; empty → the local tracker's file.
StatusOr<std::unique_ptr<StateStore>> OpenState(const std::string& spec,
                                                const std::string& tracker_spec);

}  // namespace lg::cli

#endif  // LOG_GARDENER_CLI_SPECS_H_
