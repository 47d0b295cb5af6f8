#include "triage/triage.h"

#include <fmt/format.h>

#include "mine/masker.h"

namespace lg {

namespace {

// How a placeholder reads inside a name: counts and sizes as "N", addresses
// as "IP", identifiers dropped (they make every name unique and say nothing).
std::string_view NameWordFor(std::string_view placeholder) {
  if (placeholder == "<NUM>" || placeholder == "<DURATION>" || placeholder == "<SIZE>") return "N";
  if (placeholder == "<IP>") return "IP";
  return "";
}

}  // namespace

std::string NameFromTemplate(std::string_view text, size_t max_chars) {
  std::string_view line = text.substr(0, text.find('\n'));
  // Tracebacks start with a useless line; the exception is at the end.
  if (line.starts_with("Traceback (most recent call last)")) {
    size_t last = text.find_last_of('\n');
    if (last != std::string_view::npos) line = text.substr(last + 1);
  }
  std::string out;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    std::string_view token = line.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty()) continue;
    // key=<VALUE> pairs are request details, not the problem.
    if (auto eq = token.find('='); eq != std::string_view::npos && token.find('<', eq) != std::string_view::npos) {
      continue;
    }
    std::string word;
    for (size_t i = 0; i < token.size();) {
      if (token[i] == '<') {
        size_t close = token.find('>', i);
        if (close != std::string_view::npos && IsPlaceholder(token.substr(i, close - i + 1))) {
          word += NameWordFor(token.substr(i, close - i + 1));
          i = close + 1;
          continue;
        }
      }
      word += token[i++];
    }
    // Drop what a removed identifier leaves behind: "()", "''", "/".
    if (word.empty() || word == "()" || word == "''" || word == "\"\"" || word == "/" || word == ":" ||
        word == "-") {
      continue;
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ':' || out.back() == '-' ||
                          out.back() == ',' || out.back() == '.')) {
    out.pop_back();
  }
  if (out.size() > max_chars) {
    size_t cut = out.rfind(' ', max_chars);
    if (cut == std::string::npos || cut < max_chars / 2) {
      cut = max_chars;
      while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    }
    out.resize(cut);
    while (!out.empty() && (out.back() == ' ' || out.back() == ':' || out.back() == ',')) out.pop_back();
  }
  return out.empty() ? "Unnamed log pattern" : out;
}

std::string MakeTitle(std::string_view category, int priority, std::string_view name) {
  std::string title = fmt::format("GCP-{}-P{}-{}", category, priority, name);
  if (title.size() > 256) {
    size_t cut = 256;
    while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
    title.resize(cut);
  }
  return title;
}

void TriageCluster(Cluster& c, const std::vector<Template>& templates,
                   const std::vector<TemplateStats>& stats, const TriageRules& rules) {
  const uint64_t errors = c.by_severity[SeverityIndex(Severity::kError)];
  if (c.max_severity >= Severity::kCritical) {
    const uint64_t critical = c.by_severity[SeverityIndex(Severity::kCritical)] +
                              c.by_severity[SeverityIndex(Severity::kAlert)] +
                              c.by_severity[SeverityIndex(Severity::kEmergency)];
    c.priority = 0;
    c.priority_reason = fmt::format("{} entries at CRITICAL or above", critical);
  } else if (c.max_severity >= Severity::kError) {
    c.priority = errors >= rules.error_p1_count ? 1 : 2;
    c.priority_reason = fmt::format("{} ERROR entries (P1 from {})", errors, rules.error_p1_count);
  } else {
    c.priority = c.count >= rules.warning_p2_count ? 2 : 3;
    c.priority_reason =
        fmt::format("warnings only, {} entries (P2 from {})", c.count, rules.warning_p2_count);
  }
  // Name from the most severe, then most frequent template.
  uint32_t lead = c.templates.front();
  for (uint32_t t : c.templates) {
    if (stats[t].max_severity > stats[lead].max_severity) lead = t;
  }
  c.name = NameFromTemplate(templates[lead].text, rules.max_name_chars);
  static constexpr std::string_view kImpact[] = {
      "Service down or failing for most users", "A major feature failing for users",
      "Degraded or partial service", "Cosmetic or configuration noise"};
  c.impact = std::string(kImpact[c.priority]);
  c.title = MakeTitle(c.category, c.priority, c.name);
}

}  // namespace lg
