// The configuration file (TOML): triage rules and correlation thresholds a
// team tunes without code. Every key, its default and its meaning are in one
// table (config.cc), which `log-gardener config --example` prints and the
// loader checks against: unknown keys and wrong types are errors naming
// file:line:column.
#ifndef LOG_GARDENER_CONFIG_CONFIG_H_
#define LOG_GARDENER_CONFIG_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "correlate/correlator.h"
#include "log_gardener/status.h"
#include "triage/triage.h"

namespace lg {

// Defaults for `run` and `watch` flags (empty: not set; a flag always wins).
struct RunDefaults {
  std::string period;
  std::string min_severity;
  std::string tracker;
  std::string state;
  std::string label;
  std::vector<std::string> services;  // gardened when no --service is given
};

struct Config {
  TriageRules triage;
  CorrelationOptions correlation;
  RunDefaults run;
  std::map<std::string, std::string> service_aliases;  // [services]: alias → service name
  std::map<std::string, std::string> service_impact;   // [impact]: service → business impact
  std::vector<std::string> scrub_patterns;             // [scrub] patterns: RE2, checked at load
  std::string path;  // the file it came from; empty for the built-in defaults
};

// Parses `text` (named `path` in messages). Errors: kInvalidArgument listing
// every problem as "path:line:column: what".
StatusOr<Config> ParseConfig(std::string_view text, const std::string& path);

// Reads and parses a config file. A missing or unreadable file is kIoError.
StatusOr<Config> LoadConfig(const std::string& path);

// `explicit_path` if given; else ./log-gardener.toml if it exists; else
// $XDG_CONFIG_HOME/log-gardener/config.toml (~/.config/...) if it exists;
// else the defaults.
StatusOr<Config> FindConfig(const std::string& explicit_path);

// A complete, valid config with every key at its default, each explained.
std::string ExampleConfig();

}  // namespace lg

#endif  // LOG_GARDENER_CONFIG_CONFIG_H_
