#include "triage/triage.h"

#include <fmt/format.h>

#include "mine/grouper.h"
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

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

const std::string* FirstWordIn(const std::string& lower_text, const std::vector<std::string>& words) {
  for (const auto& w : words) {
    if (!w.empty() && lower_text.find(Lower(w)) != std::string::npos) return &w;
  }
  return nullptr;
}

uint64_t AtLeast(const Cluster& c, Severity s) {
  uint64_t n = 0;
  for (size_t i = 0; i < std::size(kAllSeverities); ++i) {
    if (kAllSeverities[i] >= s) n += c.by_severity[i];
  }
  return n;
}

// "TimeoutError: database initialization timed out in _initialize_database"
std::string NameFromStack(const StackSummary& st, size_t max_chars) {
  std::string type = st.exception_type;
  if (size_t dot = type.rfind('.'); dot != std::string::npos && st.language != "go") type = type.substr(dot + 1);
  std::string name = st.language == "go" ? "Go panic" : type;
  std::string msg = NameFromTemplate(MaskMessage(st.message, ServiceLogMaskOptions()), max_chars);
  if (!st.message.empty() && msg != "Unnamed log pattern") name += ": " + msg;
  if (!st.top_function.empty()) {
    std::string fn = st.top_function;
    if (size_t p = fn.find_last_of("./"); p != std::string::npos && st.language != "python") fn = fn.substr(p + 1);
    name += " in " + fn;
  }
  return NameFromTemplate(name, max_chars);
}

}  // namespace

void TriageCluster(Cluster& c, const std::vector<Template>& templates,
                   const std::vector<TemplateStats>& stats, const TriageRules& rules) {
  const uint64_t errors = AtLeast(c, Severity::kError);
  const uint64_t top = AtLeast(c, rules.p0_min_severity);
  // The main pattern: the most frequent template of the cluster.
  const uint32_t main = c.templates.front();
  const std::string main_lower = Lower(templates[main].text);
  std::string all_lower;
  for (uint32_t t : c.templates) all_lower += Lower(templates[t].text) + "\n";

  if (top > 0) {
    c.priority = 0;
    c.priority_reason = fmt::format("{} {} at {} or above", top, top == 1 ? "entry" : "entries",
                                    SeverityName(rules.p0_min_severity));
  } else if (rules.p0_crash_loop && c.crash_loop) {
    c.priority = 0;
    c.priority_reason = fmt::format("crash loop: {} instances never served a request and died", c.crashed_instances);
  } else if (c.failed_requests >= rules.p0_min_failed_requests &&
             c.failed_request_share >= rules.p0_failed_request_share) {
    c.priority = 0;
    c.priority_reason = fmt::format("{:.0f}% of the service's requests failed while it lasted ({} failed)",
                                    100 * c.failed_request_share, c.failed_requests);
  } else if (errors > 0) {
    const std::string* degraded = FirstWordIn(main_lower, rules.degraded_words);
    if (degraded) {
      c.priority = 2;
      c.priority_reason = fmt::format("{} errors, but the system copes (\"{}\" in the main pattern)", errors,
                                      *degraded);
    } else if (c.killed_instances >= rules.p1_min_killed_instances && rules.p1_min_killed_instances > 0) {
      c.priority = 1;
      c.priority_reason = fmt::format("{} instances killed by the platform", c.killed_instances);
    } else if (c.failed_requests >= rules.p1_min_failed_requests) {
      c.priority = 1;
      c.priority_reason = fmt::format("{} user request{} failed (P1 from {})", c.failed_requests,
                                      c.failed_requests == 1 ? "" : "s", rules.p1_min_failed_requests);
    } else if (errors >= rules.p1_min_errors) {
      c.priority = 1;
      c.priority_reason = fmt::format("{} ERROR entries (P1 from {})", errors, rules.p1_min_errors);
    } else {
      c.priority = 2;
      c.priority_reason = fmt::format("{} ERROR entr{}, {} (P1 from {} errors or {} failed request{})", errors,
                                      errors == 1 ? "y" : "ies",
                                      c.failed_requests == 0 ? "no failed requests"
                                                             : fmt::format("{} failed", c.failed_requests),
                                      rules.p1_min_errors, rules.p1_min_failed_requests,
                                      rules.p1_min_failed_requests == 1 ? "" : "s");
    }
  } else if (const std::string* cosmetic = FirstWordIn(main_lower, rules.cosmetic_words)) {
    c.priority = 3;
    c.priority_reason = fmt::format("warnings only, cosmetic (\"{}\" in the main pattern), {} entries", *cosmetic,
                                    c.count);
  } else if (const std::string* slow = FirstWordIn(all_lower, rules.slow_words)) {
    c.priority = 2;
    c.priority_reason = fmt::format("performance warnings (\"{}\"), {} entries", *slow, c.count);
  } else if (c.count >= rules.p2_min_warnings) {
    c.priority = 2;
    c.priority_reason = fmt::format("warnings only, {} entries (P2 from {})", c.count, rules.p2_min_warnings);
  } else {
    c.priority = 3;
    c.priority_reason = fmt::format("warnings only, {} entries (P2 from {})", c.count, rules.p2_min_warnings);
  }

  // Name: the dominant exception when there is a stack, else the most
  // severe (then most frequent) pattern; then what happened to the service.
  uint32_t lead = main;
  for (uint32_t t : c.templates) {
    if (stats[t].max_severity > stats[lead].max_severity && !templates[t].text.starts_with("GET ") &&
        !templates[t].text.starts_with("POST ")) {
      lead = t;
    }
  }
  std::string name = c.stack ? NameFromStack(*c.stack, rules.max_name_chars)
                             : NameFromTemplate(templates[lead].text, rules.max_name_chars);
  if (c.crash_loop) {
    name += fmt::format(" — crash loop ({} instances)", c.crashed_instances);
  } else if (c.killed_instances > 0) {
    name += fmt::format(" — {} instance{} killed", c.killed_instances, c.killed_instances == 1 ? "" : "s");
  } else if (c.failed_requests > 0) {
    name += fmt::format(" — {} failed request{}", c.failed_requests, c.failed_requests == 1 ? "" : "s");
  }
  if (c.after_deploy) name += " after deploy";
  c.name = name;
  if (c.after_deploy && c.category == "new") c.category = "regression";
  c.impact = c.priority < static_cast<int>(rules.impact.size()) ? rules.impact[c.priority] : "";
  if (!rules.service_impact.empty()) c.impact += (c.impact.empty() ? "" : " — ") + rules.service_impact;
  c.title = MakeTitle(c.category, c.priority, c.name);
}

}  // namespace lg
