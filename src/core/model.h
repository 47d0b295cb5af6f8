// The data a gardening pass builds up: per-template statistics, clusters, and
// the actions planned for them. Plain structs shared by the stages.
#ifndef LOG_GARDENER_CORE_MODEL_H_
#define LOG_GARDENER_CORE_MODEL_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"
#include "log_gardener/log_entry.h"

namespace lg {

// Index into per-severity counters, in LogSeverity order.
size_t SeverityIndex(Severity s);
using SeverityCounts = std::array<uint64_t, 9>;

// The compact record kept for every in-scope entry at or above the minimum
// severity: what the report needs, nothing more.
struct EntryRef {
  std::string insert_id;
  Timestamp timestamp;
  uint32_t template_index;
};

// A representative entry, chosen independently of input order: the earliest
// by (timestamp, insertId).
struct Sample {
  bool set = false;
  Timestamp timestamp;
  std::string insert_id;
  std::string raw_json;
  // Offers a candidate; keeps it if it sorts before the current sample.
  bool Offer(Timestamp t, std::string_view id) const {
    return !set || t < timestamp || (t == timestamp && id < insert_id);
  }
};

// Where and how often something happened: kept per template, and summed per
// cluster.
struct Occurrences {
  static constexpr size_t kMaxInstances = 64;
  uint64_t count = 0;
  SeverityCounts by_severity{};
  Severity max_severity = Severity::kDefault;
  Timestamp first_seen;
  Timestamp last_seen;
  Sample sample;
  std::set<std::string> revisions;
  std::set<std::string> instances;  // capped at kMaxInstances
  // Adds another set of occurrences (counts, extremes, the earlier sample).
  void Merge(const Occurrences& other);
};

// A parsed stack trace, as the report shows it.
struct StackSummary {
  std::string language;
  std::string exception_type;
  std::string message;
  std::string top_function;  // innermost in-app frame
  std::string top_file;
  std::string fingerprint;   // "st1-..."
  uint64_t fingerprint_id = 0;
};

// Per-template statistics.
struct TemplateStats : Occurrences {
  std::optional<StackSummary> stack;  // from the template's first traceback
  std::set<std::string> error_groups;  // errorGroups ids seen (capped)
  static constexpr size_t kMaxErrorGroups = 8;
};

enum class ActionKind { kNone, kComment, kRegression, kCreate };
std::string_view ActionKindName(ActionKind k);  // "comment", ...

struct Action {
  ActionKind kind = ActionKind::kNone;
  int64_t issue = 0;      // comment: issue commented on; regression: the closed issue
  int64_t new_issue = 0;  // create/regression: the issue filed
  std::string url;
  std::string status;     // "done", "already done", "planned (dry run)", "skipped: ..."
  std::string rationale;  // why this action (match evidence)
  std::string posted;     // what was posted, when something was
  std::vector<int64_t> related;  // issues linked as related
};

struct Cluster : Occurrences {
  std::string id;           // "c1", in report order
  std::string fingerprint;  // "lg1-<16 hex>", stable across runs and machines
  std::vector<uint32_t> templates;  // template indices, by count in this cluster descending
  std::vector<uint64_t> template_counts;  // entries of this cluster per template (aligned)
  std::vector<std::string> member_fingerprints;  // every template's fingerprint, sorted
  std::vector<std::string> evidence;  // why its templates were merged (correlation)
  std::optional<StackSummary> stack;   // the dominant stack trace, if any
  // Signals for triage, from correlation and the requests of the window.
  bool crash_loop = false;
  size_t crashed_instances = 0;
  size_t killed_instances = 0;
  bool after_deploy = false;
  std::string deploy_revision;
  uint64_t failed_requests = 0;   // request logs of this cluster answered 5xx, 401 or 403
  // Entries per time bin across the window (RunReport::bin_seconds each).
  std::vector<uint32_t> timeline;
  double failed_request_share = 0;  // of all the service's requests while it was active
  std::vector<std::string> entry_ids;  // by (timestamp, insertId)
  // Triage.
  int priority = 3;  // 0..3
  std::string category = "new";
  std::string name;
  std::string title;
  std::string impact;
  std::string priority_reason;
  Action action;
};

struct Totals {
  uint64_t entries_read = 0;
  uint64_t in_scope = 0;
  bool in_scope_known = true;  // false for live sources, which return only what was asked
  SeverityCounts by_severity{};
  uint64_t selected = 0;  // in scope and at or above the minimum severity
  uint64_t duplicates_dropped = 0;
  uint64_t already_seen = 0;  // --period latest: counted by the previous run (its overlap)
  uint64_t skipped_bad = 0;
  std::vector<std::string> skip_messages;
};

// Everything a report needs about one gardening pass.
// A revision that first appeared inside the window: a deploy.
struct DeployMarker {
  Timestamp at;
  std::string revision;
};

struct RunReport {
  std::string service;  // empty: every service
  std::vector<DeployMarker> deploys;
  int64_t bin_seconds = 60;  // width of a Cluster::timeline bin
  Window window;
  std::string period;   // as given ("last 1 hour"), or "custom"
  Severity min_severity = Severity::kWarning;
  std::vector<std::string> sources;
  std::string tracker;
  bool dry_run = false;
  Totals totals;
  std::vector<Cluster> clusters;
  Timestamp started_at;
  double duration_seconds = 0;
  int created = 0;
  int regressions = 0;
  int commented = 0;
  int already_done = 0;
  int deferred = 0;
};

}  // namespace lg

#endif  // LOG_GARDENER_CORE_MODEL_H_
