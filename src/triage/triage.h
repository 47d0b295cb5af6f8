// Triage: priority, category and a human-skimmable name for each cluster.
#ifndef LOG_GARDENER_TRIAGE_TRIAGE_H_
#define LOG_GARDENER_TRIAGE_TRIAGE_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

// The rules, with the defaults `log-gardener config --example` documents. A
// team tunes them in the config file's [triage] table (src/cli/config.cc).
struct TriageRules {
  // P0 (service down): any entry at or above this severity...
  Severity p0_min_severity = Severity::kCritical;
  // ...or a crash loop (instances that never served and died young)...
  bool p0_crash_loop = true;
  // ...or most requests failing: this share of the service's requests,
  // while the incident was active, answered 5xx/401/403 by it (and at
  // least p0_min_failed_requests of them).
  double p0_failed_request_share = 0.5;
  uint64_t p0_min_failed_requests = 20;
  // P1 (a major feature failing): errors with this many ERROR entries, or
  // this many failed requests, or instances killed by the platform. One
  // user request answered 5xx/401/403 by an error is a user-facing failure
  // (a count says how often the feature is used, not how broken it is).
  uint64_t p1_min_errors = 10;
  uint64_t p1_min_failed_requests = 1;
  uint64_t p1_min_killed_instances = 1;
  // Errors whose main pattern says the system copes (retries, fallbacks,
  // rate limits) are at most P2 unless a P0 rule holds. Matched
  // case-insensitively as substrings of the most frequent template.
  std::vector<std::string> degraded_words = {"retry", "retries", "fallback", "rate limit", "ratelimit",
                                             "429", "too many requests", "throttl", "circuit breaker",
                                             "backoff", "quota"};
  // Warnings about performance are P2 (degraded): any template saying so.
  std::vector<std::string> slow_words = {"slow", "latency", "took", "exceeded", "timed out", "timeout"};
  // Warnings whose main pattern contains one of these are P3 at any volume:
  // a deprecation is cosmetic until the removal lands, however often it is
  // logged (every worker at every boot).
  std::vector<std::string> cosmetic_words = {"deprecat"};
  // A warnings-only cluster this large is P2, else P3.
  uint64_t p2_min_warnings = 200;
  // Longest name, in characters, before the title prefix.
  size_t max_name_chars = 90;
  // Business impact by priority, P0..P3 (a service's own text overrides).
  // What this service's failure means to the business ([impact] in the
  // config), added to every cluster's impact.
  std::string service_impact;
  std::vector<std::string> impact = {"Service down or failing for most users", "A major feature failing for users",
                                     "Degraded or partial service", "Cosmetic or configuration noise"};
};

// Sets priority, priority_reason, category ("regression" when it began with
// a new revision, else "new" until matching says otherwise), name, impact and
// title. REQUIRES: the cluster's statistics and signals are filled.
void TriageCluster(Cluster& cluster, const std::vector<Template>& templates,
                   const std::vector<TemplateStats>& stats, const TriageRules& rules);

// "GCP-new-P1-Redis connection refused". The name is cut to fit 256 chars.
std::string MakeTitle(std::string_view category, int priority, std::string_view name);

// A short readable name from a template: its first line with placeholders and
// stray punctuation removed, cut at a word boundary.
std::string NameFromTemplate(std::string_view template_text, size_t max_chars);

}  // namespace lg

#endif  // LOG_GARDENER_TRIAGE_TRIAGE_H_
