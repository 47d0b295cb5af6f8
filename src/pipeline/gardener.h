// One gardening pass: collect → scope → mine → correlate → triage → act.
// The CLI builds the options and the parts (sources, tracker, state, clock);
// this file only wires the stages together.
#ifndef LOG_GARDENER_PIPELINE_GARDENER_H_
#define LOG_GARDENER_PIPELINE_GARDENER_H_

#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "act/executor.h"
#include "correlate/correlator.h"
#include "core/model.h"
#include "log_gardener/clock.h"
#include "log_gardener/source.h"
#include "log_gardener/state_store.h"
#include "log_gardener/tracker.h"
#include "mine/grouper.h"
#include "triage/triage.h"

namespace lg {

struct RunOptions {
  std::string service;  // empty: every service
  Window window;
  std::string period = "custom";
  Severity min_severity = Severity::kWarning;
  ActOptions act;
  TriageRules triage;
  CorrelationOptions correlation;
  // Called now and then while reading (entries so far, bytes so far); the
  // CLI draws a progress line on a terminal with it.
  std::function<void(uint64_t entries, uint64_t bytes)> progress;
  // False when a source only returns entries at or above the minimum (the
  // Cloud Logging API): in-scope entries below it cannot be counted.
  bool in_scope_known = true;
  // --period latest: entries the previous run already counted (keys as the
  // collector hashes insertId, timestamp and logName) are dropped here, and
  // the keys of in-scope entries at or after edge_from are handed back in
  // RunOutput::edge_keys for the next run.
  std::unordered_set<uint64_t> already_seen;
  std::optional<Timestamp> edge_from;
};

struct RunOutput {
  RunReport report;
  std::vector<Template> templates;
  std::vector<TemplateStats> stats;
  // Not OK when acting on the tracker failed part-way; the report then shows
  // what was done, and the CLI exits 1 after writing it.
  Status act_status;
  std::vector<uint64_t> edge_keys;  // see RunOptions::edge_from; sorted
};

// Scope rule: an entry is in scope when its service matches (ServiceOf) and
// window.start <= timestamp < window.end. Entries without a timestamp are out
// of scope. Of those, entries at or above min_severity are clustered; each
// lands in exactly one cluster. Duplicates (same insertId, timestamp and
// logName) are counted once. The result does not depend on input order.
// Errors: a source's error is returned as is (input problems are kDataLoss
// or kIoError); tracker and state errors while acting go to act_status.
StatusOr<RunOutput> RunPass(const RunOptions& options, const std::vector<Source*>& sources,
                            Tracker& tracker, StateStore* state, Clock& clock);

// Several services' passes from one read of the sources (each entry goes to
// its service's pass; each pass has its own window and options, and acts as
// RunPass would). Services must be distinct and non-empty when there is more
// than one pass. Outputs are in the order of `passes`; a source error ends
// them all, acting errors are per pass (act_status).
StatusOr<std::vector<RunOutput>> RunPasses(const std::vector<RunOptions>& passes,
                                           const std::vector<Source*>& sources, Tracker& tracker,
                                           StateStore* state, Clock& clock);

}  // namespace lg

#endif  // LOG_GARDENER_PIPELINE_GARDENER_H_
