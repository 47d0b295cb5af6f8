// Correlator: the `correlate` stage. Merges templates, and places entries,
// into incidents: one underlying problem writes many different lines.
//
// Pure and deterministic. Evidence comes only from the entries themselves,
// never from what particular messages say:
//   0. stack      — templates with the same stack-trace fingerprint or the
//                   same Error Reporting group (`errorGroups`);
//   1. trace      — app templates logged in the same request traces, both ways;
//   2. client     — 4xx request logs from the same client address and status
//                   (a scanner walking paths);
//   3. content    — templates with the same distinctive words (TF-IDF cosine
//                   over stemmed words and engineering synonyms), active at
//                   overlapping times;
//   4. logger     — templates written by the same named logger that also
//                   turn up together (same instance, seconds apart), more
//                   often than chance;
//   5. timing     — templates that fire together outside instance start-up,
//                   far more often than chance (lift over the time they cover);
//   6. crash loop — error templates (and platform messages) found only on
//                   instances that never served a request and died young;
//   7. death      — templates concentrated in the last seconds of instances
//                   whose last word was a platform error (killed: OOM…),
//                   give or take work in flight finishing;
//   8. deploy     — groups whose every entry is on a new revision and that
//                   began within minutes of its first appearance;
//   9. cluster timing and content, as 5 and 3 between whole groups;
//  10. component  — warning groups whose messages open with the same
//                   upper-case tag (`SSOT: …`) that no other group uses,
//                   logged from one package (a logger's name minus its last part);
//  11. entry level — a request log joins the app error logged in its trace;
//                   otherwise a 5xx joins the death or crash loop it fell in.
// Each merge keeps a one-line reason, printed as the cluster's "technical
// pattern" so a person can check it.
#ifndef LOG_GARDENER_CORRELATE_CORRELATOR_H_
#define LOG_GARDENER_CORRELATE_CORRELATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/log_entry.h"

namespace lg {

// What correlation needs of one in-scope entry at or above the minimum
// severity. Ids are dense, 0 meaning absent; names are in CorrelationInput.
struct EntryFacts {
  uint32_t tmpl = 0;
  double t = 0;  // seconds since the epoch
  uint32_t trace = 0;
  uint32_t instance = 0;
  uint32_t revision = 0;
  uint32_t client = 0;  // remote address of a request
  uint32_t logger = 0;
  int status = 0;        // HTTP status of a request log
  Severity severity = Severity::kDefault;
  bool request = false;   // a request log (has httpRequest)
  bool platform = false;  // a platform log (run.googleapis.com/varlog/system)
};

// Over every in-scope entry, whatever its severity.
struct InstanceFacts {
  double first = 0;
  double last = 0;
  uint32_t ok_requests = 0;  // requests answered 1xx-3xx
};

struct CorrelationInput {
  std::vector<std::string> template_texts;  // typed template text, by template index
  std::vector<EntryFacts> entries;
  std::vector<InstanceFacts> instances;     // by instance id (index 0 unused)
  std::vector<double> revision_first;       // by revision id: first seen (index 0 unused)
  std::vector<std::string> revision_names;  // by revision id
  std::vector<std::string> logger_names;    // by logger id
  // By template: stack-trace fingerprint (0: none) and errorGroups ids.
  std::vector<uint64_t> template_stacks;
  std::vector<std::vector<std::string>> template_error_groups;
};

// Thresholds, measured on generated scenarios (docs/benchmarks.md).
struct CorrelationOptions {
  // A template's traces that also hold the other (the larger direction):
  // nearly all, so one lies within the other's requests. Two problems on the
  // same route share many requests without either being part of the other.
  double trace_share = 0.9;
  double trace_back = 0.2;    // ... and the smaller direction
  double content_cosine = 0.5;
  double cluster_content_cosine = 0.3;
  bool component_tags = true;  // evidence 10: warning groups tagged alike from one package
  // Evidence 10b: a library's warning groups (`[next-auth][warn]…`) join its
  // one error group.
  bool library_warnings = true;
  // Evidence 10c: warning groups reporting one warning category
  // (deprecations) join.
  bool warning_categories = true;
  // No episode evidence for a warning group logged at most this many times
  // per instance (on two or more): instance births time it.
  double episode_once_per_instance = 1.5;
  // Evidence 0c: a line quoting an exception's message (of at least this
  // many words; 0 turns it off) joins the template that raises it.
  size_t quoted_error_words = 4;
  // Evidence 6d: a circuit breaker joins the group its name is about.
  bool breaker_names = true;
  // Counter-evidence: groups raising exceptions of different libraries only
  // (`redis.…` and `anthropic.…`) are not merged for firing together.
  bool library_veto = true;
  double overlap_slack_s = 300;  // "active at overlapping times" allows this gap
  double logger_share = 0.8;     // of a template's entries from its main logger
  double logger_cooccur_s = 30;  // ... and its templates turn up together within this
  double logger_cooccur_hit = 0.3;
  double logger_lift = 2;  // ... that many times more often than chance
  double timing_window_s = 15;
  double timing_hit = 0.7;
  double timing_hit_back = 0.3;
  double timing_lift = 5;
  size_t timing_min_entries = 3;  // fewer say nothing about timing
  double cluster_timing_hit = 0.8;
  double cluster_timing_hit_back = 0.1;
  double cluster_timing_lift = 4;
  double episode_min_s = 120;       // episodes shorter than this say nothing
  double episode_max_share = 0.8;   // ... nor those lasting most of the window
  double episode_slack_s = 60;      // start and stop this close
  double episode_slack_share = 0.1; // ... relative to their joint length
  double startup_s = 30;          // entries this soon after an instance's first are start-up
  // A group with more than this share of its app entries at start-up (a crash
  // loop's) gives no timing evidence between groups: its boots set its times.
  double startup_heavy = 0.5;
  double crash_max_life_s = 600;  // a crash-looping instance dies younger than this
  double crash_share = 0.9;       // of a template's instance entries on such instances
  // ... on two or more of them; a template seen on one of them only (a probe
  // failing, a migration giving up, once) joins too when its group lives on
  // the loop's instances alone.
  bool crash_one_instance = true;
  // Errors (3+) on the still-serving instances (some may be on the looping
  // ones) that begin within this many seconds of a crash loop's first entry
  // and end while it lasts join it.
  double crash_onset_s = 60;
  // A platform error is an instance's death when it is the instance's last
  // entry at the minimum severity or above, and the instance logs nothing at
  // all more than this many seconds after it (work in flight finishing).
  double death_after_s = 10;
  double death_window_s = 90;
  double death_share = 0.6;
  double deploy_window_s = 300;
  // A group of at most this many entries, mostly logged after start-up,
  // joins the group whose entries come within stray_window_s of this share
  // of its own on the same instance, this many times more often than
  // chance, and clearly more so than any third group's that come as close.
  size_t stray_max_entries = 20;
  double stray_window_s = 60;
  double stray_hit = 0.8;
  double stray_lift = 4;
  double stray_ahead = 2;  // ... and this many times the next group's lift
  // A group whose clumps of lines (3+) nearly all fall inside another group's
  // bursts (its lines chained while less than burst_gap_s apart, padded by
  // timing_window_s) joins it when that many landing there by chance is this
  // unlikely, and this many times less likely than in any other group's.
  size_t burst_min_clumps = 3;
  size_t burst_max_entries = 20;  // a steady stream is no reaction to bursts
  double burst_max_cover = 0.35;  // bursts filling more of the hour are no bursts
  double burst_min_lines = 4;     // ... nor are they with fewer lines each, on average
  double burst_gap_s = 120;
  double burst_hit = 0.75;
  double burst_chance = 0.005;
  double burst_ahead = 10;
  // Request logs of one pattern placed one by one (trace, death, crash loop):
  // when more than this share of them went to one incident and the rest were
  // left in a group of request logs alone, the rest follow. 1 turns it off.
  double majority_share = 0.5;
  // Two groups a deploy brought that share requests no more than this many
  // times as often as chance (the larger one's share of the revision's
  // requests) are two things it broke, not one.
  double deploy_trace_lift = 2;
  size_t deploy_min_entries = 2;  // a config error logs once per new instance: two instances, two lines
  double window_s = 3600;         // the length of the window analysed
};

// What correlation learned about an incident that triage can use.
struct IncidentSignals {
  bool crash_loop = false;       // holds a crash loop's templates
  size_t crashed_instances = 0;
  size_t killed_instances = 0;   // instances whose last word was a platform error
  bool after_deploy = false;     // began with a new revision, seen on no other
  std::string deploy_revision;
};

struct CorrelationResult {
  std::vector<uint32_t> incident_of_entry;       // dense incident ids, by entry
  std::vector<std::vector<std::string>> evidence;  // by incident: why its parts were merged
  std::vector<IncidentSignals> signals;            // by incident
  size_t incident_count = 0;
};

CorrelationResult Correlate(const CorrelationInput& input, const CorrelationOptions& options = {});

// The messages of the exceptions a template raises, as another line would
// quote them (evidence 0c): "Error <NUM> connecting to <IP>:<NUM>. Connection
// refused" from a traceback's last line; a message too common alone keeps its
// class ("KeyError: 'theme'").
std::vector<std::string> RaisedMessages(std::string_view text, size_t min_words);

// The name of the circuit breaker a template reports ("llm_openai"), or "".
std::string BreakerName(std::string_view text);

// Formats a fingerprint from a 64-bit identity: "lg1-0123456789abcdef".
std::string FormatFingerprint(uint64_t id);

}  // namespace lg

#endif  // LOG_GARDENER_CORRELATE_CORRELATOR_H_
