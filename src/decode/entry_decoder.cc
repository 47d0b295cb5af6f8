#include "decode/entry_decoder.h"

#include <charconv>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "core/time.h"

namespace lg {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Longest message kept for mining and naming (see the end of Decode).
constexpr size_t kMaxMessageBytes = 64 * 1024;

// Maximum bytes of a jsonPayload rendered as the message when it has no
// message-like field. Keeps a 12 KB audit blob from becoming a "template".
constexpr size_t kMaxRenderedPayload = 1024;

Status FieldError(std::string_view field, std::string_view what) {
  return Status::DataLoss(fmt::format("field '{}': {}", field, what));
}

std::string_view TypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// The fields of one object that a decoder reads, found in a single walk over
// its keys. Looking each one up with at_key scans the keys from the start
// every time, and most entries lack half the fields asked for (each absent
// one a scan of every key): for a dozen keys that cost more than parsing the
// entry. The first occurrence of a key wins, as with at_key.
template <size_t N>
struct Fields {
  element value[N];
  uint32_t present = 0;
  // `slot` maps a key to its index, or -1 for a key not read.
  template <typename SlotFn>
  Fields(const object& obj, SlotFn slot) {
    for (auto field : obj) {
      const int k = slot(field.key);
      if (k >= 0 && !(present & (1u << k))) {
        present |= 1u << k;
        value[k] = field.value;
      }
    }
  }
  // The field at `k`, null when absent (null JSON values count as absent).
  const element* Get(int k) const {
    return (present & (1u << k)) && !value[k].is_null() ? &value[k] : nullptr;
  }
  // `k`, else the lower-cased alias some SIEM exports use (`insertid`): as
  // at_key(key), then at_key(alias) would find them.
  const element* Get(int k, int alias) const {
    if (present & (1u << k)) return value[k].is_null() ? nullptr : &value[k];
    return Get(alias);
  }
};

// Reads an optional string field `e` (named `key` in errors) into `out`, or
// with `out` null only checks its type (bad input is rejected the same way
// whether or not it is kept). Absent (null) is fine.
Status ReadString(const element* e, std::string_view key, std::string* out) {
  if (!e) return Status::Ok();
  std::string_view v;
  if (e->get(v) != simdjson::SUCCESS) {
    return FieldError(key, fmt::format("expected a string, got {}", TypeName(e->type())));
  }
  if (out) out->assign(v);
  return Status::Ok();
}

// The same for `key` of `obj`.
Status ReadString(const object& obj, std::string_view key, std::string* out) {
  element e;
  if (obj.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) return Status::Ok();
  return ReadString(&e, key, out);
}

bool IsScalar(const element& e) {
  switch (e.type()) {
    case element_type::STRING:
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
    case element_type::BOOL: return true;
    default: return false;
  }
}

// Scalars as text: int64 fields arrive as strings in REST and as numbers in
// normalized exports; never pass them through double.
bool ScalarText(const element& e, std::string& out) {
  switch (e.type()) {
    case element_type::STRING: out.assign(e.get_string().value_unsafe()); return true;
    case element_type::INT64: out = std::to_string(e.get_int64().value_unsafe()); return true;
    case element_type::UINT64: out = std::to_string(e.get_uint64().value_unsafe()); return true;
    case element_type::DOUBLE: out = fmt::format("{}", e.get_double().value_unsafe()); return true;
    case element_type::BOOL: out = e.get_bool().value_unsafe() ? "true" : "false"; return true;
    default: return false;
  }
}

// Replaces `out` with the labels object `e` (named `key` in errors; null:
// none), reusing its elements' storage (this runs for every entry).
Status ReadLabels(const element* e, std::string_view key, Labels& out) {
  size_t n = 0;
  if (e) {
    object labels;
    if (e->get(labels) != simdjson::SUCCESS) {
      return FieldError(key, fmt::format("expected an object, got {}", TypeName(e->type())));
    }
    for (auto field : labels) {
      if (field.value.is_null()) continue;
      if (n == out.size()) out.emplace_back();
      if (!ScalarText(field.value, out[n].value)) {
        out.resize(n);
        return FieldError(fmt::format("{}.{}", key, field.key),
                          fmt::format("expected a string, got {}", TypeName(field.value.type())));
      }
      out[n].key.assign(field.key);
      ++n;
    }
  }
  out.resize(n);
  return Status::Ok();
}

Status ReadTimestamp(const element* e, std::string_view key, std::optional<Timestamp>& out) {
  if (!e) return Status::Ok();
  std::string_view text;
  if (e->get(text) != simdjson::SUCCESS) {
    return FieldError(key, fmt::format("expected a string, got {}", TypeName(e->type())));
  }
  if (text.empty()) return Status::Ok();
  auto t = ParseTimestamp(text);
  if (!t.ok()) return FieldError(key, t.status().message());
  out = *t;
  return Status::Ok();
}

Status ReadSeverity(const element* e, Severity& out) {
  if (!e) {
    out = Severity::kDefault;  // proto3 omits the default value
    return Status::Ok();
  }
  std::optional<Severity> s;
  switch (e->type()) {
    case element_type::STRING: s = ParseSeverity(e->get_string().value_unsafe()); break;
    case element_type::INT64: s = SeverityFromNumber(e->get_int64().value_unsafe()); break;
    case element_type::UINT64: s = Severity::kEmergency; break;
    case element_type::DOUBLE: {
      double d = e->get_double().value_unsafe();
      if (std::isfinite(d) && d >= 0 && d < 1e6) s = SeverityFromNumber(static_cast<int64_t>(d));
      break;
    }
    default:
      return FieldError("severity",
                        fmt::format("expected a string or number, got {}", TypeName(e->type())));
  }
  if (!s) return FieldError("severity", "not a LogSeverity name or number");
  out = *s;
  return Status::Ok();
}

// The httpRequest fields read (see Fields).
enum RequestField { kMethod, kUrl, kUserAgent, kRemoteIp, kProtocol, kResponseSize, kStatus, kLatency };

int RequestSlot(std::string_view key) {
  switch (key.size()) {
    case 6: return key == "status" ? kStatus : -1;
    case 7: return key == "latency" ? kLatency : -1;
    case 8: return key == "remoteIp" ? kRemoteIp : key == "protocol" ? kProtocol : -1;
    case 9: return key == "userAgent" ? kUserAgent : -1;
    case 10: return key == "requestUrl" ? kUrl : -1;
    case 12: return key == "responseSize" ? kResponseSize : -1;
    case 13: return key == "requestMethod" ? kMethod : -1;
    default: return -1;
  }
}

// `spare`: a request whose strings' storage is reused (this runs for most
// entries of a service's logs).
// Without `full` only the status is kept (the rest is checked).
Status ReadHttpRequest(const element* e, LogEntry& entry, HttpRequest& spare, bool full) {
  if (!e) return Status::Ok();
  object req;
  if (e->get(req) != simdjson::SUCCESS) {
    return FieldError("httpRequest", fmt::format("expected an object, got {}", TypeName(e->type())));
  }
  const Fields<8> f(req, RequestSlot);
  HttpRequest& r = entry.http_request.emplace(std::move(spare));
  for (std::string* s : {&r.method, &r.url, &r.latency, &r.user_agent, &r.remote_ip, &r.protocol, &r.response_size}) {
    s->clear();
  }
  r.status = 0;
  r.latency_seconds.reset();
  LG_RETURN_IF_ERROR(ReadString(f.Get(kMethod), "requestMethod", full ? &r.method : nullptr));
  LG_RETURN_IF_ERROR(ReadString(f.Get(kUrl), "requestUrl", full ? &r.url : nullptr));
  LG_RETURN_IF_ERROR(ReadString(f.Get(kUserAgent), "userAgent", full ? &r.user_agent : nullptr));
  LG_RETURN_IF_ERROR(ReadString(f.Get(kRemoteIp), "remoteIp", full ? &r.remote_ip : nullptr));
  LG_RETURN_IF_ERROR(ReadString(f.Get(kProtocol), "protocol", full ? &r.protocol : nullptr));
  if (const element* v = f.Get(kResponseSize); v && !(full ? ScalarText(*v, r.response_size) : IsScalar(*v))) {
    return FieldError("httpRequest.responseSize", "expected a string or number");
  }
  if (const element* v = f.Get(kStatus)) {
    std::string text;
    int64_t status = 0;
    if (v->get(status) != simdjson::SUCCESS) {
      // Some exports write int32 fields as strings.
      if (!ScalarText(*v, text)) return FieldError("httpRequest.status", "expected a number");
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), status);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return FieldError("httpRequest.status", fmt::format("expected a number, got \"{}\"", text));
      }
    }
    if (status < 0 || status > 999) return FieldError("httpRequest.status", "out of range");
    r.status = static_cast<int>(status);
  }
  LG_RETURN_IF_ERROR(ReadString(f.Get(kLatency), "latency", full ? &r.latency : nullptr));
  if (!r.latency.empty()) r.latency_seconds = ParseProtoDuration(r.latency);
  return Status::Ok();
}

// Without `full` only checked.
Status ReadSourceLocation(const element* e, LogEntry& entry, bool full) {
  if (!e) return Status::Ok();
  object loc;
  if (e->get(loc) != simdjson::SUCCESS) {
    return FieldError("sourceLocation", fmt::format("expected an object, got {}", TypeName(e->type())));
  }
  SourceLocation s;
  LG_RETURN_IF_ERROR(ReadString(loc, "file", full ? &s.file : nullptr));
  LG_RETURN_IF_ERROR(ReadString(loc, "function", full ? &s.function : nullptr));
  element line;
  if (loc.at_key("line").get(line) == simdjson::SUCCESS && !line.is_null() &&
      !(full ? ScalarText(line, s.line) : IsScalar(line))) {
    return FieldError("sourceLocation.line", "expected a string or number");
  }
  if (full) entry.source_location = std::move(s);
  return Status::Ok();
}

// Without `full` only checked.
Status ReadErrorGroups(const element* e, LogEntry& entry, bool full) {
  if (!e) return Status::Ok();
  simdjson::dom::array groups;
  if (e->get(groups) != simdjson::SUCCESS) {
    return FieldError("errorGroups", fmt::format("expected an array, got {}", TypeName(e->type())));
  }
  for (element g : groups) {
    object go;
    std::string_view id;
    if (g.get(go) != simdjson::SUCCESS || go.at_key("id").get(id) != simdjson::SUCCESS) {
      return FieldError("errorGroups", "expected objects with a string 'id'");
    }
    if (full) entry.error_groups.emplace_back(id);
  }
  return Status::Ok();
}

// Appends `text` as a new paragraph unless the message already holds it (a
// traceback often repeats inside `message`).
void AppendDetail(std::string& message, std::string_view text) {
  if (text.empty() || message.find(text) != std::string::npos) return;
  if (!message.empty()) message += '\n';
  message += text;
}

template <typename T>
std::string RenderCapped(const T& e) {
  std::string s = simdjson::minify(e);
  if (s.size() > kMaxRenderedPayload) {
    size_t cut = kMaxRenderedPayload;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    s.resize(cut);
    s += "…";
  }
  return s;
}

void MessageFromJsonPayload(const object& payload, std::string& message) {
  static constexpr std::string_view kPrimary[] = {"message", "msg", "textPayload", "log"};
  static constexpr std::string_view kStack[] = {"exception", "stack_trace", "stacktrace",
                                                "traceback", "stack"};
  for (std::string_view key : kPrimary) {
    std::string_view v;
    if (payload.at_key(key).get(v) == simdjson::SUCCESS && !v.empty()) {
      message.assign(v);
      break;
    }
  }
  for (std::string_view key : kStack) {
    std::string_view v;
    if (payload.at_key(key).get(v) == simdjson::SUCCESS) AppendDetail(message, v);
  }
  if (!message.empty()) return;
  // No message-like field: fall back to `error` (string, or an object's message).
  element err;
  if (payload.at_key("error").get(err) == simdjson::SUCCESS) {
    std::string_view v;
    object eo;
    if (err.get(v) == simdjson::SUCCESS) {
      message.assign(v);
    } else if (err.get(eo) == simdjson::SUCCESS && eo.at_key("message").get(v) == simdjson::SUCCESS) {
      message.assign(v);
    }
    if (!message.empty()) return;
  }
  message = RenderCapped(payload);
}

// The logger that wrote a structured entry: `logger`, `logger_name`,
// `loggerName`, `context.name` (Python logging via some JSON formatters) or
// `log.logger` (Elastic Common Schema). Empty when none is given.
void LoggerFromJsonPayload(const object& payload, std::string& logger) {
  static constexpr std::string_view kKeys[] = {"logger", "logger_name", "loggerName"};
  std::string_view v;
  for (std::string_view key : kKeys) {
    if (payload.at_key(key).get(v) == simdjson::SUCCESS && !v.empty()) {
      logger.assign(v);
      return;
    }
  }
  object inner;
  if (payload.at_key("context").get(inner) == simdjson::SUCCESS &&
      inner.at_key("name").get(v) == simdjson::SUCCESS && !v.empty()) {
    logger.assign(v);
    return;
  }
  if (payload.at_key("log").get(inner) == simdjson::SUCCESS &&
      inner.at_key("logger").get(v) == simdjson::SUCCESS && !v.empty()) {
    logger.assign(v);
  }
}

void MessageFromProtoPayload(const object& payload, std::string& message) {
  std::string_view method, resource;
  if (payload.at_key("methodName").get(method) != simdjson::SUCCESS) method = {};
  if (payload.at_key("resourceName").get(resource) != simdjson::SUCCESS) resource = {};
  message.assign(method);
  if (!resource.empty()) {
    if (!message.empty()) message += ' ';
    message += resource;
  }
  object status;
  if (payload.at_key("status").get(status) == simdjson::SUCCESS) {
    std::string_view status_message;
    int64_t code = 0;
    if (status.at_key("code").get(code) != simdjson::SUCCESS) code = {};
    if (status.at_key("message").get(status_message) != simdjson::SUCCESS) status_message = {};
    if (code != 0 || !status_message.empty()) {
      message += fmt::format("{}status {}", message.empty() ? "" : ": ", code);
      if (!status_message.empty()) {
        message += ' ';
        message += status_message;
      }
    }
  }
  if (message.empty()) {
    message = RenderCapped(payload);
  }
}

// The LogEntry fields Decode reads (see Fields), with the lower-cased
// aliases some SIEM exports write.
enum TopField {
  kInsertId, kInsertIdAlias, kTimestamp, kReceiveTimestamp, kReceiveTimestampAlias, kSeverity, kLogName,
  kLogNameAlias, kTrace, kSpanId, kLabels, kResource, kHttpRequest, kSourceLocation, kErrorGroups,
  kTextPayload, kJsonPayload, kProtoPayload, kTopFields
};

int TopSlot(std::string_view key) {
  switch (key.size()) {
    case 5: return key == "trace" ? kTrace : -1;
    case 6: return key == "labels" ? kLabels : key == "spanId" ? kSpanId : -1;
    case 7: return key == "logName" ? kLogName : key == "logname" ? kLogNameAlias : -1;
    case 8:
      return key == "severity" ? kSeverity : key == "insertId" ? kInsertId : key == "resource" ? kResource
           : key == "insertid" ? kInsertIdAlias : -1;
    case 9: return key == "timestamp" ? kTimestamp : -1;
    case 11:
      return key == "httpRequest" ? kHttpRequest : key == "jsonPayload" ? kJsonPayload
           : key == "textPayload" ? kTextPayload : key == "errorGroups" ? kErrorGroups : -1;
    case 12: return key == "protoPayload" ? kProtoPayload : -1;
    case 14: return key == "sourceLocation" ? kSourceLocation : -1;
    case 16:
      return key == "receiveTimestamp" ? kReceiveTimestamp : key == "receivetimestamp" ? kReceiveTimestampAlias : -1;
    default: return -1;
  }
}

}  // namespace

std::string SummarizeRequest(const HttpRequest& req) {
  std::string_view url = req.url;
  // Keep path and query: the host is the same for every request of a service.
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    auto slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  std::string out = fmt::format("{} {}", req.method.empty() ? "REQUEST" : req.method,
                                url.empty() ? "/" : url);
  if (req.status != 0) out += fmt::format(" → {}", req.status);
  if (req.latency_seconds) {
    double s = *req.latency_seconds;
    out += s < 1.0 ? fmt::format(" ({:.1f} ms)", s * 1000) : fmt::format(" ({:.1f} s)", s);
  }
  return out;
}

Status EntryDecoder::Decode(std::string_view json, LogEntry& out) { return Decode(json, out, false); }

Status EntryDecoder::Decode(std::string_view json, LogEntry& out, bool padded) {
  // Cleared field by field: the strings keep their storage for the next entry.
  out.insert_id.clear();
  out.timestamp.reset();
  out.receive_timestamp.reset();
  out.severity = Severity::kDefault;
  out.log_name.clear();
  out.resource_type.clear();
  out.trace.clear();
  out.span_id.clear();
  if (out.http_request) {
    spare_request_ = std::move(*out.http_request);
    out.http_request.reset();
  }
  out.source_location.reset();
  out.error_groups.clear();
  out.payload_kind = PayloadKind::kNone;
  out.message.clear();
  out.logger.clear();
  element root;
  if (auto err = parser_.parse(json.data(), json.size(), /*realloc_if_needed=*/!padded).get(root);
      err != simdjson::SUCCESS) {
    return Status::DataLoss(fmt::format("malformed JSON: {}", simdjson::error_message(err)));
  }
  object obj;
  if (root.get(obj) != simdjson::SUCCESS) {
    return Status::DataLoss(
        fmt::format("expected a LogEntry object, got {}", TypeName(root.type())));
  }
  const Fields<kTopFields> f(obj, TopSlot);
  LG_RETURN_IF_ERROR(ReadString(f.Get(kInsertId, kInsertIdAlias), "insertId", &out.insert_id));
  LG_RETURN_IF_ERROR(ReadTimestamp(f.Get(kTimestamp), "timestamp", out.timestamp));
  LG_RETURN_IF_ERROR(ReadTimestamp(f.Get(kReceiveTimestamp, kReceiveTimestampAlias), "receiveTimestamp",
                                   out.receive_timestamp));
  LG_RETURN_IF_ERROR(ReadSeverity(f.Get(kSeverity), out.severity));
  LG_RETURN_IF_ERROR(ReadString(f.Get(kLogName, kLogNameAlias), "logName", &out.log_name));
  // Below detail_from_ every field is checked, but only what entries are
  // counted and correlated by is kept (see set_detail_from).
  const bool message = out.severity >= detail_from_;
  LG_RETURN_IF_ERROR(ReadString(f.Get(kTrace), "trace", message ? &out.trace : nullptr));
  LG_RETURN_IF_ERROR(ReadString(f.Get(kSpanId), "spanId", message ? &out.span_id : nullptr));
  LG_RETURN_IF_ERROR(ReadLabels(f.Get(kLabels), "labels", out.labels));  // replaces out.labels

  if (const element* res = f.Get(kResource)) {
    object ro;
    if (res->get(ro) != simdjson::SUCCESS) {
      return FieldError("resource", fmt::format("expected an object, got {}", TypeName(res->type())));
    }
    LG_RETURN_IF_ERROR(ReadString(ro, "type", message ? &out.resource_type : nullptr));
    element labels;
    const bool has_labels = ro.at_key("labels").get(labels) == simdjson::SUCCESS && !labels.is_null();
    Status s = ReadLabels(has_labels ? &labels : nullptr, "labels", out.resource_labels);  // replaces them
    if (!s.ok()) return s.WithContext("in 'resource'");
  } else {
    out.resource_labels.clear();
  }
  LG_RETURN_IF_ERROR(ReadHttpRequest(f.Get(kHttpRequest), out, spare_request_, message));
  LG_RETURN_IF_ERROR(ReadSourceLocation(f.Get(kSourceLocation), out, message));
  LG_RETURN_IF_ERROR(ReadErrorGroups(f.Get(kErrorGroups), out, message));

  if (const element* payload = f.Get(kTextPayload)) {
    std::string_view text;
    if (payload->get(text) != simdjson::SUCCESS) {
      return FieldError("textPayload",
                        fmt::format("expected a string, got {}", TypeName(payload->type())));
    }
    out.payload_kind = PayloadKind::kText;
    if (message) out.message.assign(text);
  } else if (const element* payload = f.Get(kJsonPayload)) {
    object po;
    if (payload->get(po) != simdjson::SUCCESS) {
      return FieldError("jsonPayload",
                        fmt::format("expected an object, got {}", TypeName(payload->type())));
    }
    out.payload_kind = PayloadKind::kJson;
    if (message) {
      MessageFromJsonPayload(po, out.message);
      LoggerFromJsonPayload(po, out.logger);
    }
  } else if (const element* payload = f.Get(kProtoPayload)) {
    object po;
    if (payload->get(po) != simdjson::SUCCESS) {
      return FieldError("protoPayload",
                        fmt::format("expected an object, got {}", TypeName(payload->type())));
    }
    out.payload_kind = PayloadKind::kProto;
    if (message) MessageFromProtoPayload(po, out.message);
  }
  if (message && out.message.empty() && out.http_request) out.message = SummarizeRequest(*out.http_request);
  // A trailing newline is framing, not content.
  while (!out.message.empty() && (out.message.back() == '\n' || out.message.back() == '\r')) {
    out.message.pop_back();
  }
  // A 10 MB message is data, not a log line: mine, name and parse traces from
  // its first 64 KiB (cut at a character boundary); the raw entry stays whole.
  if (out.message.size() > kMaxMessageBytes) {
    size_t cut = kMaxMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(out.message[cut]) & 0xC0) == 0x80) --cut;
    const size_t dropped = out.message.size() - cut;
    out.message.resize(cut);
    out.message += fmt::format(" …[{} more bytes]", dropped);
  }
  return Status::Ok();
}

}  // namespace lg
