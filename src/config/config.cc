#include "config/config.h"

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include <toml++/toml.h>

#include <re2/re2.h>

#include "core/file_util.h"

namespace lg {
namespace {

using Errors = std::vector<std::string>;

std::string Where(const std::string& path, const toml::source_region& src) {
  return fmt::format("{}:{}:{}", path, src.begin.line, src.begin.column);
}

// One configuration key: where it lives, what it means, how to read and show it.
struct Key {
  std::string_view section;
  std::string_view name;
  std::string_view doc;
  std::function<bool(Config&, const toml::node&)> set;  // false: wrong type or range
  std::function<std::string(Config)> show;
  std::string_view expected;  // "a number between 0 and 1", ...
};

template <typename Get>
Key Unit(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            auto v = n.value<double>();
            if (!v || *v < 0 || *v > 1) return false;
            get(c) = *v;
            return true;
          },
          [get](Config c) { return fmt::format("{}", get(c)); },
          "a number from 0 to 1"};
}

template <typename Get>
Key Seconds(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            auto v = n.value<double>();
            if (!v || *v < 0) return false;
            get(c) = *v;
            return true;
          },
          [get](Config c) { return fmt::format("{}", get(c)); },
          "a number of seconds, 0 or more"};
}

template <typename Get>
Key Number(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            auto v = n.value<double>();
            if (!v || *v < 0) return false;
            get(c) = *v;
            return true;
          },
          [get](Config c) { return fmt::format("{}", get(c)); },
          "a number, 0 or more"};
}

template <typename Get>
Key Count(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            // Type first: toml++ converts a float to an integer unchecked, and
            // 7.8e45 overflows (found by the config fuzzer).
            if (!n.is_integer()) return false;
            auto v = n.value<int64_t>();
            using Target = std::remove_reference_t<decltype(get(c))>;
            if (!v || *v < 0 || static_cast<uint64_t>(*v) > static_cast<uint64_t>(std::numeric_limits<Target>::max())) {
              return false;
            }
            get(c) = static_cast<Target>(*v);
            return true;
          },
          [get](Config c) { return fmt::format("{}", get(c)); },
          "a whole number, 0 or more"};
}

template <typename Get>
Key Flag(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            auto v = n.value<bool>();
            if (!v) return false;
            get(c) = *v;
            return true;
          },
          [get](Config c) { return std::string(get(c) ? "true" : "false"); },
          "true or false"};
}

template <typename Get>
Key SeverityKey(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            auto v = n.value<std::string>();
            if (!v) return false;
            auto s = ParseSeverity(*v);
            if (!s) return false;
            get(c) = *s;
            return true;
          },
          [get](Config c) { return fmt::format("\"{}\"", SeverityName(get(c))); },
          "a severity name (DEBUG … EMERGENCY)"};
}

template <typename Get>
Key Text(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            auto v = n.value<std::string>();
            if (!v) return false;
            get(c) = *v;
            return true;
          },
          [get](Config c) {
            std::string s = "\"";
            for (char ch : get(c)) {
              if (ch == '"' || ch == '\\') s += '\\';
              s += ch;
            }
            return s + "\"";
          },
          "a string"};
}

std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

template <typename Get>
Key Words(std::string_view section, std::string_view name, std::string_view doc, Get get) {
  return {section, name, doc,
          [get](Config& c, const toml::node& n) {
            const toml::array* arr = n.as_array();
            if (!arr) return false;
            std::vector<std::string> words;
            for (const toml::node& item : *arr) {
              auto v = item.value<std::string>();
              if (!v) return false;
              words.push_back(*v);
            }
            get(c) = std::move(words);
            return true;
          },
          [get](Config c) {
            std::string s = "[";
            const auto& words = get(c);
            for (size_t i = 0; i < words.size(); ++i) s += (i ? ", " : "") + TomlString(words[i]);
            return s + "]";
          },
          "a list of strings"};
}

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = [] {
    std::vector<Key> k;
    // [triage]
    k.push_back(SeverityKey("triage", "p0_min_severity", "P0 (service down) when any entry is at or above this severity.",
                            [](Config& c) -> Severity& { return c.triage.p0_min_severity; }));
    k.push_back(Flag("triage", "p0_crash_loop",
                     "P0 when the incident is a crash loop (instances that never served a request and died young).",
                     [](Config& c) -> bool& { return c.triage.p0_crash_loop; }));
    k.push_back(Unit("triage", "p0_failed_request_share",
                     "P0 when this share of the service's requests, while the incident lasted, failed with it "
                     "(5xx, 401, 403)...",
                     [](Config& c) -> double& { return c.triage.p0_failed_request_share; }));
    k.push_back(Count("triage", "p0_min_failed_requests", "... and at least this many of them failed.",
                      [](Config& c) -> uint64_t& { return c.triage.p0_min_failed_requests; }));
    k.push_back(Count("triage", "p1_min_errors", "P1 (a major feature failing) from this many ERROR entries.",
                      [](Config& c) -> uint64_t& { return c.triage.p1_min_errors; }));
    k.push_back(Count("triage", "p1_min_failed_requests", "P1 from this many failed user requests.",
                      [](Config& c) -> uint64_t& { return c.triage.p1_min_failed_requests; }));
    k.push_back(Count("triage", "p1_min_killed_instances",
                      "P1 from this many instances killed by the platform (out of memory...); 0 disables.",
                      [](Config& c) -> uint64_t& { return c.triage.p1_min_killed_instances; }));
    k.push_back(Words("triage", "degraded_words",
                      "Errors whose main pattern contains one of these (case-insensitive) are at most P2: the "
                      "system copes (retries, fallbacks, rate limits).",
                      [](Config& c) -> std::vector<std::string>& { return c.triage.degraded_words; }));
    k.push_back(Words("triage", "slow_words", "Warnings containing one of these are P2: performance degradation.",
                      [](Config& c) -> std::vector<std::string>& { return c.triage.slow_words; }));
    k.push_back(Words("triage", "cosmetic_words",
                      "Warnings whose main pattern contains one of these are P3 at any volume: deprecations.",
                      [](Config& c) -> std::vector<std::string>& { return c.triage.cosmetic_words; }));
    k.push_back(Count("triage", "p2_min_warnings", "A warnings-only incident this large is P2, else P3.",
                      [](Config& c) -> uint64_t& { return c.triage.p2_min_warnings; }));
    k.push_back(Count("triage", "max_name_chars", "Longest incident name, before the title's prefix.",
                      [](Config& c) -> size_t& { return c.triage.max_name_chars; }));
    k.push_back(Words("triage", "impact", "Business impact written for P0, P1, P2 and P3 (four strings).",
                      [](Config& c) -> std::vector<std::string>& { return c.triage.impact; }));
    // [run]
    k.push_back(Text("run", "period", "Default window of run (last 1 hour, 90m, last 24 hours); empty means last 1 hour.",
                     [](Config& c) -> std::string& { return c.run.period; }));
    k.push_back(Text("run", "min_severity", "Default lowest severity clustered; empty: WARNING.",
                     [](Config& c) -> std::string& { return c.run.min_severity; }));
    k.push_back(Text("run", "tracker", "Default --tracker (local:PATH or github:OWNER/REPO); empty: local.",
                     [](Config& c) -> std::string& { return c.run.tracker; }));
    k.push_back(Text("run", "state", "Default --state (sqlite:PATH); empty: the local tracker's file.",
                     [](Config& c) -> std::string& { return c.run.state; }));
    k.push_back(Text("run", "label", "Default label on filed issues; empty: log-gardener.",
                     [](Config& c) -> std::string& { return c.run.label; }));
    k.push_back(Words("run", "services",
                      "Services gardened when no --service is given, each in its own pass from one read of the "
                      "sources (workers sharing a --state split them); empty: every service in one pass.",
                      [](Config& c) -> std::vector<std::string>& { return c.run.services; }));
    k.push_back(Words("scrub", "patterns",
                      "Extra secrets to scrub before anything is posted: RE2 regular expressions.",
                      [](Config& c) -> std::vector<std::string>& { return c.scrub_patterns; }));
    // [correlation]
    k.push_back(Unit("correlation", "trace_share",
                     "Trace evidence: share of one template's request traces that also hold the other (nearly all: "
                     "one lies within the other's requests)...",
                     [](Config& c) -> double& { return c.correlation.trace_share; }));
    k.push_back(Unit("correlation", "trace_back", "... and the share the other way round.",
                     [](Config& c) -> double& { return c.correlation.trace_back; }));
    k.push_back(Unit("correlation", "content_cosine",
                     "Content evidence: cosine of two templates' distinctive words (stemmed, synonyms joined).",
                     [](Config& c) -> double& { return c.correlation.content_cosine; }));
    k.push_back(Unit("correlation", "cluster_content_cosine", "The same between whole groups of templates.",
                     [](Config& c) -> double& { return c.correlation.cluster_content_cosine; }));
    k.push_back(Flag("correlation", "component_tags",
                     "Component evidence: warning groups (no errors) whose messages open with the same "
                     "upper-case tag (`SSOT: ...`), used by no other group, logged from one package and active "
                     "at overlapping times.",
                     [](Config& c) -> bool& { return c.correlation.component_tags; }));
    k.push_back(Flag("correlation", "library_warnings",
                     "Library evidence: warning groups whose messages open with a library's bracket tag "
                     "(`[next-auth][warn]...`) join that library's one error group, when logged at overlapping times.",
                     [](Config& c) -> bool& { return c.correlation.library_warnings; }));
    k.push_back(Flag("correlation", "warning_categories",
                     "Warning-category evidence: warning groups whose every line reports the same runtime warning "
                     "category (deprecations: `DeprecationWarning`, `PydanticDeprecatedSince20`) join, when logged at "
                     "overlapping times.",
                     [](Config& c) -> bool& { return c.correlation.warning_categories; }));
    k.push_back(Number("correlation", "episode_once_per_instance",
                       "Episode evidence ignores a warning group logged at most this many times per instance (on two "
                       "or more): instance births time it.",
                       [](Config& c) -> double& { return c.correlation.episode_once_per_instance; }));
    k.push_back(Seconds("correlation", "overlap_slack_s",
                        "Content evidence needs the two to be active at overlapping times, give or take this.",
                        [](Config& c) -> double& { return c.correlation.overlap_slack_s; }));
    k.push_back(Unit("correlation", "logger_share",
                     "A template's logger is the one that wrote at least this share of its entries.",
                     [](Config& c) -> double& { return c.correlation.logger_share; }));
    k.push_back(Seconds("correlation", "logger_cooccur_s",
                        "Templates of one logger join when they turn up within this many seconds on one instance...",
                        [](Config& c) -> double& { return c.correlation.logger_cooccur_s; }));
    k.push_back(Unit("correlation", "logger_cooccur_hit", "... for at least this share of the smaller one's entries.",
                     [](Config& c) -> double& { return c.correlation.logger_cooccur_hit; }));
    k.push_back(Number("correlation", "logger_lift",
                       "... and this many times more often than chance (the share of their instances' lives near the other's entries).",
                       [](Config& c) -> double& { return c.correlation.logger_lift; }));
    k.push_back(Seconds("correlation", "timing_window_s", "Timing evidence: entries this close count as together.",
                        [](Config& c) -> double& { return c.correlation.timing_window_s; }));
    k.push_back(Unit("correlation", "timing_hit", "Timing: share of one template's entries near the other's...",
                     [](Config& c) -> double& { return c.correlation.timing_hit; }));
    k.push_back(Unit("correlation", "timing_hit_back", "... and the other way round.",
                     [](Config& c) -> double& { return c.correlation.timing_hit_back; }));
    k.push_back(Number("correlation", "timing_lift", "... this many times more often than chance.",
                       [](Config& c) -> double& { return c.correlation.timing_lift; }));
    k.push_back(Count("correlation", "timing_min_entries", "Templates with fewer entries give no timing evidence.",
                      [](Config& c) -> size_t& { return c.correlation.timing_min_entries; }));
    k.push_back(Unit("correlation", "cluster_timing_hit", "Timing between whole groups: share near the other...",
                     [](Config& c) -> double& { return c.correlation.cluster_timing_hit; }));
    k.push_back(Unit("correlation", "cluster_timing_hit_back", "... and the other way round...",
                     [](Config& c) -> double& { return c.correlation.cluster_timing_hit_back; }));
    k.push_back(Number("correlation", "cluster_timing_lift", "... this many times more often than chance.",
                       [](Config& c) -> double& { return c.correlation.cluster_timing_lift; }));
    k.push_back(Seconds("correlation", "episode_min_s", "Episode evidence: only episodes at least this long...",
                        [](Config& c) -> double& { return c.correlation.episode_min_s; }));
    k.push_back(Unit("correlation", "episode_max_share", "... and lasting at most this share of the window...",
                     [](Config& c) -> double& { return c.correlation.episode_max_share; }));
    k.push_back(Seconds("correlation", "episode_slack_s", "... that start and stop within this many seconds...",
                        [](Config& c) -> double& { return c.correlation.episode_slack_s; }));
    k.push_back(Unit("correlation", "episode_slack_share", "... together at most this share of their joint length.",
                     [](Config& c) -> double& { return c.correlation.episode_slack_share; }));
    k.push_back(Seconds("correlation", "startup_s",
                        "Entries this soon after an instance's first entry are start-up noise for timing.",
                        [](Config& c) -> double& { return c.correlation.startup_s; }));
    k.push_back(Unit("correlation", "startup_heavy",
                     "A group with more than this share of its app entries at start-up (a crash loop's) gives no timing evidence between groups.",
                     [](Config& c) -> double& { return c.correlation.startup_heavy; }));
    k.push_back(Seconds("correlation", "crash_max_life_s",
                        "Crash loop: instances that never served a request and lived less than this...",
                        [](Config& c) -> double& { return c.correlation.crash_max_life_s; }));
    k.push_back(Unit("correlation", "crash_share", "... hold at least this share of a crash template's entries.",
                     [](Config& c) -> double& { return c.correlation.crash_share; }));
    k.push_back(Flag("correlation", "crash_one_instance",
                     "... on two or more of them; a template seen on one of them only joins when its group "
                     "lives on those instances alone.",
                     [](Config& c) -> bool& { return c.correlation.crash_one_instance; }));
    k.push_back(Seconds("correlation", "crash_onset_s",
                        "Errors on the serving instances (some may be on the looping ones) that begin this close to "
                        "a crash loop's first entry, and end while it lasts, join it.",
                        [](Config& c) -> double& { return c.correlation.crash_onset_s; }));
    k.push_back(Seconds("correlation", "death_after_s",
                        "A platform error is an instance's death when nothing at the minimum severity follows it "
                        "there, and nothing at all more than this many seconds later.",
                        [](Config& c) -> double& { return c.correlation.death_after_s; }));
    k.push_back(Seconds("correlation", "death_window_s",
                        "Killed instances: entries this many seconds before the platform's error are the death...",
                        [](Config& c) -> double& { return c.correlation.death_window_s; }));
    k.push_back(Unit("correlation", "death_share", "... and a template with this share of its entries there joins it.",
                     [](Config& c) -> double& { return c.correlation.death_share; }));
    k.push_back(Seconds("correlation", "deploy_window_s",
                        "Deploy evidence: groups that began this soon after a new revision's first entry...",
                        [](Config& c) -> double& { return c.correlation.deploy_window_s; }));
    k.push_back(Count("correlation", "deploy_min_entries", "... with at least this many entries.",
                      [](Config& c) -> size_t& { return c.correlation.deploy_min_entries; }));
    k.push_back(Number("correlation", "deploy_trace_lift",
                       "... except two, both logged in requests, that share them no more than this many times as "
                       "often as chance: two things the deploy broke.",
                       [](Config& c) -> double& { return c.correlation.deploy_trace_lift; }));
    k.push_back(Count("correlation", "burst_min_clumps",
                      "Burst evidence: a group with at least this many clumps of lines (within timing_window_s of each other)...",
                      [](Config& c) -> size_t& { return c.correlation.burst_min_clumps; }));
    k.push_back(Count("correlation", "burst_max_entries", "... and at most this many entries...",
                      [](Config& c) -> size_t& { return c.correlation.burst_max_entries; }));
    k.push_back(Unit("correlation", "burst_hit",
                     "... with this share of its clumps inside the bursts of a more severe group...",
                     [](Config& c) -> double& { return c.correlation.burst_hit; }));
    k.push_back(Seconds("correlation", "burst_gap_s", "... (its lines chained while less than this far apart...",
                        [](Config& c) -> double& { return c.correlation.burst_gap_s; }));
    k.push_back(Number("correlation", "burst_min_lines", "... this many to a burst on average...",
                       [](Config& c) -> double& { return c.correlation.burst_min_lines; }));
    k.push_back(Unit("correlation", "burst_max_cover", "... filling at most this share of the window)...",
                     [](Config& c) -> double& { return c.correlation.burst_max_cover; }));
    k.push_back(Unit("correlation", "burst_chance",
                     "... joins it when so many landing there by chance has at most this probability...",
                     [](Config& c) -> double& { return c.correlation.burst_chance; }));
    k.push_back(Number("correlation", "burst_ahead", "... and this many times less than in any other group's.",
                       [](Config& c) -> double& { return c.correlation.burst_ahead; }));
    k.push_back(Unit("correlation", "majority_share",
                     "Request logs of one pattern placed by trace, death or crash loop: when more than this share "
                     "went to one incident, the rest left in a group of request logs alone follow them (1: off).",
                     [](Config& c) -> double& { return c.correlation.majority_share; }));
    k.push_back(Count("correlation", "quoted_error_words",
                      "Quoted-error evidence: a line quoting the message an exception raises elsewhere (with a "
                      "value in it and at least this many words, or with its class) joins the raiser (0: off).",
                      [](Config& c) -> size_t& { return c.correlation.quoted_error_words; }));
    k.push_back(Flag("correlation", "breaker_names",
                     "Breaker evidence: a circuit breaker no other evidence placed joins the one group whose "
                     "words include the most of its name's (`'llm_openai'`).",
                     [](Config& c) -> bool& { return c.correlation.breaker_names; }));
    k.push_back(Flag("correlation", "library_veto",
                     "Counter-evidence: groups that raise exceptions of different libraries only (`redis.…`, "
                     "`anthropic.…`) are not merged for firing together (timing, episodes, bursts, a deploy, instances).",
                     [](Config& c) -> bool& { return c.correlation.library_veto; }));
    k.push_back(Count("correlation", "stray_max_entries",
                      "Instance evidence: a group of at most this many entries, mostly logged after start-up...",
                      [](Config& c) -> size_t& { return c.correlation.stray_max_entries; }));
    k.push_back(Seconds("correlation", "stray_window_s",
                        "... whose entries come this close to another group's on the same instance...",
                        [](Config& c) -> double& { return c.correlation.stray_window_s; }));
    k.push_back(Unit("correlation", "stray_hit",
                     "... for at least this share of them...",
                     [](Config& c) -> double& { return c.correlation.stray_hit; }));
    k.push_back(Number("correlation", "stray_lift", "... this many times more often than chance...",
                       [](Config& c) -> double& { return c.correlation.stray_lift; }));
    k.push_back(Number("correlation", "stray_ahead",
                       "... and this many times more than the next group near as many of them, joins it.",
                       [](Config& c) -> double& { return c.correlation.stray_ahead; }));
    return k;
  }();
  return keys;
}

}  // namespace

StatusOr<Config> ParseConfig(std::string_view text, const std::string& path) {
  Config config;
  config.path = path;
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("{}: {}", Where(path, e.source()), e.description()));
  }
  Errors errors;
  for (auto&& [section_key, section_node] : root) {
    const std::string section(section_key.str());
    const toml::table* table = section_node.as_table();
    if ((section == "services" || section == "impact") && table) {
      auto& map = section == "services" ? config.service_aliases : config.service_impact;
      for (auto&& [key, node] : *table) {
        auto v = node.value<std::string>();
        if (!v) {
          errors.push_back(fmt::format("{}: [{}] {} must be a string", Where(path, node.source()), section, key.str()));
        } else {
          map[std::string(key.str())] = *v;
        }
      }
      continue;
    }
    bool known_section = false;
    for (const Key& k : Keys()) known_section |= k.section == section;
    if (!known_section || !table) {
      errors.push_back(fmt::format("{}: unknown {} '{}' (known tables: [run], [services], [impact], [scrub], "
                                   "[triage], [correlation])",
                                   Where(path, section_key.source()), table ? "table" : "key", section));
      continue;
    }
    for (auto&& [key, node] : *table) {
      const Key* def = nullptr;
      for (const Key& k : Keys()) {
        if (k.section == section && k.name == key.str()) def = &k;
      }
      if (!def) {
        errors.push_back(fmt::format("{}: unknown key '{}' in [{}] (`log-gardener config --example` lists them)",
                                     Where(path, key.source()), key.str(), section));
        continue;
      }
      if (!def->set(config, node)) {
        errors.push_back(fmt::format("{}: [{}] {} must be {}", Where(path, node.source()), section, key.str(),
                                     def->expected));
      }
    }
  }
  for (const auto& p : config.scrub_patterns) {
    re2::RE2 re(p, re2::RE2::Quiet);
    if (!re.ok()) errors.push_back(fmt::format("{}: [scrub] pattern '{}' is not a valid RE2 expression: {}", path, p, re.error()));
  }
  if (!config.run.min_severity.empty() && !ParseSeverity(config.run.min_severity)) {
    errors.push_back(fmt::format("{}: [run] min_severity '{}' is not a severity", path, config.run.min_severity));
  }
  if (config.triage.impact.size() != 4) {
    errors.push_back(fmt::format("{}: [triage] impact must list four strings, for P0, P1, P2 and P3", path));
  }
  if (!errors.empty()) {
    std::string msg;
    for (const auto& e : errors) msg += (msg.empty() ? "" : "\n") + e;
    return Status::InvalidArgument(msg);
  }
  return config;
}

StatusOr<Config> LoadConfig(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status().WithContext("--config");
  return ParseConfig(*text, path);
}

StatusOr<Config> FindConfig(const std::string& explicit_path) {
  if (!explicit_path.empty()) return LoadConfig(explicit_path);
  std::error_code ec;
  if (std::filesystem::is_regular_file("log-gardener.toml", ec)) return LoadConfig("log-gardener.toml");
  std::string dir;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    dir = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dir = std::string(home) + "/.config";
  }
  if (!dir.empty()) {
    const std::string user = dir + "/log-gardener/config.toml";
    if (std::filesystem::is_regular_file(user, ec)) return LoadConfig(user);
  }
  return Config{};
}

std::string ExampleConfig() {
  const Config defaults;
  std::string out =
      "# log-gardener configuration (TOML). Every key is optional and shown at its default.\n"
      "# Found as --config FILE, else ./log-gardener.toml, else ~/.config/log-gardener/config.toml.\n"
      "# Check a file with: log-gardener config validate FILE\n";
  std::string_view section;
  for (const Key& k : Keys()) {
    if (k.section != section) {
      section = k.section;
      if (section == "scrub") {
        out += "\n# Service aliases: --service backend means netra-backend-staging.\n[services]\n"
               "# backend = \"netra-backend-staging\"\n"
               "\n# Business impact per service, written into issues and the worklog.\n[impact]\n"
               "# \"netra-backend-staging\" = \"Chat and agents unavailable for every customer\"\n";
      }
      out += fmt::format("\n[{}]\n", section);
    }
    out += fmt::format("# {}\n{} = {}\n", k.doc, k.name, k.show(defaults));
  }
  return out;
}

}  // namespace lg
