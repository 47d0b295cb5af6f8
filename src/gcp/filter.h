// The Logging query language filter for a gardening scope, in the documented
// subset only: upper-case AND, double-quoted values with \" and \\ escaped,
// RFC 3339 times.
#ifndef LOG_GARDENER_GCP_FILTER_H_
#define LOG_GARDENER_GCP_FILTER_H_

#include <string>
#include <string_view>

#include "core/time.h"
#include "log_gardener/log_entry.h"

namespace lg::gcp {

struct LogScope {
  std::string service;  // empty: every service
  Window window;
  Severity min_severity = Severity::kWarning;
  std::string extra;  // the user's own filter (--filter), ANDed in parentheses
};

// "cloud_run" → "\"cloud_run\"", with quotes and backslashes escaped.
std::string QuoteValue(std::string_view value);

std::string BuildFilter(const LogScope& scope);

// The context query: entries below the minimum whose logs carry correlation
// signals (Cloud Run's request log, its platform log, the audit logs of
// deploys), so a live run correlates as a run over the whole export does.
// Empty when the minimum is DEFAULT (the main query already has everything).
std::string BuildContextFilter(const LogScope& scope, std::string_view project);

}  // namespace lg::gcp

#endif  // LOG_GARDENER_GCP_FILTER_H_
