// Planner and executor: decides each cluster's tracker action and carries it
// out exactly once, journaling every step in the state store.
#ifndef LOG_GARDENER_ACT_EXECUTOR_H_
#define LOG_GARDENER_ACT_EXECUTOR_H_

#include <functional>
#include <string>
#include <vector>

#include "act/render.h"
#include "core/model.h"
#include "log_gardener/state_store.h"
#include "log_gardener/tracker.h"
#include "match/matcher.h"

namespace lg {

struct ActOptions {
  bool dry_run = false;
  int max_new_issues = 10;  // filings (create + regression) per run
  std::string label = "log-gardener";
  MatchOptions match;
  // A cluster neither the state nor a fingerprint line places looks for an
  // earlier run's update comment (its fingerprint's marker) on this many of
  // its best text candidates written by people (and on the gardener's own
  // issues ranked among them): a rerun with lost state then updates the issue
  // it commented on instead of filing a new one.
  size_t own_comment_candidates = 5;
  // Workers sharing a state store: who this one is ("host:pid"), and after
  // how long another worker's unfinished filing claim counts as abandoned.
  std::string worker = "local";
  int64_t claim_stale_seconds = 600;
  // Tells a holder that is known to be gone (a process on this machine that
  // no longer runs); its claims are taken over at once.
  std::function<bool(std::string_view holder)> holder_is_dead;
};

struct ActStats {
  int created = 0;
  int regressions = 0;
  int commented = 0;
  int already_done = 0;
  int deferred = 0;  // over --max-new-issues
};

// For each cluster in order: decide (state fingerprint map, own fingerprint
// line, own earlier update comment, text match), then apply unless dry_run, recording planned → confirmed
// in `state` under the key "<fingerprint>|<window>". A rerun of the same
// window finds the confirmed record, or the marker in the tracker when the
// state was lost, and does nothing again. `state` may be null (dry run).
// REQUIRES: clusters are triaged; `issues` is the tracker's full list.
StatusOr<ActStats> PlanAndApply(std::vector<Cluster>& clusters, const RenderContext& ctx,
                                const std::vector<Issue>& issues, Tracker& tracker,
                                StateStore* state, const ActOptions& options);

}  // namespace lg

#endif  // LOG_GARDENER_ACT_EXECUTOR_H_
