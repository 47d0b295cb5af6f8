#include "log_gardener/log_entry.h"

#include <cctype>
#include <charconv>

namespace lg {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kDefault: return "DEFAULT";
    case Severity::kDebug: return "DEBUG";
    case Severity::kInfo: return "INFO";
    case Severity::kNotice: return "NOTICE";
    case Severity::kWarning: return "WARNING";
    case Severity::kError: return "ERROR";
    case Severity::kCritical: return "CRITICAL";
    case Severity::kAlert: return "ALERT";
    case Severity::kEmergency: return "EMERGENCY";
  }
  return "DEFAULT";
}

std::optional<Severity> SeverityFromNumber(int64_t value) {
  if (value < 0) return std::nullopt;
  Severity best = Severity::kDefault;
  for (Severity s : kAllSeverities) {
    if (static_cast<int64_t>(s) <= value) best = s;
  }
  return best;
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(text[0]))) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    // Accept "500" and "500.0" (seen in tool outputs), nothing else.
    if (ec != std::errc()) return std::nullopt;
    std::string_view rest(ptr, text.data() + text.size() - ptr);
    if (!rest.empty() &&
        (rest[0] != '.' || rest.find_first_not_of('0', 1) != std::string_view::npos)) {
      return std::nullopt;
    }
    return SeverityFromNumber(v);
  }
  // The names as Cloud Logging writes them, first (this runs for every entry).
  for (Severity s : kAllSeverities) {
    if (SeverityName(s) == text) return s;
  }
  if (text.size() > 9) return std::nullopt;  // longer than any name
  char buf[9];
  for (size_t i = 0; i < text.size(); ++i) buf[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
  const std::string_view upper(buf, text.size());
  for (Severity s : kAllSeverities) {
    if (SeverityName(s) == upper) return s;
  }
  if (upper == "WARN") return Severity::kWarning;
  if (upper == "FATAL") return Severity::kCritical;
  return std::nullopt;
}

const std::string* FindLabel(const Labels& labels, std::string_view key) {
  for (const auto& kv : labels) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string LogId(std::string_view log_name) {
  std::string_view id = log_name;
  if (auto pos = log_name.find("/logs/"); pos != std::string_view::npos) {
    id = log_name.substr(pos + 6);
  }
  std::string out;
  out.reserve(id.size());
  for (size_t i = 0; i < id.size(); ++i) {
    if (id[i] == '%' && i + 2 < id.size()) {
      int hi = HexValue(id[i + 1]);
      int lo = HexValue(id[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += id[i];
  }
  return out;
}

std::string_view ServiceOf(const LogEntry& entry) {
  static constexpr std::string_view kKeys[] = {"service_name", "function_name", "job_name",
                                               "module_id", "container_name"};
  for (std::string_view key : kKeys) {
    if (const std::string* v = FindLabel(entry.resource_labels, key)) return *v;
  }
  return {};
}

}  // namespace lg
