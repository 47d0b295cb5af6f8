// LogEntry: one Cloud Logging entry, normalized. The unit every stage consumes.
//
// Field meanings follow google.logging.v2.LogEntry (see docs/ARCHITECTURE.md and
// the Cloud Logging reference). Severity is only ever the LogEntry field: text
// inside a payload that says "[ERROR]" does not make an entry an error.
#ifndef LOG_GARDENER_LOG_ENTRY_H_
#define LOG_GARDENER_LOG_ENTRY_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg {

// google.logging.type.LogSeverity, with its numeric values so that ordering
// comparisons match the Logging query language (severity>=WARNING).
enum class Severity : int {
  kDefault = 0,
  kDebug = 100,
  kInfo = 200,
  kNotice = 300,
  kWarning = 400,
  kError = 500,
  kCritical = 600,
  kAlert = 700,
  kEmergency = 800,
};

inline constexpr Severity kAllSeverities[] = {
    Severity::kDefault, Severity::kDebug, Severity::kInfo,     Severity::kNotice,
    Severity::kWarning, Severity::kError, Severity::kCritical, Severity::kAlert,
    Severity::kEmergency};

std::string_view SeverityName(Severity s);  // "WARNING"
// Accepts the enum names (any case) and numeric values; a number that is not
// one of the listed values maps to the nearest listed value below it.
std::optional<Severity> ParseSeverity(std::string_view text);
std::optional<Severity> SeverityFromNumber(int64_t value);

// An instant: seconds since the Unix epoch (UTC) plus nanoseconds [0, 1e9).
// Compared as instants, never as strings ("...28.333007Z" < "...28.333Z" as
// text but not in time).
struct Timestamp {
  int64_t seconds = 0;
  int32_t nanos = 0;
  auto operator<=>(const Timestamp&) const = default;
};

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};
using Labels = std::vector<KeyValue>;  // keeps source order; small, linear lookup
const std::string* FindLabel(const Labels& labels, std::string_view key);

struct HttpRequest {
  std::string method;
  std::string url;
  int status = 0;               // 0 when absent
  std::string latency;          // Duration text as given, e.g. "3.786648988s"
  std::optional<double> latency_seconds;
  std::string user_agent;
  std::string remote_ip;
  std::string protocol;
  std::string response_size;    // int64 as text
};

struct SourceLocation {
  std::string file;
  std::string line;  // int64 as text in proto3 JSON
  std::string function;
};

enum class PayloadKind { kNone, kText, kJson, kProto };

struct LogEntry {
  std::string insert_id;
  std::optional<Timestamp> timestamp;
  std::optional<Timestamp> receive_timestamp;
  Severity severity = Severity::kDefault;  // absent field means DEFAULT
  std::string log_name;                    // as given (URL-encoded LOG_ID)
  std::string resource_type;
  Labels resource_labels;
  Labels labels;
  std::string trace;
  std::string span_id;
  std::optional<HttpRequest> http_request;
  std::optional<SourceLocation> source_location;
  std::vector<std::string> error_groups;  // errorGroups[].id
  PayloadKind payload_kind = PayloadKind::kNone;
  // The human message: textPayload; jsonPayload message/msg/textPayload/error/
  // exception/stack_trace; protoPayload status message and method; or for a
  // request log without payload a summary like "GET /api/x → 503 (2.4 s)".
  std::string message;
  // The logger that wrote a structured entry (jsonPayload `logger`,
  // `context.name`, ...); empty when not given.
  std::string logger;
};

// The LOG_ID part of a logName, URL-decoded ("run.googleapis.com/stderr").
// Returns the whole name when it has no "/logs/" part.
std::string LogId(std::string_view log_name);

// The service an entry belongs to: resource.labels.service_name for Cloud Run,
// and the equivalents for other resource types (function_name, job_name,
// module_id, container_name). Empty when none applies.
std::string_view ServiceOf(const LogEntry& entry);

}  // namespace lg

#endif  // LOG_GARDENER_LOG_ENTRY_H_
