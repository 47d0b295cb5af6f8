#include "correlate/correlator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "correlate/words.h"

namespace lg {
namespace {

constexpr uint32_t kNone = 0xffffffffu;

bool AtLeastError(Severity s) { return s >= Severity::kError; }

// «first line of the template, shortened»
std::string Quote(const std::string& text) {
  std::string_view line = std::string_view(text).substr(0, text.find('\n'));
  std::string out = "«";
  if (line.size() > 60) {
    size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "…";
  } else {
    out.append(line);
  }
  out += "»";
  return out;
}

// Module-qualified exception classes a template names ("redis.exceptions.
// ConnectionError", "org.example.db.PoolExhaustedException"), without those
// of the language runtimes (java.io..., asyncio..., System...), which many
// unrelated problems raise.
std::vector<std::string> QualifiedExceptions(std::string_view text) {
  static constexpr std::string_view kRuntime[] = {
      "java.", "javax.", "jdk.", "sun.", "kotlin.", "kotlinx.", "scala.", "System.", "Microsoft.",
      "asyncio.", "builtins.", "concurrent.", "socket.", "ssl.", "http.", "urllib.", "json.", "os.",
      "exceptions.", "multiprocessing.", "subprocess."};
  std::vector<std::string> out;
  auto ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  size_t i = 0;
  while (i < text.size()) {
    if (!ident(text[i]) || (i > 0 && (ident(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '/'))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && (ident(text[end]) || (text[end] == '.' && end + 1 < text.size() && ident(text[end + 1])))) {
      ++end;
    }
    const std::string_view name = text.substr(i, end - i);
    i = end;
    const size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || !(name[0] >= 'a' && name[0] <= 'z')) continue;
    const std::string_view cls = name.substr(dot + 1);
    if (cls.empty() || !(cls[0] >= 'A' && cls[0] <= 'Z')) continue;
    if (!cls.ends_with("Error") && !cls.ends_with("Exception") && !cls.ends_with("Failure")) continue;
    if (std::any_of(std::begin(kRuntime), std::end(kRuntime), [&](std::string_view p) { return name.starts_with(p); })) {
      continue;
    }
    out.emplace_back(name);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The library an exception class comes from: its first package
// (`redis.exceptions.ConnectionError` → redis), two for reversed domains
// (`org.postgresql.util.PSQLException` → org.postgresql).
std::string LibraryOf(std::string_view qualified) {
  const size_t dot = qualified.find('.');
  const std::string_view first = qualified.substr(0, dot);
  if ((first == "org" || first == "com" || first == "io" || first == "net" || first == "dev") && dot != std::string_view::npos) {
    const size_t dot2 = qualified.find('.', dot + 1);
    if (dot2 != std::string_view::npos && qualified.find('.', dot2 + 1) != std::string_view::npos) {
      return std::string(qualified.substr(0, dot2));
    }
  }
  return std::string(first);
}

}  // namespace

// The messages of the exceptions a template raises: the rest of a line that
// opens with an exception class and a colon ("redis.exceptions.ConnectionError:
// Error <NUM> connecting to <IP>:<NUM>. Connection refused." ends a Python
// traceback; "Caused by: org.x.PoolException: ..." is Java's), when it is
// specific enough to be quoted by one problem only: at least `min_words`
// words of two or more letters and a value the masker replaced (an address,
// a number), not a runtime's stock phrase ("'NoneType' object is not
// iterable"). Trailing full stops are dropped: a log line quoting the
// message may end its own sentence differently.
std::vector<std::string> RaisedMessages(std::string_view text, size_t min_words) {
  std::vector<std::string> out;
  auto ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.starts_with("Caused by: ")) line.remove_prefix(11);
    size_t end = 0;
    while (end < line.size() && ident(line[end])) ++end;
    const std::string_view cls = line.substr(0, end);
    if (!(cls.ends_with("Error") || cls.ends_with("Exception") || cls.ends_with("Failure"))) continue;
    if (end + 2 > line.size() || line[end] != ':' || line[end + 1] != ' ') continue;
    std::string_view msg = line.substr(end + 2);
    while (!msg.empty() && (msg.back() == '.' || msg.back() == ' ' || msg.back() == '\r')) msg.remove_suffix(1);
    size_t words = 0, run = 0;
    for (char c : msg) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (letter) {
        ++run;
      } else {
        words += run >= 2 ? 1 : 0;
        run = 0;
      }
    }
    words += run >= 2 ? 1 : 0;
    if (words >= min_words && msg.find('<') != std::string_view::npos) {
      out.emplace_back(msg);
    } else if (words >= 1 && cls.find('.') == std::string_view::npos) {
      // Too common alone, but specific with its class: "KeyError: 'theme'".
      out.emplace_back(line.substr(0, end + 2 + msg.size()));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The name of the circuit breaker a template reports ("Circuit breaker
// 'llm_openai' OPEN after 5 consecutive failures", resilience4j's
// "CircuitBreaker 'backendA' changed state from CLOSED to OPEN"): the quoted
// or bracketed word after "breaker", else the identifier after it; empty
// when the template names no breaker.
std::string BreakerName(std::string_view text) {
  std::string lower(text.substr(0, 400));
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == ':'; };
  // "breaker" as a word followed by a space: not a class's package
  // (`resilience4j.circuitbreaker.CallNotPermittedException`).
  for (size_t at = lower.find("breaker "); at != std::string::npos; at = lower.find("breaker ", at + 1)) {
    size_t i = at + 7;
    while (i < lower.size() && lower[i] == ' ') ++i;
    if (i >= lower.size()) return {};
    const char open = lower[i];
    const char close = open == '\'' ? '\'' : open == '"' ? '"' : open == '[' ? ']' : open == '(' ? ')' : 0;
    if (close) ++i;
    const size_t start = i;
    while (i < lower.size() && part(lower[i])) ++i;
    size_t end = i;
    if (close) {
      if (end == start || i >= lower.size() || lower[i] != close) continue;
    } else {
      while (end > start && (lower[end - 1] == '.' || lower[end - 1] == ':' || lower[end - 1] == '-')) --end;
      if (end == start) continue;
      // "Circuit breaker OPEN …" / "breaker is open": a state, not a name.
      static constexpr std::string_view kStates[] = {"open", "opened", "is", "closed", "half-open",
                                                     "tripped", "for", "state", "has", "was"};
      const std::string_view word = std::string_view(lower).substr(start, end - start);
      if (std::find(std::begin(kStates), std::end(kStates), word) != std::end(kStates)) return {};
    }
    return std::string(text.substr(start, end - start));
  }
  return {};
}

namespace {

// Union-find over templates; every merge keeps its reason.
class Groups {
 public:
  explicit Groups(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  bool Union(uint32_t a, uint32_t b, std::string why) {
    uint32_t ra = Find(a), rb = Find(b);
    if (ra == rb) return false;
    if (rb < ra) std::swap(ra, rb);
    parent_[rb] = ra;  // the smaller index is the root: stable whatever the order of merges
    notes_.push_back({a, std::move(why)});
    return true;
  }
  const std::vector<std::pair<uint32_t, std::string>>& notes() const { return notes_; }

 private:
  std::vector<uint32_t> parent_;
  std::vector<std::pair<uint32_t, std::string>> notes_;
};

// Sorted times, and how much of the window their ±w intervals cover.
struct Times {
  std::vector<double> t;
  double Cover(double w, double window) const {
    double total = 0, end = -1e300;
    for (double x : t) {
      const double a = x - w, b = x + w;
      total += a > end ? b - a : std::max(0.0, b - end);
      end = std::max(end, b);
    }
    return std::min(1.0, total / window);
  }
  // Share of `t` with an element of `other` within ±w.
  double Hit(const Times& other, double w) const {
    if (t.empty()) return 0;
    // Both sorted, so the first element of `other` not below x - w only moves
    // forward: a merge walk, or binary searches over the rest when `other`
    // is far longer than `t` (the same element found either way).
    const auto end = other.t.end();
    auto it = other.t.begin();
    const bool search = t.size() * 16 < other.t.size();
    size_t h = 0;
    for (double x : t) {
      const double lo = x - w;
      if (search) {
        it = std::lower_bound(it, end, lo);
      } else {
        while (it != end && *it < lo) ++it;
      }
      if (it != end && *it <= x + w) ++h;
    }
    return static_cast<double>(h) / static_cast<double>(t.size());
  }
};

struct TemplateInfo {
  std::vector<uint32_t> entries;
  Severity max_severity = Severity::kDefault;
  size_t requests = 0;
  bool platform = false;
  double first = 1e300, last = -1e300;
  uint32_t logger = 0;  // main logger, if it wrote at least logger_share of the entries
  size_t traced = 0;    // entries with a trace
  bool request() const { return requests * 2 > entries.size(); }
};

class Correlator {
 public:
  Correlator(const CorrelationInput& in, const CorrelationOptions& o)
      : in_(in), o_(o), groups_(in.template_texts.size()), info_(in.template_texts.size()) {}

  CorrelationResult Run() {
    Index();
    Stacks();
    NamedExceptions();
    QuotedErrors();
    Trace();
    Client();
    Content();
    Logger();
    CrashLoop();
    CrashOnset();
    // Before the timing evidence, which would tie a breaker to whatever else
    // failed in the same minutes.
    Breakers();
    Timing();
    Deaths();
    // Before the deploy evidence: a component's warning first seen after a
    // deploy is the component's, not what the deploy broke.
    if (o_.component_tags) ComponentTags();
    if (o_.library_warnings) LibraryWarnings();
    if (o_.warning_categories) WarningCategories();
    Deploy();
    ClusterTiming();
    Episodes();
    Bursts();
    ClusterContent();
    NamedExceptionGroups();
    StrayGroups();
    return Assign();
  }

 private:
  const std::string& T(uint32_t t) const { return in_.template_texts[t]; }
  bool Startup(const EntryFacts& e) const {
    return e.instance != 0 && e.instance < in_.instances.size() &&
           e.t - in_.instances[e.instance].first < o_.startup_s;
  }

  void Index() {
    exceptions_.assign(info_.size(), {});
    libraries_.assign(info_.size(), {});
    for (uint32_t t = 0; t < in_.template_texts.size(); ++t) {
      exceptions_[t] = QualifiedExceptions(T(t));
      for (const std::string& name : exceptions_[t]) libraries_[t].push_back(LibraryOf(name));
    }
    std::vector<std::map<uint32_t, size_t>> loggers(info_.size());
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      TemplateInfo& ti = info_[e.tmpl];
      ti.entries.push_back(i);
      ti.max_severity = std::max(ti.max_severity, e.severity);
      ti.requests += e.request ? 1 : 0;
      ti.platform |= e.platform;
      ti.traced += e.trace != 0 ? 1 : 0;
      ti.first = std::min(ti.first, e.t);
      ti.last = std::max(ti.last, e.t);
      if (e.logger) ++loggers[e.tmpl][e.logger];
    }
    for (size_t t = 0; t < info_.size(); ++t) {
      for (const auto& [logger, n] : loggers[t]) {
        if (static_cast<double>(n) >= o_.logger_share * static_cast<double>(info_[t].entries.size())) {
          info_[t].logger = logger;
        }
      }
    }
  }

  // 0. The same stack fingerprint, or the same Error Reporting group.
  void Stacks() {
    std::map<uint64_t, uint32_t> by_stack;
    std::map<std::string, uint32_t> by_group;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty()) continue;
      if (t < in_.template_stacks.size() && in_.template_stacks[t] != 0) {
        auto [it, inserted] = by_stack.try_emplace(in_.template_stacks[t], t);
        if (!inserted) {
          groups_.Union(it->second, t, fmt::format("stack: {} and {} carry the same exception and in-app frames",
                                                   Quote(T(it->second)), Quote(T(t))));
        }
      }
      if (t < in_.template_error_groups.size()) {
        for (const auto& g : in_.template_error_groups[t]) {
          auto [it, inserted] = by_group.try_emplace(g, t);
          if (!inserted) {
            groups_.Union(it->second, t, fmt::format("error group: {} and {} belong to Error Reporting group {}",
                                                     Quote(T(it->second)), Quote(T(t)), g));
          }
        }
      }
    }
  }

  // Each group's first and last time, over its app (not request) templates.
  std::map<uint32_t, std::pair<double, double>> AppGroupSpans() {
    std::map<uint32_t, std::pair<double, double>> span;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      auto [it, inserted] = span.try_emplace(groups_.Find(t), info_[t].first, info_[t].last);
      if (!inserted) {
        it->second.first = std::min(it->second.first, info_[t].first);
        it->second.second = std::max(it->second.second, info_[t].last);
      }
    }
    return span;
  }

  // The app templates naming each module-qualified exception class.
  std::map<std::string, std::vector<uint32_t>> TemplatesByException() const {
    std::map<std::string, std::vector<uint32_t>> by_name;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      for (const auto& n : exceptions_[t]) by_name[n].push_back(t);
    }
    return by_name;
  }

  // 0b. Name the same library or application exception class while both
  // are being logged: a fallback's warning naming the exception whose
  // traceback the failing client logs.
  void NamedExceptions() {
    for (const auto& [name, ts] : TemplatesByException()) {
      for (size_t k = 1; k < ts.size(); ++k) {
        const TemplateInfo& a = info_[ts[0]];
        const TemplateInfo& b = info_[ts[k]];
        if (!Overlap(a.first, a.last, b.first, b.last)) continue;
        groups_.Union(ts[0], ts[k], fmt::format("exception: {} and {} both name {} while both are logged",
                                                Quote(T(ts[0])), Quote(T(ts[k])), name));
      }
    }
  }

  // 0c. A log line quoting the message of the exception another template
  // raises, while both are logged: `logger.error(f"Redis operation failed:
  // {e}")` beside the traceback that raised `e`, a readiness probe reporting
  // the same error.
  void QuotedErrors() {
    if (o_.quoted_error_words == 0) return;
    std::map<std::string, std::vector<uint32_t>> raisers;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      for (auto& m : RaisedMessages(T(t), o_.quoted_error_words)) raisers[std::move(m)].push_back(t);
    }
    if (raisers.empty()) return;
    // Only templates holding a message's longest word can quote it: each
    // message is looked for in those alone (an index of the words the
    // messages use), not in every template of the pass.
    auto words_of = [](std::string_view text, auto&& fn) {
      size_t i = 0;
      while (i < text.size()) {
        if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
        fn(text.substr(i, j - i));
        i = j;
      }
    };
    std::unordered_map<std::string_view, std::vector<uint32_t>> holders;  // key word → templates
    std::vector<std::pair<std::string_view, const std::pair<const std::string, std::vector<uint32_t>>*>> keyed;
    for (const auto& entry : raisers) {
      // A word at either end may be part of a longer word where quoted
      // ("MyError: …"): an inner one when there is one.
      const std::string& m = entry.first;
      std::string_view key, edge;
      words_of(m, [&](std::string_view w) {
        const bool inner = w.data() != m.data() && w.data() + w.size() != m.data() + m.size();
        std::string_view& k = inner ? key : edge;
        if (w.size() > k.size()) k = w;
      });
      if (key.empty()) key = edge;
      holders.try_emplace(key);
      keyed.emplace_back(key, &entry);
    }
    for (uint32_t u = 0; u < info_.size(); ++u) {
      if (info_[u].entries.empty() || info_[u].request()) continue;
      words_of(T(u), [&](std::string_view w) {
        auto it = holders.find(w);
        if (it != holders.end() && (it->second.empty() || it->second.back() != u)) it->second.push_back(u);
      });
    }
    for (const auto& [key, entry] : keyed) {
      const auto& [msg, ts] = *entry;
      for (uint32_t u : holders[key]) {
        if (T(u).find(msg) == std::string::npos) continue;
        // Two templates raising the same error are alike, not one quoting
        // the other: their frames (the stack evidence) tell them apart.
        if (std::find(ts.begin(), ts.end(), u) != ts.end()) continue;
        for (uint32_t t : ts) {
          if (!Overlap(info_[t].first, info_[t].last, info_[u].first, info_[u].last)) continue;
          groups_.Union(t, u, fmt::format("quoted error: {} quotes the error {} raises ({})", Quote(T(u)),
                                          Quote(T(t)), Quote(msg)));
        }
      }
    }
  }

  // 11b. The same, between whole groups: a one-off warning naming the
  // exception (a fallback engaging at the outage's first failure) joins the
  // group whose tracebacks raise it, when the groups' spans overlap though
  // the two templates' own do not.
  void NamedExceptionGroups() {
    const auto by_name = TemplatesByException();
    if (by_name.empty()) return;
    auto span = AppGroupSpans();
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (const auto& [name, ts] : by_name) {
      for (size_t k = 1; k < ts.size(); ++k) {
        const uint32_t a = groups_.Find(ts[0]), b = groups_.Find(ts[k]);
        if (a == b) continue;
        const auto& sa = span[a];
        const auto& sb = span[b];
        if (!Overlap(sa.first, sa.second, sb.first, sb.second)) continue;
        links.emplace_back(ts[0], ts[k],
                           fmt::format("exception: {} and {} both name {} while their groups are logged",
                                       Quote(T(ts[0])), Quote(T(ts[k])), name));
      }
    }
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  // 11c. A small group whose entries nearly all come soon before or after
  // another group's on the same instance, far more often than chance, and
  // near no third group as often: a circuit breaker opening after an
  // instance's failures, a fallback engaging at its first error.
  void StrayGroups() {
    // The candidates first: small groups, mostly logged after start-up.
    std::vector<uint32_t> root(in_.entries.size());
    std::unordered_map<uint32_t, size_t> size;
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      root[i] = groups_.Find(in_.entries[i].tmpl);
      ++size[root[i]];
    }
    std::map<uint32_t, std::vector<uint32_t>> app;  // candidate root → its app entries
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      if (!in_.entries[i].request && size[root[i]] <= o_.stray_max_entries) app[root[i]].push_back(i);
    }
    std::erase_if(app, [&](const auto& kv) {
      // Start-up lines time themselves by boots, as every new instance logs them.
      const auto& idx = kv.second;
      const size_t startup = static_cast<size_t>(
          std::count_if(idx.begin(), idx.end(), [&](uint32_t i) { return Startup(in_.entries[i]); }));
      return startup * 2 >= idx.size();
    });
    if (app.empty()) return;
    // Every group's times on the instances the candidates were logged on
    // (on all, for a candidate entry with no instance).
    std::set<uint32_t> wanted;
    for (const auto& [r, idx] : app) {
      for (uint32_t i : idx) wanted.insert(in_.entries[i].instance == 0 ? kAllInstances : in_.entries[i].instance);
    }
    const bool all = wanted.count(kAllInstances) > 0;
    std::map<uint32_t, std::map<uint32_t, std::vector<double>>> times;  // root → instance → times
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      const bool on = wanted.count(e.instance) > 0;
      if (!on && !all) continue;
      auto& m = times[root[i]];
      if (on) m[e.instance].push_back(e.t);
      if (all) m[kAllInstances].push_back(e.t);
    }
    for (auto& [r, m] : times) {
      for (auto& [inst, v] : m) std::sort(v.begin(), v.end());
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (const auto& [r, idx] : app) {
      // Of the groups near nearly all its entries, the one most above chance,
      // clearly ahead of the next: a dense group is near everything, and
      // its hits say nothing.
      double best_hit = 0, best_lift = 0, second_lift = 0;
      uint32_t best = kNone;
      for (const auto& [g, by_inst] : times) {
        if (g == r) continue;
        size_t hit = 0;
        double chance = 0;
        for (uint32_t i : idx) {
          const EntryFacts& e = in_.entries[i];
          auto it = by_inst.find(e.instance == 0 ? kAllInstances : e.instance);
          if (it == by_inst.end()) continue;
          auto lo = std::lower_bound(it->second.begin(), it->second.end(), e.t - o_.stray_window_s);
          if (lo != it->second.end() && *lo <= e.t + o_.stray_window_s) ++hit;
          chance += CoverOnInstance(by_inst, e.instance, o_.stray_window_s);
        }
        const double n = static_cast<double>(idx.size());
        const double h = static_cast<double>(hit) / n;
        if (h < o_.stray_hit) continue;
        const double lift = h / std::max(chance / n, 1e-9);
        if (lift > best_lift) {
          second_lift = best_lift;
          best_hit = h;
          best_lift = lift;
          best = g;
        } else {
          second_lift = std::max(second_lift, lift);
        }
      }
      if (best == kNone || best_lift < o_.stray_lift || best_lift < o_.stray_ahead * second_lift) continue;
      const uint32_t a = in_.entries[idx.front()].tmpl;
      const std::string next = second_lift > 0 ? fmt::format("{:.1f}x the next group's", best_lift / second_lift)
                                               : std::string("near no other group as often");
      links.emplace_back(best, a,
                         fmt::format("instance: {:.0f}% of the {} entries of {} come within {:.0f} s of the group of "
                                     "{} on the same instance ({:.0f}x chance, {})",
                                     100 * best_hit, idx.size(), Quote(T(a)), o_.stray_window_s, Quote(T(best)),
                                     best_lift, next));
    }
    for (auto& [a, b, why] : links) {
      if (!DifferentLibraries(a, b)) groups_.Union(a, b, std::move(why));
    }
  }

  // 6d. A circuit breaker named after what it guards ('llm_openai',
  // 'redis-cache') joins the one group, logged while it is, whose words
  // include more of the name's than any other group's: the failures that
  // opened it. A breaker's group of its own would be a second issue about
  // the same outage. Only a breaker that nothing has placed yet.
  void Breakers() {
    if (!o_.breaker_names) return;
    auto span = AppGroupSpans();
    std::map<uint32_t, std::set<std::string>> words;  // root → its app templates' words
    std::vector<std::pair<uint32_t, std::vector<std::string>>> breakers;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      const uint32_t r = groups_.Find(t);
      const std::string name = BreakerName(T(t));
      if (!name.empty()) {
        std::vector<std::string> w = ContentWords(name);
        if (!w.empty()) breakers.emplace_back(t, std::move(w));
        continue;  // a breaker's own words name what it guards, not its failures
      }
      for (auto& w : ContentWords(T(t))) words[r].insert(std::move(w));
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (const auto& [b, name] : breakers) {
      const uint32_t rb = groups_.Find(b);
      // Already with other lines (by its timing, say): joining a second group
      // would glue two problems together through it.
      if (words.count(rb)) continue;
      size_t best_n = 0, second_n = 0;
      uint32_t best = kNone;
      for (const auto& [r, ws] : words) {
        if (r == rb || info_[r].max_severity < Severity::kWarning) continue;
        const auto& sp = span[r];
        if (!Overlap(sp.first, sp.second, info_[b].first, info_[b].last)) continue;
        size_t n = 0;
        for (const auto& w : name) n += ws.count(w);
        if (n > best_n) {
          second_n = best_n;
          best_n = n;
          best = r;
        } else {
          second_n = std::max(second_n, n);
        }
      }
      if (best == kNone || best_n == second_n) continue;
      links.emplace_back(best, b, fmt::format("breaker: {} is named after what {} is about ({} of its words)",
                                              Quote(T(b)), Quote(T(best)), best_n));
    }
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  // 1. App templates logged in the same request traces, both ways.
  void Trace() {
    // (trace, template) of every traced entry, sorted and unique: each
    // trace's templates, in one flat array (a map of vectors costs an
    // allocation per trace, and there can be hundreds of thousands).
    std::vector<std::pair<uint32_t, uint32_t>> trace_tmpl;
    uint32_t max_trace = 0;
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      if (e.trace == 0) continue;
      trace_tmpl.emplace_back(e.trace, e.tmpl);
      max_trace = std::max(max_trace, e.trace);
    }
    std::sort(trace_tmpl.begin(), trace_tmpl.end());
    trace_tmpl.erase(std::unique(trace_tmpl.begin(), trace_tmpl.end()), trace_tmpl.end());
    // The app entries of each trace, in entry order: app_entries_[app_begin_[t] .. app_begin_[t + 1]).
    app_begin_.assign(static_cast<size_t>(max_trace) + 2, 0);
    for (const EntryFacts& e : in_.entries) {
      if (e.trace != 0 && !e.request) ++app_begin_[e.trace + 1];
    }
    for (size_t t = 1; t < app_begin_.size(); ++t) app_begin_[t] += app_begin_[t - 1];
    app_entries_.resize(app_begin_.back());
    {
      std::vector<uint32_t> next(app_begin_.begin(), app_begin_.end() - 1);
      for (uint32_t i = 0; i < in_.entries.size(); ++i) {
        const EntryFacts& e = in_.entries[i];
        if (e.trace != 0 && !e.request) app_entries_[next[e.trace]++] = i;
      }
    }
    std::vector<size_t> traces_of(info_.size(), 0);
    std::map<std::pair<uint32_t, uint32_t>, size_t> pairs;
    std::vector<uint32_t> ts;
    for (size_t k = 0; k < trace_tmpl.size();) {
      ts.clear();
      const uint32_t trace = trace_tmpl[k].first;
      for (; k < trace_tmpl.size() && trace_tmpl[k].first == trace; ++k) ts.push_back(trace_tmpl[k].second);
      for (uint32_t t : ts) ++traces_of[t];
      for (size_t a = 0; a < ts.size(); ++a) {
        for (size_t b = 0; b < ts.size(); ++b) {
          if (a != b) ++pairs[{ts[a], ts[b]}];
        }
      }
    }
    trace_pairs_ = pairs;
    for (const auto& [ab, c] : pairs) {
      const auto [a, b] = ab;
      if (a > b || c < 2 || info_[a].request() || info_[b].request()) continue;
      const double fa = static_cast<double>(c) / static_cast<double>(traces_of[a]);
      const double fb = static_cast<double>(c) / static_cast<double>(traces_of[b]);
      if (std::max(fa, fb) >= o_.trace_share && std::min(fa, fb) >= o_.trace_back) {
        groups_.Union(a, b, fmt::format("trace: {} and {} were logged in the same {} request traces", Quote(T(a)),
                                        Quote(T(b)), c));
      }
    }
  }

  // 2. 4xx answers to the same client with the same status.
  void Client() {
    std::map<std::pair<uint32_t, int>, uint32_t> first;
    for (const EntryFacts& e : in_.entries) {
      if (!e.request || e.client == 0 || e.status < 400 || e.status >= 500) continue;
      auto [it, inserted] = first.try_emplace({e.client, e.status}, e.tmpl);
      if (!inserted && it->second != e.tmpl) {
        groups_.Union(it->second, e.tmpl,
                      fmt::format("client: {} and {} are {} answers to the same client address",
                                  Quote(T(it->second)), Quote(T(e.tmpl)), e.status));
      }
    }
  }

  bool Overlap(double a0, double a1, double b0, double b1) const {
    return a0 <= b1 + o_.overlap_slack_s && b0 <= a1 + o_.overlap_slack_s;
  }

  // TF-IDF cosine between word sets; `docs` indexed like `ids`.
  template <typename OnPair>
  void CosinePairs(const std::vector<uint32_t>& ids, const std::vector<std::vector<std::string>>& docs,
                   OnPair on_pair) {
    std::unordered_map<std::string, size_t> df;
    for (const auto& d : docs) {
      for (const auto& w : d) ++df[w];
    }
    const double n = static_cast<double>(docs.size());
    auto idf = [&](const std::string& w) { return std::log((n + 1) / (static_cast<double>(df[w]) + 0.5)); };
    std::vector<double> norm(docs.size());
    for (size_t i = 0; i < docs.size(); ++i) {
      double s = 0;
      for (const auto& w : docs[i]) s += idf(w) * idf(w);
      norm[i] = s > 0 ? std::sqrt(s) : 1;
    }
    for (size_t i = 0; i < docs.size(); ++i) {
      for (size_t j = i + 1; j < docs.size(); ++j) {
        double dot = 0;
        std::vector<std::string> common;
        std::set_intersection(docs[i].begin(), docs[i].end(), docs[j].begin(), docs[j].end(),
                              std::back_inserter(common));
        if (common.empty()) continue;
        for (const auto& w : common) dot += idf(w) * idf(w);
        on_pair(ids[i], ids[j], dot / (norm[i] * norm[j]), common);
      }
    }
  }

  static std::string Joined(const std::vector<std::string>& words) {
    std::string s;
    for (size_t i = 0; i < words.size() && i < 4; ++i) s += (i ? ", " : "") + words[i];
    return s;
  }

  // 3. The same distinctive words, at overlapping times.
  void Content() {
    std::vector<uint32_t> ids;
    std::vector<std::vector<std::string>> docs;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      ids.push_back(t);
      docs.push_back(ContentWords(T(t)));
    }
    CosinePairs(ids, docs, [&](uint32_t a, uint32_t b, double cos, const std::vector<std::string>& common) {
      if (cos >= o_.content_cosine && Overlap(info_[a].first, info_[a].last, info_[b].first, info_[b].last)) {
        groups_.Union(a, b, fmt::format("content: {} and {} share the words {} (cosine {:.2f})", Quote(T(a)),
                                        Quote(T(b)), Joined(common), cos));
      }
    });
  }

  // 4. Written by the same named logger.
  void Logger() {
    std::map<uint32_t, std::vector<uint32_t>> by_logger;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].logger != 0 && !info_[t].request()) by_logger[info_[t].logger].push_back(t);
    }
    for (const auto& [logger, ts] : by_logger) {
      for (size_t i = 0; i < ts.size(); ++i) {
        for (size_t j = i + 1; j < ts.size(); ++j) {
          // A logger may write about several problems: its templates must
          // also turn up together (same instance, close in time).
          const double h = CoHitSmaller(ts[i], ts[j], o_.logger_cooccur_s);
          // ... more often than chance: a storm filling its instances' whole
          // lives is "near" anything else they log.
          if (h >= o_.logger_cooccur_hit && h >= o_.logger_lift * ChanceSmaller(ts[i], ts[j], o_.logger_cooccur_s)) {
            groups_.Union(ts[i], ts[j], fmt::format("logger: {} and {} are written by the same logger `{}` and "
                                                    "{:.0f}% of the time within {:.0f} s on one instance",
                                                    Quote(T(ts[i])), Quote(T(ts[j])), in_.logger_names[logger],
                                                    100 * h, o_.logger_cooccur_s));
          }
        }
      }
    }
  }

  // Share of the smaller template's entries with an entry of the other within
  // ±w seconds on the same instance (any instance when it has none).
  double CoHitSmaller(uint32_t a, uint32_t b, double w) {
    if (info_[a].entries.size() > info_[b].entries.size()) std::swap(a, b);
    if (info_[a].entries.empty()) return 0;
    const auto& ib = ByInstance(b);
    size_t hit = 0;
    for (uint32_t i : info_[a].entries) {
      const EntryFacts& e = in_.entries[i];
      auto it = ib.find(e.instance);
      const std::vector<double>* arr = it == ib.end() ? nullptr : &it->second;
      if (e.instance == 0) arr = &ib.at(kAllInstances);
      if (!arr) continue;
      auto lo = std::lower_bound(arr->begin(), arr->end(), e.t - w);
      if (lo != arr->end() && *lo <= e.t + w) ++hit;
    }
    return static_cast<double>(hit) / static_cast<double>(info_[a].entries.size());
  }

  // What CoHitSmaller would be by chance: the mean, over the smaller
  // template's entries, of the share of their instance's life within ±w of
  // the larger one's entries.
  double ChanceSmaller(uint32_t a, uint32_t b, double w) {
    if (info_[a].entries.size() > info_[b].entries.size()) std::swap(a, b);
    if (info_[a].entries.empty()) return 0;
    const auto& ib = ByInstance(b);
    std::map<uint32_t, double> cover;
    double sum = 0;
    for (uint32_t i : info_[a].entries) {
      const uint32_t inst = in_.entries[i].instance;
      auto [it, inserted] = cover.try_emplace(inst, 0.0);
      if (inserted) it->second = CoverOnInstance(ib, inst, w);
      sum += it->second;
    }
    return sum / static_cast<double>(info_[a].entries.size());
  }

  // Share of an instance's life (the window for entries with no instance)
  // within ±w of a template's entries there, from ByInstance().
  double CoverOnInstance(const std::map<uint32_t, std::vector<double>>& by_instance, uint32_t inst, double w) const {
    auto times = by_instance.find(inst == 0 ? kAllInstances : inst);
    if (times == by_instance.end()) return 0;
    double lo = times->second.front(), hi = lo + o_.window_s;
    if (inst != 0 && inst < in_.instances.size()) {
      lo = in_.instances[inst].first;
      hi = in_.instances[inst].last;
    }
    double total = 0, end = lo;
    for (double x : times->second) {
      const double s0 = std::max({lo, x - w, end}), s1 = std::min(hi, x + w);
      if (s1 > s0) total += s1 - s0;
      end = std::max(end, s1);
    }
    return std::min(1.0, total / std::max(hi - lo, 2 * w));
  }

  static constexpr uint32_t kAllInstances = 0xfffffffeu;
  const std::map<uint32_t, std::vector<double>>& ByInstance(uint32_t t) {
    auto [it, inserted] = by_instance_.try_emplace(t);
    if (inserted) {
      auto& m = it->second;
      for (uint32_t i : info_[t].entries) {
        const EntryFacts& e = in_.entries[i];
        m[e.instance].push_back(e.t);
        m[kAllInstances].push_back(e.t);
      }
      for (auto& [k, v] : m) std::sort(v.begin(), v.end());
    }
    return it->second;
  }

  // Counter-evidence for timing: both are logged while serving requests
  // (mostly traced) and never in the same one: independent per-request
  // problems that merely share the traffic.
  bool SeparateRequests(uint32_t a, uint32_t b) const {
    if (!Traced(a) || !Traced(b)) return false;
    return trace_pairs_.find({a, b}) == trace_pairs_.end();
  }
  bool Traced(uint32_t t) const { return info_[t].traced * 2 > info_[t].entries.size(); }

  bool InCrashLoop(uint32_t t) { return crash_template_ != kNone && groups_.Find(t) == groups_.Find(crash_template_); }
  // The group of a platform kill (a memory limit's): its instances' last
  // seconds say what is its, and an outage timed by the instances' deaths
  // lands near whatever else is logged at that pace.
  bool InKill(uint32_t t) {
    const uint32_t r = groups_.Find(t);
    for (const auto& [k, n] : killed_by_template_) {
      if (groups_.Find(k) == r) return true;
    }
    return false;
  }

  // The top-level packages of the library exceptions a group names
  // (`redis`, `anthropic`, `org.postgresql`), sorted.
  std::vector<std::string> GroupLibraries(uint32_t root) {
    std::vector<std::string> out;
    for (uint32_t t = 0; t < libraries_.size(); ++t) {
      if (!libraries_[t].empty() && groups_.Find(t) == root) out.insert(out.end(), libraries_[t].begin(), libraries_[t].end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // Counter-evidence for co-occurrence (timing, episodes, a deploy): both
  // groups raise library exceptions, and no library in common — Redis
  // refusing connections and the LLM provider's rate limit, failing in the
  // same minutes, are two outages.
  bool DifferentLibraries(uint32_t a, uint32_t b) {
    if (!o_.library_veto) return false;
    const uint32_t ra = groups_.Find(a), rb = groups_.Find(b);
    if (ra == rb) return false;
    const auto la = GroupLibraries(ra);
    if (la.empty()) return false;
    const auto lb = GroupLibraries(rb);
    if (lb.empty()) return false;
    std::vector<std::string> common;
    std::set_intersection(la.begin(), la.end(), lb.begin(), lb.end(), std::back_inserter(common));
    return common.empty();
  }

  // 6c. Fire together outside start-up, far more often than chance. Not with
  // a crash loop's templates: its onset sets off errors everywhere at once,
  // and its own evidence (instances, onset) already says what is its.
  void Timing() {
    std::vector<Times> times(info_.size());
    for (const EntryFacts& e : in_.entries) {
      if (!e.request && !Startup(e)) times[e.tmpl].t.push_back(e.t);
    }
    std::vector<uint32_t> ts;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      std::sort(times[t].t.begin(), times[t].t.end());
      if (times[t].t.size() >= o_.timing_min_entries) ts.push_back(t);
    }
    const double w = o_.timing_window_s;
    std::vector<double> cover(info_.size());
    for (uint32_t t : ts) cover[t] = times[t].Cover(w, o_.window_s);
    for (size_t i = 0; i < ts.size(); ++i) {
      for (size_t j = i + 1; j < ts.size(); ++j) {
        const uint32_t a = ts[i], b = ts[j];
        if (SeparateRequests(a, b)) continue;
        if (InCrashLoop(a) || InCrashLoop(b)) continue;
        const double hab = times[a].Hit(times[b], w), hba = times[b].Hit(times[a], w);
        const double lift = std::max(hab / std::max(cover[b], 1e-9), hba / std::max(cover[a], 1e-9));
        if (std::max(hab, hba) >= o_.timing_hit && std::min(hab, hba) >= o_.timing_hit_back &&
            lift >= o_.timing_lift && !DifferentLibraries(a, b)) {
          groups_.Union(a, b, fmt::format("timing: {} and {} fire within {:.0f} s of each other ({:.0f}% / "
                                          "{:.0f}%, {:.0f}x chance)",
                                          Quote(T(a)), Quote(T(b)), w, 100 * hab, 100 * hba, lift));
        }
      }
    }
  }

  // 6. Errors found only on instances that never served and died young (and
  // never at the boot of one that served).
  void CrashLoop() {
    std::vector<Severity> worst(in_.instances.size(), Severity::kDefault);
    for (const EntryFacts& e : in_.entries) {
      if (e.instance && e.instance < worst.size()) worst[e.instance] = std::max(worst[e.instance], e.severity);
    }
    failing_.assign(in_.instances.size(), false);
    for (uint32_t i = 1; i < in_.instances.size(); ++i) {
      const InstanceFacts& f = in_.instances[i];
      failing_[i] = f.ok_requests == 0 && AtLeastError(worst[i]) && f.last - f.first < o_.crash_max_life_s;
    }
    std::vector<size_t> on_failing(info_.size(), 0), with_instance(info_.size(), 0), survived(info_.size(), 0);
    std::vector<std::vector<uint32_t>> failing_instances(info_.size());
    for (const EntryFacts& e : in_.entries) {
      const TemplateInfo& ti = info_[e.tmpl];
      if (e.instance == 0 || e.request || !(AtLeastError(ti.max_severity) || ti.platform)) continue;
      ++with_instance[e.tmpl];
      // Logged at the boot of an instance that went on to serve: the line
      // does not make instances die (a new revision's config warning that
      // every instance logs, the dying ones included).
      if (!failing_[e.instance] && Startup(e) && in_.instances[e.instance].ok_requests > 0) ++survived[e.tmpl];
      if (failing_[e.instance]) {
        ++on_failing[e.tmpl];
        failing_instances[e.tmpl].push_back(e.instance);
      }
    }
    std::vector<uint32_t> chain;
    std::vector<uint32_t> all_failing;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      auto& fi = failing_instances[t];
      std::sort(fi.begin(), fi.end());
      fi.erase(std::unique(fi.begin(), fi.end()), fi.end());
      if (with_instance[t] > 0 &&
          static_cast<double>(on_failing[t]) >= o_.crash_share * static_cast<double>(with_instance[t]) &&
          fi.size() >= 2 && survived[t] == 0) {
        chain.push_back(t);
        all_failing.insert(all_failing.end(), fi.begin(), fi.end());
      }
    }
    if (chain.empty()) return;
    // A line logged once, on one of the loop's instances and nowhere else,
    // is part of that boot's failure (a start-up probe failing, a migration
    // giving up) when its group so far lives on the loop's instances alone.
    if (o_.crash_one_instance) {
      std::map<uint32_t, std::pair<size_t, size_t>> group_on;  // root → (on failing, with instance)
      for (const EntryFacts& e : in_.entries) {
        if (e.instance == 0 || e.request) continue;
        auto& g = group_on[groups_.Find(e.tmpl)];
        g.first += failing_[e.instance] ? 1 : 0;
        ++g.second;
      }
      // (The loop's own templates are on two or more of its instances.)
      for (uint32_t t = 0; t < info_.size(); ++t) {
        const auto& g = group_on[groups_.Find(t)];
        if (failing_instances[t].size() == 1 && on_failing[t] == with_instance[t] && g.first == g.second) {
          chain.push_back(t);
        }
      }
    }
    std::sort(all_failing.begin(), all_failing.end());
    all_failing.erase(std::unique(all_failing.begin(), all_failing.end()), all_failing.end());
    for (size_t k = 1; k < chain.size(); ++k) {
      groups_.Union(chain[0], chain[k],
                    fmt::format("crash loop: {} and {} appear only on the {} instances that never served a "
                                "request and died within {:.0f} s",
                                Quote(T(chain[0])), Quote(T(chain[k])), all_failing.size(), o_.crash_max_life_s));
    }
    crash_template_ = chain[0];
    crashed_instances_ = all_failing.size();
    crash_first_ = 1e300;
    crash_last_ = -1e300;
    for (const EntryFacts& e : in_.entries) {
      if (e.instance && failing_[e.instance]) {
        crash_first_ = std::min(crash_first_, e.t);
        crash_last_ = std::max(crash_last_, e.t);
      }
    }
  }

  // 6b. Errors on the instances still serving (some on the looping ones
  // too), beginning with the crash loop and over before it is: the
  // dependency the new instances cannot reach fails the old ones' requests
  // too, until they are replaced.
  void CrashOnset() {
    if (crash_template_ == kNone) return;
    const uint32_t crash = groups_.Find(crash_template_);
    std::map<uint32_t, std::vector<uint32_t>> by_group;
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      if (!e.request) by_group[groups_.Find(e.tmpl)].push_back(i);
    }
    for (const auto& [root, idx] : by_group) {
      if (root == crash) continue;
      double first = 1e300, last = -1e300;
      Severity worst = Severity::kDefault;
      bool on_instances = true;
      for (uint32_t i : idx) {
        const EntryFacts& e = in_.entries[i];
        first = std::min(first, e.t);
        last = std::max(last, e.t);
        worst = std::max(worst, e.severity);
        on_instances = on_instances && e.instance != 0;
      }
      if (idx.size() < 3 || !on_instances || !AtLeastError(worst) || std::abs(first - crash_first_) > o_.crash_onset_s || last > crash_last_) continue;
      groups_.Union(crash, root,
                    fmt::format("crash onset: {} began on the serving instances within {:.0f} s of the crash loop "
                                "and ended while it lasted",
                                Quote(T(root)), o_.crash_onset_s));
    }
  }

  // 7. Concentrated in the last seconds of instances killed by the platform.
  void Deaths() {
    std::vector<uint32_t> last(in_.instances.size(), kNone);
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      if (e.instance == 0 || e.instance >= last.size()) continue;
      if (last[e.instance] == kNone || e.t > in_.entries[last[e.instance]].t) last[e.instance] = i;
    }
    death_.assign(in_.instances.size(), {0, kNone});
    std::vector<uint32_t> terminal;
    size_t killed = 0;
    for (uint32_t i = 1; i < in_.instances.size(); ++i) {
      if (last[i] == kNone || failing_[i]) continue;
      const EntryFacts& e = in_.entries[last[i]];
      if (e.platform && AtLeastError(e.severity) && in_.instances[i].last - e.t <= o_.death_after_s) {
        death_[i] = {e.t, e.tmpl};
        terminal.push_back(e.tmpl);
        killed_by_template_[e.tmpl] += 1;
        ++killed;
      }
    }
    if (terminal.empty()) return;
    std::vector<size_t> in_window(info_.size(), 0), total(info_.size(), 0);
    std::unordered_map<uint32_t, std::pair<size_t, size_t>> by_group;  // root → in window, total
    for (const EntryFacts& e : in_.entries) {
      if (e.instance == 0 || e.request) continue;
      ++total[e.tmpl];
      auto& g = by_group[groups_.Find(e.tmpl)];
      ++g.second;
      const auto& d = death_[e.instance];
      if (d.second != kNone && e.t >= d.first - o_.death_window_s && e.t <= d.first) {
        ++in_window[e.tmpl];
        ++g.first;
      }
    }
    std::sort(terminal.begin(), terminal.end());
    terminal.erase(std::unique(terminal.begin(), terminal.end()), terminal.end());
    std::vector<uint32_t> members = terminal;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (total[t] > 0 && static_cast<double>(in_window[t]) >= o_.death_share * static_cast<double>(total[t])) {
        // A few lines of a storm that every instance logs all along land
        // in the last seconds too: their group, not they, must be there.
        const auto& g = by_group[groups_.Find(t)];
        if (static_cast<double>(g.first) < o_.death_share * static_cast<double>(g.second)) continue;
        members.push_back(t);
      }
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    for (size_t k = 1; k < members.size(); ++k) {
      groups_.Union(members[0], members[k],
                    fmt::format("death: {} and {} come in the last {:.0f} s of the {} instances killed "
                                "with {}",
                                Quote(T(members[0])), Quote(T(members[k])), o_.death_window_s, killed,
                                Quote(T(terminal[0]))));
    }
  }

  // True when every entry is a 4xx request log and they come from at most
  // two client addresses.
  bool FewClientsOnly(const std::vector<uint32_t>& idx) const {
    uint32_t clients[2] = {0, 0};
    size_t n = 0;
    for (uint32_t i : idx) {
      const EntryFacts& e = in_.entries[i];
      if (!e.request || e.status < 400 || e.status >= 500 || e.client == 0) return false;
      if (n > 0 && clients[0] == e.client) continue;
      if (n > 1 && clients[1] == e.client) continue;
      if (n == 2) return false;
      clients[n++] = e.client;
    }
    return n > 0;
  }

  // 8. Groups born with a new revision and seen on no other.
  void Deploy() {
    if (in_.revision_first.size() < 3) return;  // id 0 unused; two revisions needed
    std::vector<uint32_t> revs;
    for (uint32_t r = 1; r < in_.revision_first.size(); ++r) revs.push_back(r);
    std::sort(revs.begin(), revs.end(),
              [&](uint32_t a, uint32_t b) { return in_.revision_first[a] < in_.revision_first[b]; });
    std::map<uint32_t, std::vector<uint32_t>> by_group;
    for (uint32_t i = 0; i < in_.entries.size(); ++i) by_group[groups_.Find(in_.entries[i].tmpl)].push_back(i);
    for (size_t k = 1; k < revs.size(); ++k) {
      const uint32_t rev = revs[k];
      const double td = in_.revision_first[rev];
      std::vector<uint32_t> born;
      for (const auto& [root, idx] : by_group) {
        bool only = true, any = false;
        double first = 1e300;
        for (uint32_t i : idx) {
          const EntryFacts& e = in_.entries[i];
          if (e.revision != 0) {
            any = true;
            only = only && e.revision == rev;
          }
          first = std::min(first, e.t);
        }
        if (!only || !any || idx.size() < o_.deploy_min_entries || first < td || first > td + o_.deploy_window_s) {
          continue;
        }
        // Not evidence for: the crash loop and the platform's kills (their
        // instances are the new revision's by nature once it takes the
        // traffic) and start-up warnings (every new instance logs them,
        // whatever else goes wrong).
        if (crash_template_ != kNone && root == groups_.Find(crash_template_)) continue;
        bool kills = false;
        for (const auto& [t, n] : killed_by_template_) kills = kills || groups_.Find(t) == root;
        if (kills) continue;
        size_t startup = 0;
        Severity worst = Severity::kDefault;
        for (uint32_t i : idx) {
          startup += Startup(in_.entries[i]) ? 1 : 0;
          worst = std::max(worst, in_.entries[i].severity);
        }
        if (startup * 2 >= idx.size() && !AtLeastError(worst)) continue;
        // Nor client errors from one or two addresses: a scanner or one
        // misbehaving caller; what a deploy breaks, it breaks for every client.
        if (FewClientsOnly(idx)) continue;
        born.push_back(root);
      }
      if (!born.empty()) deploys_.push_back({born[0], in_.revision_names[rev]});
      // A deploy may break two things: groups answering in separate requests
      // (both traced, no trace in common) are not tied by it.
      std::vector<std::vector<uint32_t>> traces(born.size());
      std::vector<bool> traced(born.size());
      for (size_t j = 0; j < born.size(); ++j) {
        const auto& idx = by_group[born[j]];
        size_t n = 0;
        for (uint32_t i : idx) {
          if (in_.entries[i].trace == 0) continue;
          traces[j].push_back(in_.entries[i].trace);
          ++n;
        }
        traced[j] = n * 2 > idx.size();
        std::sort(traces[j].begin(), traces[j].end());
        traces[j].erase(std::unique(traces[j].begin(), traces[j].end()), traces[j].end());
      }
      // Requests the revision served: its instances' answered ones and the
      // failed ones logged (only needed when two groups may be tied).
      double served = 0;
      if (born.size() > 1) {
        std::set<uint32_t> insts, failed;
        for (const EntryFacts& e : in_.entries) {
          if (e.revision != rev || e.instance == 0) continue;
          insts.insert(e.instance);
          if (e.request && e.trace) failed.insert(e.trace);
        }
        for (uint32_t i : insts) served += in_.instances[i].ok_requests;
        served += static_cast<double>(failed.size());
      }
      auto separate = [&](size_t a, size_t b) {
        if (!traced[a] || !traced[b]) return false;
        std::vector<uint32_t> common;
        std::set_intersection(traces[a].begin(), traces[a].end(), traces[b].begin(), traces[b].end(),
                              std::back_inserter(common));
        if (common.empty()) return true;
        // ... or no more often than chance: a storm failing most requests
        // shares them with any other request-time problem.
        const size_t small = traces[a].size() < traces[b].size() ? a : b, big = small == a ? b : a;
        const double both = static_cast<double>(traces[a].size() + traces[b].size() - common.size());
        if (served <= both) return false;  // the answered requests were not logged: no base rate
        const double share = static_cast<double>(common.size()) / static_cast<double>(traces[small].size());
        const double base = static_cast<double>(traces[big].size()) / served;
        return share < o_.deploy_trace_lift * base;
      };
      for (size_t j = 1; j < born.size(); ++j) {
        for (size_t i = 0; i < j; ++i) {
          if (separate(i, j) || DifferentLibraries(born[i], born[j])) continue;
          groups_.Union(born[i], born[j],
                        fmt::format("deploy: {} and {} began within {:.0f} s of revision {} and appear on no "
                                    "other revision",
                                    Quote(T(born[i])), Quote(T(born[j])), o_.deploy_window_s,
                                    in_.revision_names[rev]));
          break;
        }
      }
    }
  }

  // Counter-evidence for timing between groups: both are mostly logged while
  // serving requests, and never in the same request.
  struct TraceSets {
    std::map<uint32_t, std::vector<uint32_t>> traces;  // sorted, unique
    std::map<uint32_t, size_t> app_entries, traced_entries;
    bool Traced(uint32_t r) const {
      auto a = app_entries.find(r), t = traced_entries.find(r);
      return a != app_entries.end() && t != traced_entries.end() && t->second * 2 > a->second;
    }
    bool Separate(uint32_t a, uint32_t b) const {
      auto ta = traces.find(a), tb = traces.find(b);
      if (ta == traces.end() || tb == traces.end() || !Traced(a) || !Traced(b)) return false;
      std::vector<uint32_t> common;
      std::set_intersection(ta->second.begin(), ta->second.end(), tb->second.begin(), tb->second.end(),
                            std::back_inserter(common));
      return common.empty();
    }
  };
  TraceSets GroupTraces() {
    TraceSets out;
    for (const EntryFacts& e : in_.entries) {
      if (e.request) continue;
      const uint32_t r = groups_.Find(e.tmpl);
      ++out.app_entries[r];
      if (e.trace) {
        out.traces[r].push_back(e.trace);
        ++out.traced_entries[r];
      }
    }
    for (auto& [r, v] : out.traces) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    return out;
  }

  // 9. Whole groups that fire together. Not the crash loop's nor a platform
  // kill's: their instances say what is theirs.
  void ClusterTiming() {
    std::map<uint32_t, Times> times;
    std::map<uint32_t, size_t> startup;
    for (const EntryFacts& e : in_.entries) {
      if (e.request) continue;
      const uint32_t r = groups_.Find(e.tmpl);
      if (Startup(e)) {
        ++startup[r];
      } else {
        times[r].t.push_back(e.t);
      }
    }
    std::vector<uint32_t> roots;
    std::map<uint32_t, double> cover;
    for (auto& [r, tm] : times) {
      std::sort(tm.t.begin(), tm.t.end());
      // A group logged mostly at start-up times itself by its instances'
      // boots: the few lines after say nothing. Nor does a crash loop's
      // timing (see Timing).
      const double n = static_cast<double>(tm.t.size());
      if (tm.t.size() >= 2 && n > (1 - o_.startup_heavy) * (n + static_cast<double>(startup[r])) && !InCrashLoop(r) &&
          !InKill(r)) {
        roots.push_back(r);
        cover[r] = tm.Cover(o_.timing_window_s, o_.window_s);
      }
    }
    const TraceSets traces = GroupTraces();
    std::vector<std::pair<uint32_t, uint32_t>> links;
    std::vector<std::string> why;
    for (uint32_t a : roots) {
      double best_lift = 0;
      uint32_t best = kNone;
      double best_hit = 0;
      for (uint32_t b : roots) {
        if (a == b) continue;
        const double h = times[a].Hit(times[b], o_.timing_window_s);
        const double lift = h / std::max(cover[b], 1e-9);
        // Small groups say little: two entries must both hit, twice as clearly.
        const bool small = times[a].t.size() < o_.timing_min_entries || times[b].t.size() < o_.timing_min_entries;
        if (small && (h < 1.0 || lift < 2 * o_.cluster_timing_lift)) continue;
        if (h >= o_.cluster_timing_hit && lift >= o_.cluster_timing_lift && traces.Separate(a, b)) continue;
        if (h >= o_.cluster_timing_hit && lift >= o_.cluster_timing_lift &&
            times[b].Hit(times[a], o_.timing_window_s) >= o_.cluster_timing_hit_back && lift > best_lift) {
          best_lift = lift;
          best = b;
          best_hit = h;
        }
      }
      if (best != kNone) {
        links.push_back({a, best});
        why.push_back(fmt::format("timing: {} fires within {:.0f} s of {} {:.0f}% of the time ({:.0f}x chance)",
                                  Quote(T(a)), o_.timing_window_s, Quote(T(best)), 100 * best_hit, best_lift));
      }
    }
    for (size_t k = 0; k < links.size(); ++k) {
      if (!DifferentLibraries(links[k].first, links[k].second)) groups_.Union(links[k].first, links[k].second, why[k]);
    }
  }

  // 9b. Episodes that start and stop together (neither lasting the whole
  // window: chronic noise trivially "starts and stops" with everything).
  void Episodes() {
    struct Span {
      double first = 1e300, last = -1e300;
      size_t n = 0;
    };
    std::map<uint32_t, Span> spans;
    std::map<uint32_t, std::set<uint32_t>> instances;  // root → instances that logged it
    std::set<uint32_t> failing;                           // roots with errors or platform lines
    double lo = 1e300, hi = -1e300;
    for (const EntryFacts& e : in_.entries) {
      if (Startup(e)) continue;  // start-up warnings span every boot: no episode
      if (e.instance != 0) instances[groups_.Find(e.tmpl)].insert(e.instance);
      if (AtLeastError(e.severity) || e.platform) failing.insert(groups_.Find(e.tmpl));
      Span& sp = spans[groups_.Find(e.tmpl)];
      sp.first = std::min(sp.first, e.t);
      sp.last = std::max(sp.last, e.t);
      ++sp.n;
      lo = std::min(lo, e.t);
      hi = std::max(hi, e.t);
    }
    std::vector<std::pair<uint32_t, Span>> v;
    for (const auto& [r, sp] : spans) {
      const double dur = sp.last - sp.first;
      // Warnings each instance logs about once (Python shows a warning once
      // per process) are timed by the instances' births, which kills and
      // crashes set off: their episode is the births', not a problem's.
      const double per_instance = static_cast<double>(sp.n) / static_cast<double>(std::max<size_t>(1, instances[r].size()));
      if (!failing.count(r) && instances[r].size() >= 2 && per_instance <= o_.episode_once_per_instance) continue;
      if (sp.n >= o_.timing_min_entries && dur >= o_.episode_min_s && dur <= o_.episode_max_share * o_.window_s) {
        v.emplace_back(r, sp);
      }
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (size_t i = 0; i < v.size(); ++i) {
      for (size_t j = i + 1; j < v.size(); ++j) {
        const Span &a = v[i].second, &b = v[j].second;
        const double d0 = std::abs(a.first - b.first), d1 = std::abs(a.last - b.last);
        const double span = std::max(a.last, b.last) - std::min(a.first, b.first);
        if (d0 <= o_.episode_slack_s && d1 <= o_.episode_slack_s && d0 + d1 <= o_.episode_slack_share * span &&
            !DifferentLibraries(v[i].first, v[j].first)) {
          links.emplace_back(v[i].first, v[j].first,
                             fmt::format("episode: {} and {} start within {:.0f} s and stop within {:.0f} s of each "
                                         "other",
                                         Quote(T(v[i].first)), Quote(T(v[j].first)), d0, d1));
        }
      }
    }
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  // 9c. A group logged now and then, always while another group's failures
  // come in bursts that fill little of the hour: a circuit breaker opening,
  // a fallback engaging, a retry budget running out — the reaction logged
  // away from the failures' requests and instances. Chance: the binomial
  // tail of that many of its clumps landing inside the bursts.
  void Bursts() {
    std::map<uint32_t, Times> times;
    std::map<uint32_t, Severity> worst;
    for (const EntryFacts& e : in_.entries) {
      if (e.request || Startup(e)) continue;
      const uint32_t r = groups_.Find(e.tmpl);
      times[r].t.push_back(e.t);
      worst[r] = std::max(worst[r], e.severity);
    }
    const TraceSets traces = GroupTraces();
    using Spans = std::vector<std::pair<double, double>>;
    auto chain = [](const std::vector<double>& t, double gap) {
      Spans out;
      for (double x : t) {
        if (!out.empty() && x - out.back().second <= gap) {
          out.back().second = x;
        } else {
          out.emplace_back(x, x);
        }
      }
      return out;
    };
    std::map<uint32_t, Spans> bursts;
    std::map<uint32_t, double> cover;
    for (auto& [r, tm] : times) {
      std::sort(tm.t.begin(), tm.t.end());
      if (tm.t.size() < o_.timing_min_entries) continue;
      Spans sp = chain(tm.t, o_.burst_gap_s);
      if (static_cast<double>(tm.t.size()) < o_.burst_min_lines * static_cast<double>(sp.size())) continue;
      double total = 0;
      for (auto& [a, b] : sp) {
        a -= o_.timing_window_s;
        b += o_.timing_window_s;
        total += b - a;
      }
      cover[r] = std::min(1.0, total / o_.window_s);
      bursts[r] = std::move(sp);
    }
    auto inside = [](const Spans& sp, double a, double b) {
      auto it = std::upper_bound(sp.begin(), sp.end(), std::make_pair(a, 1e300));
      return it != sp.begin() && std::prev(it)->first <= a && b <= std::prev(it)->second;
    };
    std::vector<std::pair<uint32_t, uint32_t>> links;
    std::vector<std::string> why;
    for (const auto& [a, tm] : times) {
      const Spans clumps = chain(tm.t, o_.timing_window_s);
      const size_t n = clumps.size();
      if (n < o_.burst_min_clumps || tm.t.size() > o_.burst_max_entries) continue;
      double best_p = 1, second_p = 1;
      uint32_t best = kNone;
      size_t best_k = 0;
      for (const auto& [b, sp] : bursts) {
        // Failures in bursts and a milder line reacting to them.
        if (b == a || cover[b] > o_.burst_max_cover || worst[b] <= worst[a] || traces.Separate(a, b)) continue;
        size_t k = 0;
        for (const auto& [x, y] : clumps) k += inside(sp, x, y) ? 1 : 0;
        const double p = BinomialTail(n, k, cover[b]);
        if (p < best_p) {
          second_p = best_p;
          best_p = p;
          best = b;
          best_k = k;
        } else {
          second_p = std::min(second_p, p);
        }
      }
      if (best == kNone || static_cast<double>(best_k) < o_.burst_hit * static_cast<double>(n) ||
          best_p > o_.burst_chance || best_p * o_.burst_ahead > second_p) {
        continue;
      }
      links.push_back({a, best});
      why.push_back(fmt::format("bursts: {} of the {} clumps of {} fall inside the bursts of {}, which fill {:.0f}% "
                                "of the window (chance {:.1g})",
                                best_k, n, Quote(T(a)), Quote(T(best)), 100 * cover[best], best_p));
    }
    for (size_t k = 0; k < links.size(); ++k) {
      if (!DifferentLibraries(links[k].first, links[k].second)) groups_.Union(links[k].first, links[k].second, why[k]);
    }
  }

  // P(X >= k) for X ~ Binomial(n, p).
  static double BinomialTail(size_t n, size_t k, double p) {
    if (k == 0) return 1;
    if (p <= 0) return 0;
    if (p >= 1) return 1;
    double sum = 0;
    for (size_t i = k; i <= n; ++i) {
      const double x = static_cast<double>(i), m = static_cast<double>(n);
      sum += std::exp(std::lgamma(m + 1) - std::lgamma(x + 1) - std::lgamma(m - x + 1) + x * std::log(p) +
                      (m - x) * std::log1p(-p));
    }
    return std::min(1.0, sum);
  }

  // A component tag opening a message: an upper-case word of two to twelve
  // letters or digits (`SSOT: …`, `[DB] …`), not a severity or HTTP method.
  static std::string_view Tag(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && (text[i] == '[' || text[i] == ' ')) ++i;
    size_t j = i, letters = 0;
    for (; j < text.size(); ++j) {
      const char c = text[j];
      if (c >= 'A' && c <= 'Z') {
        ++letters;
      } else if (!(c >= '0' && c <= '9') && c != '_') {
        break;
      }
    }
    if (letters < 2 || j - i > 12) return {};
    if (j < text.size() && text[j] >= 'a' && text[j] <= 'z') return {};  // "HTTPError"
    static constexpr std::string_view kNot[] = {"DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL",
                                                "ALERT", "EMERGENCY", "FATAL", "GET", "POST", "PUT", "PATCH",
                                                "DELETE", "HEAD", "OPTIONS"};
    const std::string_view tag = text.substr(i, j - i);
    for (auto n : kNot) {
      if (tag == n) return {};
    }
    return tag;
  }

  // The package a logger belongs to: its name without the last part
  // (`a.b.c.mod` -> `a.b.c`, `pkg/dir/file.go` -> `pkg/dir`); empty when it
  // has fewer than three parts (a top-level package says little).
  static std::string_view Package(std::string_view logger) {
    const char sep = logger.find('/') != std::string_view::npos ? '/' : '.';
    const size_t cut = logger.rfind(sep);
    if (cut == std::string_view::npos) return {};
    const std::string_view pkg = logger.substr(0, cut);
    size_t parts = 1;
    for (char c : pkg) parts += c == sep;
    return parts >= 2 ? pkg : std::string_view{};
  }

  // 10. Whole groups with the same distinctive words.
  void ClusterContent() {
    std::map<uint32_t, std::vector<std::string>> docs;
    std::map<uint32_t, std::pair<double, double>> span;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty()) continue;
      const uint32_t r = groups_.Find(t);
      auto [it, inserted] = span.try_emplace(r, info_[t].first, info_[t].last);
      if (!inserted) {
        it->second.first = std::min(it->second.first, info_[t].first);
        it->second.second = std::max(it->second.second, info_[t].last);
      }
      if (info_[t].request()) continue;
      auto& d = docs[r];
      for (auto& w : ContentWords(T(t))) d.push_back(std::move(w));
    }
    std::vector<uint32_t> ids;
    std::vector<std::vector<std::string>> words;
    for (auto& [r, d] : docs) {
      std::sort(d.begin(), d.end());
      d.erase(std::unique(d.begin(), d.end()), d.end());
      ids.push_back(r);
      words.push_back(d);
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    CosinePairs(ids, words, [&](uint32_t a, uint32_t b, double cos, const std::vector<std::string>& common) {
      if (cos >= o_.cluster_content_cosine &&
          Overlap(span[a].first, span[a].second, span[b].first, span[b].second)) {
        links.emplace_back(a, b, fmt::format("content: the groups of {} and {} share the words {} (cosine {:.2f})",
                                             Quote(T(a)), Quote(T(b)), Joined(common), cos));
      }
    });
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  // 7b. Groups whose messages open with the same component tag (`SSOT: …`,
  // `[DB] …`), when every group using that tag is logged from one package:
  // one component reporting one problem in its own words. Warnings only: a
  // component's errors are each worth an issue of their own, and a wrong
  // merge there would hide one.
  void ComponentTags() {
    struct Group {
      double first = 1e300, last = -1e300;
      std::set<std::string_view> packages;
      bool errors = false;
    };
    std::map<uint32_t, Group> groups;
    std::map<std::string_view, std::set<uint32_t>> by_tag;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      const uint32_t r = groups_.Find(t);
      Group& g = groups[r];
      g.first = std::min(g.first, info_[t].first);
      g.last = std::max(g.last, info_[t].last);
      g.errors = g.errors || AtLeastError(info_[t].max_severity) || info_[t].platform;
      if (info_[t].logger != 0) {
        const std::string_view pkg = Package(in_.logger_names[info_[t].logger]);
        if (!pkg.empty()) g.packages.insert(pkg);
      }
      if (const std::string_view tag = Tag(T(t)); !tag.empty()) by_tag[tag].insert(r);
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (const auto& [tag, rs] : by_tag) {
      if (rs.size() < 2) continue;
      if (std::any_of(rs.begin(), rs.end(), [&](uint32_t r) { return groups[r].errors; })) continue;
      // The packages every group of the tag is logged from.
      std::set<std::string_view> common = groups[*rs.begin()].packages;
      for (uint32_t r : rs) std::erase_if(common, [&](std::string_view p) { return !groups[r].packages.count(p); });
      if (common.empty()) continue;
      for (auto a = rs.begin(); a != rs.end(); ++a) {
        for (auto b = std::next(a); b != rs.end(); ++b) {
          if (!Overlap(groups[*a].first, groups[*a].last, groups[*b].first, groups[*b].last)) continue;
          links.emplace_back(*a, *b, fmt::format("component: the groups of {} and {} tag their messages `{}`, as "
                                                 "no other group does, and are logged from one package `{}`",
                                                 Quote(T(*a)), Quote(T(*b)), tag, *common.begin()));
        }
      }
    }
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  // The library a message names in its leading bracket (`[next-auth][warn]
  // [NO_SECRET] …` → "next-auth"), lower-cased; empty when there is none or
  // it is a level or an HTTP method.
  static std::string BracketTag(std::string_view text) {
    if (text.empty() || text[0] != '[') return {};
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close < 3 || close > 21) return {};
    std::string tag(text.substr(1, close - 1));
    for (char& c : tag) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return {};
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    static constexpr std::string_view kNot[] = {"debug", "info", "notice", "warn", "warning", "error", "err",
                                                "critical", "alert", "emergency", "fatal", "trace", "get",
                                                "post", "put", "patch", "delete", "head", "options"};
    if (std::find(std::begin(kNot), std::end(kNot), tag) != std::end(kNot)) return {};
    if (std::all_of(tag.begin(), tag.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return {};
    return tag;
  }

  // 7c. A library's warnings join its errors: when every group whose
  // messages open with a library's bracket tag is warnings-only but one,
  // which has errors, and they are logged at overlapping times, the warnings
  // are the library telling why (`[next-auth][warn][NO_SECRET]` at boot,
  // `[next-auth][error][JWT_SESSION_ERROR]` on every session read).
  void LibraryWarnings() {
    struct Group {
      double first = 1e300, last = -1e300;
      bool errors = false;
      uint32_t tmpl = 0;
    };
    std::map<uint32_t, Group> groups;
    std::map<std::string, std::set<uint32_t>> by_tag;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      const uint32_t r = groups_.Find(t);
      auto [it, inserted] = groups.try_emplace(r);
      Group& g = it->second;
      if (inserted) g.tmpl = t;
      g.first = std::min(g.first, info_[t].first);
      g.last = std::max(g.last, info_[t].last);
      g.errors = g.errors || AtLeastError(info_[t].max_severity) || info_[t].platform;
      if (std::string tag = BracketTag(T(t)); !tag.empty()) {
        by_tag[tag].insert(r);
        g.tmpl = t;
      }
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (const auto& [tag, rs] : by_tag) {
      if (rs.size() < 2) continue;
      std::vector<uint32_t> with_errors;
      for (uint32_t r : rs) {
        if (groups[r].errors) with_errors.push_back(r);
      }
      if (with_errors.size() != 1) continue;
      const uint32_t e = with_errors.front();
      for (uint32_t r : rs) {
        if (r == e || !Overlap(groups[r].first, groups[r].last, groups[e].first, groups[e].last)) continue;
        links.emplace_back(e, r, fmt::format("library: {} warns from `[{}]`, whose only errors are {}",
                                             Quote(T(groups[r].tmpl)), tag, Quote(T(groups[e].tmpl))));
      }
    }
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  // The category of a runtime warning a template reports: Python's
  // `file.py:<NUM>: DeprecationWarning: …` (Node's `[DEP0005]
  // DeprecationWarning: …` alike); every deprecation class
  // (`PydanticDeprecatedSince20`) counts as "deprecation". Empty for none.
  static std::string WarningCategory(std::string_view text) {
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
    for (size_t colon = text.find(": "); colon != std::string_view::npos && colon < 400;
         colon = text.find(": ", colon + 1)) {
      size_t start = colon;
      while (start > 0 && ident(text[start - 1])) --start;
      std::string_view word = text.substr(start, colon - start);
      if (const size_t dot = word.rfind('.'); dot != std::string_view::npos) word.remove_prefix(dot + 1);
      if (word.size() < 8 || !std::isupper(static_cast<unsigned char>(word[0]))) continue;
      if (word.find("Deprecat") != std::string_view::npos) return "deprecation";
      if (word.ends_with("Warning")) return std::string(word);
    }
    return {};
  }

  // 10c. Warnings of one category (deprecations) are one chore: warning
  // groups (no errors) whose every template reports the same category join
  // when logged at overlapping times — a library's deprecation at boot and
  // the app's own `utcnow()` deprecation on first use.
  void WarningCategories() {
    struct Group {
      double first = 1e300, last = -1e300;
      bool errors = false;
      std::set<std::string> categories;
      bool uncategorized = false;
      uint32_t tmpl = 0;
    };
    std::map<uint32_t, Group> groups;
    for (uint32_t t = 0; t < info_.size(); ++t) {
      if (info_[t].entries.empty() || info_[t].request()) continue;
      Group& g = groups[groups_.Find(t)];
      g.first = std::min(g.first, info_[t].first);
      g.last = std::max(g.last, info_[t].last);
      g.errors = g.errors || AtLeastError(info_[t].max_severity) || info_[t].platform;
      if (std::string c = WarningCategory(T(t)); !c.empty()) {
        g.categories.insert(std::move(c));
        g.tmpl = t;
      } else {
        g.uncategorized = true;
      }
    }
    std::map<std::string, std::vector<uint32_t>> by_category;
    for (const auto& [r, g] : groups) {
      if (g.errors || g.uncategorized || g.categories.size() != 1) continue;
      by_category[*g.categories.begin()].push_back(r);
    }
    std::vector<std::tuple<uint32_t, uint32_t, std::string>> links;
    for (const auto& [category, rs] : by_category) {
      for (size_t k = 1; k < rs.size(); ++k) {
        const Group &a = groups[rs[0]], &b = groups[rs[k]];
        if (!Overlap(a.first, a.last, b.first, b.last)) continue;
        links.emplace_back(rs[0], rs[k], fmt::format("warnings: {} and {} report the same kind of warning ({})",
                                                     Quote(T(a.tmpl)), Quote(T(b.tmpl)), category));
      }
    }
    for (auto& [a, b, why] : links) groups_.Union(a, b, std::move(why));
  }

  enum Why { kTraceJoin, kKilled, kCrashLoop, kMajority };

  // 12b. The rest of a request pattern whose entries were placed one by one
  // (trace, death, crash loop): when most of them went to one incident and
  // the rest were left in a group of request logs alone (no app line says
  // otherwise), the rest follow them rather than file an incident of their
  // own: the same platform answer on the same route, from the same cause.
  void FollowMajority(std::vector<uint32_t>& root, std::map<std::tuple<uint32_t, Why, uint32_t>, size_t>& moved) {
    if (o_.majority_share >= 1) return;
    // Per request template: where its entries went, and which stayed home.
    std::map<uint32_t, std::map<uint32_t, size_t>> went;
    std::map<uint32_t, std::vector<uint32_t>> stayed;
    std::map<uint32_t, size_t> app_in_root;
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      if (!e.request) {
        ++app_in_root[root[i]];
        continue;
      }
      const uint32_t home = groups_.Find(e.tmpl);
      if (root[i] == home) {
        stayed[e.tmpl].push_back(i);
      } else {
        ++went[e.tmpl][root[i]];
      }
    }
    for (const auto& [t, rest] : stayed) {
      auto w = went.find(t);
      if (w == went.end()) continue;
      const uint32_t home = groups_.Find(t);
      if (app_in_root.count(home)) continue;  // an app line holds the rest here
      size_t total = rest.size(), best_n = 0;
      uint32_t best = kNone;
      for (const auto& [r, n] : w->second) {
        total += n;
        if (n > best_n) {
          best_n = n;
          best = r;
        }
      }
      if (static_cast<double>(best_n) <= o_.majority_share * static_cast<double>(total) || best_n <= rest.size()) {
        continue;
      }
      for (uint32_t i : rest) root[i] = best;
      moved[{best, kMajority, t}] += rest.size();
    }
  }

  // 12. Request logs follow their trace's app error, or the death or crash
  // loop they fell in.
  CorrelationResult Assign() {
    std::vector<uint32_t> root(in_.entries.size());
    std::vector<std::string> extra;  // entry-level evidence, by root
    // (root, why, template) → requests moved: worded once per line at the end.
    std::map<std::tuple<uint32_t, Why, uint32_t>, size_t> moved;
    for (uint32_t i = 0; i < in_.entries.size(); ++i) {
      const EntryFacts& e = in_.entries[i];
      root[i] = groups_.Find(e.tmpl);
      if (!e.request) continue;
      if (e.trace != 0 && e.trace + 1 < app_begin_.size() && app_begin_[e.trace] < app_begin_[e.trace + 1]) {
        const std::span<const uint32_t> app(app_entries_.data() + app_begin_[e.trace],
                                            app_begin_[e.trace + 1] - app_begin_[e.trace]);
        uint32_t best = app.front();
        auto score = [&](uint32_t j) {
          auto p = trace_pairs_.find({e.tmpl, in_.entries[j].tmpl});
          return std::make_tuple(p == trace_pairs_.end() ? size_t{0} : p->second,
                                 static_cast<int>(in_.entries[j].severity), -static_cast<int64_t>(j));
        };
        for (uint32_t j : app) {
          if (score(j) > score(best)) best = j;
        }
        root[i] = groups_.Find(in_.entries[best].tmpl);
        ++moved[{root[i], kTraceJoin, e.tmpl}];
        continue;
      }
      if (e.status < 500) continue;
      if (e.instance && e.instance < death_.size() && death_[e.instance].second != kNone &&
          e.t >= death_[e.instance].first - o_.death_window_s && e.t <= death_[e.instance].first) {
        root[i] = groups_.Find(death_[e.instance].second);
        ++moved[{root[i], kKilled, e.tmpl}];
      } else if (crash_template_ != kNone &&
                 ((e.instance && e.instance < failing_.size() && failing_[e.instance]) ||
                  (e.instance == 0 && e.t >= crash_first_ - 30 && e.t <= crash_last_ + 60))) {
        root[i] = groups_.Find(crash_template_);
        ++moved[{root[i], kCrashLoop, e.tmpl}];
      }
    }
    FollowMajority(root, moved);
    // Dense ids in order of the smallest template of each group.
    std::vector<uint32_t> roots(root);
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    CorrelationResult out;
    out.incident_count = roots.size();
    out.evidence.resize(roots.size());
    auto dense = [&](uint32_t r) {
      return static_cast<uint32_t>(std::lower_bound(roots.begin(), roots.end(), r) - roots.begin());
    };
    out.incident_of_entry.resize(root.size());
    for (size_t i = 0; i < root.size(); ++i) out.incident_of_entry[i] = dense(root[i]);
    for (const auto& [t, why] : groups_.notes()) {
      const uint32_t r = groups_.Find(t);
      if (std::binary_search(roots.begin(), roots.end(), r)) out.evidence[dense(r)].push_back(why);
    }
    out.signals.resize(roots.size());
    auto signal_of = [&](uint32_t t) -> IncidentSignals* {
      const uint32_t r = groups_.Find(t);
      if (!std::binary_search(roots.begin(), roots.end(), r)) return nullptr;
      return &out.signals[dense(r)];
    };
    if (crash_template_ != kNone) {
      if (IncidentSignals* s = signal_of(crash_template_)) {
        s->crash_loop = true;
        s->crashed_instances = crashed_instances_;
      }
    }
    for (const auto& [t, n] : killed_by_template_) {
      if (IncidentSignals* s = signal_of(t)) s->killed_instances += n;
    }
    for (const auto& [t, rev] : deploys_) {
      if (IncidentSignals* s = signal_of(t)) {
        s->after_deploy = true;
        s->deploy_revision = rev;
      }
    }
    // Per group, its lines in text order (templates quoted alike share a line).
    std::map<uint32_t, std::map<std::string, size_t>> lines;
    for (const auto& [key, n] : moved) {
      const auto& [r, why, tmpl] = key;
      std::string text;
      switch (why) {
        case kTraceJoin:
          text = fmt::format("request logs: {} joins the app error logged in its trace", Quote(T(tmpl)));
          break;
        case kKilled:
          text = fmt::format("request logs: {} failed on an instance in its last {:.0f} s before it was killed",
                             Quote(T(tmpl)), o_.death_window_s);
          break;
        case kCrashLoop:
          text = fmt::format("request logs: {} failed on a crash-looping instance or while none was up",
                             Quote(T(tmpl)));
          break;
        case kMajority:
          text = fmt::format("request logs: the rest of {} follow the majority of its requests", Quote(T(tmpl)));
          break;
      }
      lines[r][text] += n;
    }
    for (const auto& [r, by_text] : lines) {
      for (const auto& [why, n] : by_text) out.evidence[dense(r)].push_back(fmt::format("{} ({}×)", why, n));
    }
    return out;
  }

  const CorrelationInput& in_;
  const CorrelationOptions& o_;
  Groups groups_;
  std::vector<TemplateInfo> info_;
  std::vector<std::vector<std::string>> exceptions_;  // by template: QualifiedExceptions of its text
  std::vector<std::vector<std::string>> libraries_;   // by template: the libraries of those
  std::vector<uint32_t> app_begin_;    // by trace id: where its app entries start in app_entries_
  std::vector<uint32_t> app_entries_;  // app (not request) entries with a trace, by trace
  std::map<std::pair<uint32_t, uint32_t>, size_t> trace_pairs_;
  std::vector<bool> failing_;
  std::map<uint32_t, std::map<uint32_t, std::vector<double>>> by_instance_;
  std::vector<std::pair<double, uint32_t>> death_;  // by instance: (time, terminal template)
  uint32_t crash_template_ = kNone;
  size_t crashed_instances_ = 0;
  std::map<uint32_t, size_t> killed_by_template_;
  std::vector<std::pair<uint32_t, std::string>> deploys_;
  double crash_first_ = 0, crash_last_ = 0;
};

}  // namespace

std::string FormatFingerprint(uint64_t id) { return fmt::format("lg1-{:016x}", id); }

CorrelationResult Correlate(const CorrelationInput& input, const CorrelationOptions& options) {
  return Correlator(input, options).Run();
}

}  // namespace lg
