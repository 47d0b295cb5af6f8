#include "gcp/filter.h"

#include <fmt/format.h>

namespace lg::gcp {

std::string QuoteValue(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string BuildFilter(const LogScope& s) {
  std::string f = "resource.type=\"cloud_run_revision\"";
  if (!s.service.empty()) f += " AND resource.labels.service_name=" + QuoteValue(s.service);
  // DEFAULT is the lowest severity: no severity clause then.
  if (s.min_severity > Severity::kDefault) f += fmt::format(" AND severity>={}", SeverityName(s.min_severity));
  f += fmt::format(" AND timestamp>={} AND timestamp<{}", QuoteValue(FormatTimestamp(s.window.start)),
                   QuoteValue(FormatTimestamp(s.window.end)));
  if (!s.extra.empty()) f += " AND (" + s.extra + ")";
  return f;
}

std::string BuildContextFilter(const LogScope& s, std::string_view project) {
  if (s.min_severity <= Severity::kDefault) return "";
  std::string f = "resource.type=\"cloud_run_revision\"";
  if (!s.service.empty()) f += " AND resource.labels.service_name=" + QuoteValue(s.service);
  f += fmt::format(" AND severity<{}", SeverityName(s.min_severity));
  f += fmt::format(" AND timestamp>={} AND timestamp<{}", QuoteValue(FormatTimestamp(s.window.start)),
                   QuoteValue(FormatTimestamp(s.window.end)));
  f += " AND logName=(";
  bool first = true;
  for (const char* log : {"run.googleapis.com%2Frequests", "run.googleapis.com%2Fvarlog%2Fsystem",
                          "cloudaudit.googleapis.com%2Factivity", "cloudaudit.googleapis.com%2Fsystem_event"}) {
    if (!first) f += " OR ";
    first = false;
    f += QuoteValue(fmt::format("projects/{}/logs/{}", project, log));
  }
  f += ")";
  if (!s.extra.empty()) f += " AND (" + s.extra + ")";
  return f;
}

}  // namespace lg::gcp
