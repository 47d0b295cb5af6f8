#include "triage/triage.h"

#include <fmt/format.h>

#include "mine/masker.h"

namespace lg {

std::string NameFromTemplate(std::string_view text, size_t max_chars) {
  std::string_view line = text.substr(0, text.find('\n'));
  // Tracebacks start with a useless line; the exception is at the end.
  if (line.starts_with("Traceback (most recent call last)")) {
    size_t last = text.find_last_of('\n');
    if (last != std::string_view::npos) line = text.substr(last + 1);
  }
  std::string out;
  size_t i = 0;
  bool pending_space = false;
  while (i < line.size()) {
    if (line[i] == '<') {
      size_t close = line.find('>', i);
      if (close != std::string_view::npos && IsPlaceholder(line.substr(i, close - i + 1))) {
        i = close + 1;
        pending_space = true;
        continue;
      }
    }
    char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      pending_space = true;
      ++i;
      continue;
    }
    // Drop punctuation left dangling by a removed placeholder ("= ", "()").
    if ((c == '=' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\'' || c == '"' ||
         c == ',' || c == '{' || c == '}') &&
        (i + 1 >= line.size() || line[i + 1] == ' ' || line[i + 1] == '<' || line[i + 1] == ')' ||
         line[i + 1] == ']' || line[i + 1] == '\'' || line[i + 1] == '"' || line[i + 1] == ',')) {
      ++i;
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty() && out.back() != ' ') out += ' ';
    pending_space = false;
    out += c;
    ++i;
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
