// `log-gardener run`: one gardening pass.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <thread>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include <fmt/format.h>

#include "act/render.h"
#include "act/safe_text.h"
#include "cli/commands.h"
#include "cli/git_worklog.h"
#include "cli/specs.h"
#include "config/config.h"
#include "core/file_util.h"
#include "core/time.h"
#include "gcp/logging_source.h"
#include "gcp/query.h"
#include "pipeline/gardener.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/markdown_report.h"
#include "sources/file_source.h"

namespace lg::cli {
namespace {

struct RunFlags {
  std::vector<std::string> sources;
  std::vector<std::string> services;  // empty after Merge: {""}, every service
  std::string period;
  std::string since;
  std::string until;
  std::string now;
  std::string min_severity;  // empty: the config's, else WARNING
  std::string tracker;
  std::string state;
  bool dry_run = false;
  int max_new_issues = 10;
  std::string worklog_dir;
  std::string html_path;
  bool commit_worklog = false;
  bool push = false;
  std::string json_path;
  bool skip_bad_entries = false;
  unsigned threads = 0;
  std::string tz;
  std::string label;  // empty: the config's, else log-gardener
  std::string config;
  GitHubFlags github;
  std::string gcp_api = "https://logging.googleapis.com";
  std::string access_token_file;
  std::string filter;
  std::string overlap = "5m";
  std::string live_context = "signals";
  std::string worker;         // empty: host:pid
  int64_t lease_seconds = 900;
  bool quiet = false;
  // Set by watch: each service's window starts at its watermark under this
  // key prefix, and workers lease a service (not a window).
  std::string watch_prefix;
};

StatusOr<Window> ResolveWindow(const RunFlags& f, Timestamp now, std::string& period) {
  if (!f.period.empty() && (!f.since.empty() || !f.until.empty())) {
    return Status::InvalidArgument("give either --period or --since/--until, not both");
  }
  if (!f.since.empty() || !f.until.empty()) {
    if (f.since.empty()) return Status::InvalidArgument("--until needs --since");
    auto since = ParseTimeArg(f.since, now);
    if (!since.ok()) return since.status().WithContext("--since");
    Timestamp until = now;
    if (!f.until.empty()) {
      auto u = ParseTimeArg(f.until, now);
      if (!u.ok()) return u.status().WithContext("--until");
      until = *u;
    }
    if (!(*since < until)) {
      return Status::InvalidArgument(fmt::format("--since {} is not before --until {}",
                                                 FormatTimestamp(*since), FormatTimestamp(until)));
    }
    period = "custom";
    return Window{*since, until};
  }
  period = f.period.empty() ? "last 1 hour" : f.period;
  auto w = WindowFromPeriod(period, now);
  if (!w.ok()) return w.status().WithContext("--period");
  return w;
}

// "host:pid", this process as a worker.
std::string DefaultWorkerName() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return fmt::format("{}:{}", host, ::getpid());
}

// A worker known to be gone: a process of this machine that no longer runs.
// (Another machine's workers are only trusted to be gone once their lease or
// claim times out.)
bool HolderIsDead(std::string_view holder) {
  const size_t colon = holder.rfind(':');
  if (colon == std::string_view::npos) return false;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  if (holder.substr(0, colon) != host) return false;
  const long pid = std::strtol(std::string(holder.substr(colon + 1)).c_str(), nullptr, 10);
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  // Killed but not reaped (a zombie: its parent died too, and nobody waits
  // for it) is gone as well.
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && (text[paren + 2] == 'Z' || text[paren + 2] == 'X');
}

// "p1,p2" → {"p1", "p2"}.
std::vector<std::string> SplitProjects(const std::string& list) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    std::string p = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (!p.empty()) out.push_back(p);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

// What a pass did, for `watch`'s one line per pass.
struct PassSummary {
  Window window;  // the first service's
  size_t services = 0;  // gardened in this pass
  uint64_t selected = 0;
  size_t clusters = 0;
  int created = 0;
  int commented = 0;
};

// The flags over the config's defaults; a service alias resolved.
RunFlags Merge(const RunFlags& in, const Config& config) {
  RunFlags f = in;
  if (f.period.empty() && f.since.empty() && f.until.empty()) f.period = config.run.period;
  if (f.min_severity.empty()) f.min_severity = config.run.min_severity.empty() ? "WARNING" : config.run.min_severity;
  if (f.tracker.empty()) f.tracker = config.run.tracker;
  if (f.state.empty()) f.state = config.run.state;
  if (f.label.empty()) f.label = config.run.label.empty() ? "log-gardener" : config.run.label;
  if (f.services.empty()) f.services = config.run.services;
  std::vector<std::string> resolved;
  for (const std::string& service : f.services) {
    auto it = config.service_aliases.find(service);
    const std::string& name = it == config.service_aliases.end() ? service : it->second;
    if (std::find(resolved.begin(), resolved.end(), name) == resolved.end()) resolved.push_back(name);
  }
  if (resolved.empty() || (resolved.size() > 1 && std::find(resolved.begin(), resolved.end(), "") != resolved.end())) {
    resolved = {""};  // every service, in one pass
  }
  f.services = std::move(resolved);
  return f;
}

// One service's pass within a run.
struct ServicePass {
  std::string service;  // empty: every service
  RunOptions options;
  std::string latest_key;  // --period latest: the watermark's key
  std::string watch_key;   // watch: the watermark's key
  std::string lease_key;
};

// "report.json" and service "api" → "report-api.json" ({service} in the path
// is replaced instead, when present).
std::string PerServicePath(const std::string& path, const std::string& service) {
  if (size_t at = path.find("{service}"); at != std::string::npos) {
    return path.substr(0, at) + service + path.substr(at + 9);
  }
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "-" + service + p.extension().string())).string();
}

int Run(const RunFlags& in, PassSummary* summary = nullptr) {
  auto config = FindConfig(in.config);
  if (!config.ok()) return ReportError(config.status(), false);
  const RunFlags f = Merge(in, *config);
  SetExtraScrubPatterns(config->scrub_patterns);
  if (!f.tz.empty()) {
    ::setenv("TZ", f.tz.c_str(), 1);
    ::tzset();
  }
  const auto wall_start = std::chrono::steady_clock::now();
  std::unique_ptr<Clock> clock;
  if (!f.now.empty()) {
    auto now = ParseTimestamp(f.now);
    if (!now.ok()) return ReportError(Status::InvalidArgument(now.status().message()).WithContext("--now"), false);
    clock = std::make_unique<FixedClock>(*now);
  } else {
    clock = std::make_unique<SystemClock>();
  }

  RunOptions common;
  common.triage = config->triage;
  common.correlation = config->correlation;
  auto sev = ParseSeverity(f.min_severity);
  if (!sev) {
    return ReportError(Status::InvalidArgument(fmt::format(
                           "--min-severity {}: not a severity (DEFAULT, DEBUG, INFO, NOTICE, "
                           "WARNING, ERROR, CRITICAL, ALERT, EMERGENCY)",
                           f.min_severity)),
                       false);
  }
  common.min_severity = *sev;
  if (f.max_new_issues < 0) return ReportError(Status::InvalidArgument("--max-new-issues must be 0 or more"), false);
  common.act.dry_run = f.dry_run;
  common.act.max_new_issues = f.max_new_issues;
  common.act.label = f.label;
  if (f.sources.empty()) {
    return ReportError(Status::InvalidArgument(
                           "no --source given: pass --source file:PATH (a gcloud JSON export or "
                           "NDJSON), a bare path, or - for stdin"),
                       false);
  }
  const bool several = f.services.size() > 1;
  const bool latest = f.period == "latest";
  const bool watching = !f.watch_prefix.empty();
  std::unique_ptr<StateStore> state;
  if (latest || watching || !f.dry_run) {
    auto st = OpenState(f.state, f.tracker);
    if (!st.ok()) return ReportError(st.status(), false);
    state = std::move(*st);
  }

  // Each service's window. --period latest continues from the previous
  // latest run's watermark, with an overlap (late-arriving entries near the
  // edge are caught) whose already-counted entries are dropped by key:
  // nothing at an edge is missed or counted twice. watch continues from the
  // last pass's end.
  int64_t overlap_s = 0;
  if (latest) {
    if (!f.since.empty() || !f.until.empty()) {
      return ReportError(Status::InvalidArgument("--period latest chooses the window itself; drop --since/--until"),
                         false);
    }
    auto overlap = ParseDurationSeconds(f.overlap);
    if (!overlap.ok() || *overlap < 0) {
      return ReportError(Status::InvalidArgument(fmt::format("--overlap {}: give a duration such as 5m", f.overlap)),
                         false);
    }
    overlap_s = *overlap;
  }
  std::string source_list;
  for (const auto& src : f.sources) source_list += "|" + src;
  std::vector<ServicePass> passes;
  for (const std::string& service : f.services) {
    ServicePass pass;
    pass.service = service;
    RunOptions& options = pass.options;
    options = common;
    options.service = service;
    if (auto it = config->service_impact.find(service); it != config->service_impact.end()) {
      options.triage.service_impact = it->second;
    }
    if (latest) {
      pass.latest_key = "latest|" + service + source_list;
      auto mark = state->GetWatermark(pass.latest_key);
      if (!mark.ok()) return ReportError(mark.status(), false);
      const Timestamp now = clock->Now();
      Timestamp start = AddSeconds(now, -3600);  // the first latest run: the last hour
      if (*mark) {
        auto t = ParseTimestamp(**mark);
        if (!t.ok()) return ReportError(t.status().WithContext("the state's latest watermark"), false);
        if (now < *t) {
          return ReportError(Status::InvalidArgument(fmt::format(
                                 "--period latest: the clock ({}) is before the previous run's end ({})",
                                 FormatTimestamp(now), **mark)),
                             false);
        }
        start = AddSeconds(*t, -overlap_s);
        auto seen = state->GetEdgeKeys(pass.latest_key);
        if (!seen.ok()) return ReportError(seen.status(), false);
        options.already_seen.insert(seen->begin(), seen->end());
      }
      options.window = Window{start, now};
      options.edge_from = AddSeconds(now, -overlap_s);
      options.period = "latest";
    } else {
      auto window = ResolveWindow(f, clock->Now(), options.period);
      if (!window.ok()) return ReportError(window.status(), false);
      options.window = *window;
    }
    if (watching) {
      // The window starts at this service's last pass (the first pass looks
      // back one interval, as --since says).
      pass.watch_key = f.watch_prefix + service + source_list;
      auto mark = state->GetWatermark(pass.watch_key);
      if (!mark.ok()) return ReportError(mark.status(), false);
      if (*mark) {
        auto t = ParseTimestamp(**mark);
        if (t.ok()) options.window.start = *t;
      }
      if (!(options.window.start < options.window.end)) continue;  // nothing new for it yet
    }
    passes.push_back(std::move(pass));
  }
  if (summary) *summary = PassSummary{};
  if (passes.empty()) return kExitOk;  // watch: every service is up to date

  SourceOptions source_options;
  source_options.skip_bad_entries = f.skip_bad_entries;
  source_options.threads = f.threads;
  source_options.detail_from = common.min_severity;  // the rest is counted and correlated, never mined
  std::vector<std::unique_ptr<Source>> owned;
  std::vector<Source*> sources;
  std::shared_ptr<gcp::TokenSource> token;  // one for every gcp: source, asked once
  std::vector<gcp::GcpLoggingSource*> live;
  std::shared_ptr<const gcp::Query> file_query;  // --filter, for file sources
  for (const auto& spec : f.sources) {
    if (spec.starts_with("gcp:")) {
      if (several || watching) {
        return ReportError(Status::InvalidArgument(fmt::format(
                               "--source {}: a Cloud Logging source gardens one --service per run (its query is "
                               "scoped to it); run once per service",
                               spec)),
                           false);
      }
      if (!token) {
        gcp::CredentialOptions co;
        co.access_token_file = f.access_token_file;
        auto t = gcp::ResolveCredentials(co);
        if (!t.ok()) return ReportError(t.status(), false);
        token = std::move(*t);
        // Ask for the token now: rejected credentials end the run before
        // anything is read or written.
        if (auto first = token->Token(); !first.ok()) return ReportError(first.status(), false);
      }
      const RunOptions& options = passes.front().options;
      for (const auto& project : SplitProjects(spec.substr(4))) {
        gcp::LoggingOptions lo;
        lo.project = project;
        lo.api = f.gcp_api;
        lo.scope = {options.service, options.window, options.min_severity, f.filter};
        lo.context = f.live_context == "none" ? gcp::LiveContext::kNone : gcp::LiveContext::kSignals;
        auto source = std::make_unique<gcp::GcpLoggingSource>(lo, token, source_options);
        live.push_back(source.get());
        sources.push_back(source.get());
        owned.push_back(std::move(source));
      }
      continue;
    }
    auto s = MakeSource(spec, source_options);
    if (!s.ok()) return ReportError(s.status(), false);
    if (!f.filter.empty()) {
      // Cloud Logging evaluates --filter for gcp: sources; for files, the same
      // query language is evaluated here, so both paths agree.
      if (!file_query) {
        auto q = gcp::Query::Parse(f.filter);
        if (!q.ok()) return ReportError(q.status().WithContext("--filter"), false);
        file_query = std::make_shared<const gcp::Query>(std::move(*q));
      }
      *s = std::make_unique<gcp::FilteredSource>(std::move(*s), file_query);
    }
    sources.push_back(s->get());
    owned.push_back(std::move(*s));
  }
  for (ServicePass& pass : passes) pass.options.in_scope_known = live.empty();
  auto tracker = OpenTracker(f.tracker, *clock, f.github);
  if (!tracker.ok()) return ReportError(tracker.status(), false);

  // Workers sharing a state store: one gardens a (service, window) at a time
  // (under watch, a service at a time: each continues from the service's
  // watermark). A lease is released when the pass ends, and expires if the
  // worker dies (at once for a dead process on this machine). Services
  // another worker holds are left to it.
  const std::string worker = f.worker.empty() ? DefaultWorkerName() : f.worker;
  struct LeaseGuard {
    StateStore* state = nullptr;
    std::string key, holder;
    LeaseGuard(StateStore* s, std::string k, std::string h) : state(s), key(std::move(k)), holder(std::move(h)) {}
    LeaseGuard(const LeaseGuard&) = delete;
    LeaseGuard& operator=(const LeaseGuard&) = delete;
    ~LeaseGuard() {
      if (state && !key.empty()) (void)state->ReleaseLease(key, holder);
    }
  };
  std::vector<std::unique_ptr<LeaseGuard>> leases;
  if (!f.dry_run) {
    std::vector<ServicePass> granted;
    for (ServicePass& pass : passes) {
      pass.options.act.worker = worker;
      pass.options.act.holder_is_dead = HolderIsDead;
      pass.lease_key = watching ? "watch-lease|" + pass.watch_key
                                : fmt::format("run|{}|{}", pass.service, WindowText(pass.options.window));
      auto leased = state->TryLease(pass.lease_key, worker, f.lease_seconds);
      if (leased.ok() && !leased->granted && HolderIsDead(leased->holder)) {
        leased = state->TryLease(pass.lease_key, worker, f.lease_seconds, leased->holder);  // it crashed: take over
      }
      if (!leased.ok()) return ReportError(leased.status(), false);
      if (!leased->granted) {
        if (!f.quiet || !watching) {
          std::cerr << fmt::format("log-gardener: {} {} is being gardened by worker {}; left to it\n",
                                   pass.service.empty() ? "every service" : pass.service,
                                   WindowText(pass.options.window), leased->holder);
        }
        continue;
      }
      leases.push_back(std::make_unique<LeaseGuard>(state.get(), pass.lease_key, worker));
      granted.push_back(std::move(pass));
    }
    passes = std::move(granted);
  } else {
    for (ServicePass& pass : passes) pass.options.act.holder_is_dead = HolderIsDead;
  }
  if (passes.empty()) return kExitOk;  // every service is held by another worker

  // A progress line on a terminal (stderr), at most four times a second.
  const bool progress = !f.quiet && ::isatty(2);
  auto last_draw = std::chrono::steady_clock::now();
  if (progress) {
    passes.front().options.progress = [&](uint64_t entries, uint64_t bytes) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_draw < std::chrono::milliseconds(250)) return;
      last_draw = now;
      const double secs = std::chrono::duration<double>(now - wall_start).count();
      uint64_t pages = 0;
      for (const auto* l : live) pages += l->pages();
      if (!live.empty()) {
        std::cerr << fmt::format("\r  reading Cloud Logging: {} entries, {} pages, {:.0f} entries/s, {:.1f} s   ",
                                 entries, pages, secs > 0 ? entries / secs : 0.0, secs)
                  << std::flush;
        return;
      }
      std::cerr << fmt::format("\r  reading: {} entries, {:.1f} MB, {:.1f} MB/s, {:.1f} s   ", entries, bytes / 1e6,
                               secs > 0 ? bytes / 1e6 / secs : 0.0, secs)
                << std::flush;
    };
  }

  std::vector<RunOptions> pass_options;
  for (const ServicePass& pass : passes) pass_options.push_back(pass.options);
  auto result = RunPasses(pass_options, sources, **tracker, f.dry_run ? nullptr : state.get(), *clock);
  if (progress) std::cerr << "\r\033[K" << std::flush;
  if (!result.ok()) return ReportError(result.status(), true);
  std::vector<RunOutput>& outs = *result;
  const double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  for (RunOutput& out : outs) out.report.duration_seconds = duration;

  if (summary) {
    summary->window = outs.front().report.window;
    summary->services = outs.size();
    for (const RunOutput& out : outs) {
      summary->selected += out.report.totals.selected;
      summary->clusters += out.report.clusters.size();
      summary->created += out.report.created + out.report.regressions;
      summary->commented += out.report.commented;
    }
  }

  // Reports: all or nothing, for every service. With several services each
  // gets its own files (the service in the name).
  StagedFiles files;
  std::vector<std::string> worklog_paths(outs.size()), json_paths(outs.size()), html_paths(outs.size()),
      jsons(outs.size());
  for (size_t k = 0; k < outs.size(); ++k) {
    const RunOutput& out = outs[k];
    const std::string& service = passes[k].service;
    if (!f.worklog_dir.empty()) {
      std::string name = WorklogFileName(out.report);
      if (several) name = PerServicePath(name, service);
      worklog_paths[k] = (std::filesystem::path(f.worklog_dir) / name).string();
      Status s = files.Stage(worklog_paths[k], RenderWorklog(out.report, out.templates, out.stats));
      if (!s.ok()) return ReportError(s, false);
    }
    if (!f.html_path.empty()) {
      html_paths[k] = several ? PerServicePath(f.html_path, service) : f.html_path;
      Status s = files.Stage(html_paths[k], RenderHtmlReport(out.report, out.templates));
      if (!s.ok()) return ReportError(s, false);
    }
    if (!f.json_path.empty()) {
      jsons[k] = RenderJsonReport(out.report, out.templates, out.stats);
      if (f.json_path != "-") {
        json_paths[k] = several ? PerServicePath(f.json_path, service) : f.json_path;
        Status s = files.Stage(json_paths[k], jsons[k]);
        if (!s.ok()) return ReportError(s, false);
      }
    }
  }
  if (Status s = files.Commit(); !s.ok()) return ReportError(s, false);

  int exit_code = kExitOk;
  std::ostream& human = f.json_path == "-" ? std::cerr : std::cout;
  for (size_t k = 0; k < outs.size(); ++k) {
    const RunOutput& out = outs[k];
    const ServicePass& pass = passes[k];
    if (f.commit_worklog && !worklog_paths[k].empty() && !f.dry_run) {
      const std::string warning = CommitWorklog(
          worklog_paths[k],
          fmt::format("log-gardener worklog: {} {}", out.report.service.empty() ? "all services" : out.report.service,
                      WindowText(out.report.window)),
          f.push);
      if (!warning.empty()) std::cerr << "log-gardener: warning: " << warning << "\n";
    }
    if (f.json_path == "-") std::cout << jsons[k] << std::flush;
    if (!f.quiet) {
      const bool color = ::isatty(f.json_path == "-" ? 2 : 1) && std::getenv("NO_COLOR") == nullptr;
      human << RenderSummary(out.report, color);
      if (!worklog_paths[k].empty()) human << "  worklog: " << worklog_paths[k] << "\n";
      if (!json_paths[k].empty()) human << "  json report: " << json_paths[k] << "\n";
      if (!html_paths[k].empty()) human << "  html report: " << html_paths[k] << "\n";
      human << "  tracker: " << out.report.tracker << "\n";
      for (const auto* l : live) human << "  " << l->Summary() << "\n";
    }
    if (!out.act_status.ok()) {
      ReportError(out.act_status.WithContext(fmt::format(
                      "{}: acting on the tracker failed part-way (the report shows what was done; rerun to finish)",
                      pass.service.empty() ? "every service" : pass.service)),
                  false);
      exit_code = kExitFailed;  // its watermark stays: the next pass redoes this window
      continue;
    }
    if (f.dry_run) continue;
    if (latest) {
      Status s = state->SetWatermarkAndEdge(pass.latest_key, FormatTimestamp(pass.options.window.end), out.edge_keys);
      if (!s.ok()) return ReportError(s.WithContext("saving the latest watermark"), false);
    }
    if (watching) {  // before the lease is released: the next holder starts here
      Status s = state->SetWatermark(pass.watch_key, FormatTimestamp(pass.options.window.end));
      if (!s.ok()) return ReportError(s.WithContext("saving the watch watermark"), false);
    }
  }
  return exit_code;
}

// The options `run` and `watch` share.
void AddRunOptions(CLI::App* cmd, RunFlags& f) {
  cmd->add_option("--source", f.sources,
                  "Where entries come from: file:PATH, a bare PATH, or - (stdin). The format "
                  "(gcloud JSON array or NDJSON) is detected. Repeatable.")
      ->type_name("SPEC");
  cmd->add_option("--service", f.services,
                  "Only this service (resource.labels.service_name, or function_name, job_name, "
                  "module_id, container_name). Repeatable: each service gets its own pass, issues and "
                  "reports (the service added to report file names) from one read of the sources; "
                  "default: [run] services of the config, else every service in one pass");
  cmd->add_option("--period", f.period,
                  "Window ending now: \"last 1 hour\", 90m, 1h30m, \"last 24 hours\", or latest "
                  "(from the previous latest run's end, with --overlap; default: last 1 hour)");
  cmd->add_option("--overlap", f.overlap,
                  "With --period latest: how far before the last run's end to look again for late "
                  "entries (default 5m); entries already counted are dropped");
  cmd->add_option("--since", f.since, "Window start: RFC 3339, now, or relative (-90m)");
  cmd->add_option("--until", f.until, "Window end, exclusive (default: now)");
  cmd->add_option("--now", f.now, "Pin the clock (RFC 3339) for reproducible runs");
  cmd->add_option("--min-severity", f.min_severity,
                  "Lowest severity clustered (default WARNING; NOTICE allowed)");
  cmd->add_option("--tracker", f.tracker,
                  "Issue tracker: local:PATH (SQLite, default local:.log-gardener/gardener.db)")
      ->type_name("SPEC");
  cmd->add_option("--state", f.state,
                  "State store: sqlite:PATH (default: the local tracker's file) or postgres://USER@HOST:PORT/DB "
                  "(shared by several workers)")
      ->type_name("SPEC");
  cmd->add_option("--worker", f.worker,
                  "This worker's name when several share a --state (default host:pid)");
  cmd->add_option("--lease-seconds", f.lease_seconds,
                  "How long a worker's hold on a (service, window) lasts if it dies (default 900)");
  cmd->add_flag("--dry-run", f.dry_run, "Print the plan; change neither tracker nor state");
  cmd->add_option("--max-new-issues", f.max_new_issues, "Most issues filed per run (default 10)");
  cmd->add_flag("--commit-worklog", f.commit_worklog,
                "Commit the worklog to the git repository that contains it (only that file)");
  cmd->add_flag("--push", f.push, "With --commit-worklog: push the commit (never forced; a rejection is a warning)");
  cmd->add_option("--html", f.html_path, "Write the HTML report (one self-contained page) here");
  cmd->add_option("--worklog", f.worklog_dir, "Write the Markdown worklog into this folder")
      ->type_name("DIR");
  cmd->add_option("--json", f.json_path,
                  "Write the JSON report here (- for stdout). With several services: one per service, "
                  "{service} in the path placing the name (else it is added before the extension); on "
                  "stdout one report after another")
      ->type_name("FILE");
  cmd->add_option("--threads", f.threads,
                  "Threads reading and decoding file input, this one included (default 0: one per core); the results do not depend on it");
  cmd->add_flag("--skip-bad-entries", f.skip_bad_entries,
                "Count and report undecodable entries instead of stopping (exit 3)");
  cmd->add_option("--tz", f.tz, "Time zone for local times in the worklog (e.g. Europe/Berlin)");
  cmd->add_option("--label", f.label, "Label put on filed issues (default log-gardener)");
  cmd->add_option("--gcp-logging-api", f.gcp_api, "Cloud Logging API base URL (tests; default https://logging.googleapis.com)");
  cmd->add_option("--access-token-file", f.access_token_file, "Google access token to use (else Application Default Credentials)");
  cmd->add_option("--live-context", f.live_context,
                  "gcp: sources: also fetch the entries below the minimum that carry correlation signals "
                  "(request, platform and audit logs): signals (default, the same clusters as the whole "
                  "export) or none (fewer reads)")
      ->check(CLI::IsMember({"signals", "none"}));
  cmd->add_option("--filter", f.filter, "Logging query language filter, ANDed with the scope (Cloud Logging evaluates it for gcp: sources, "
                  "the gardener for files)");
  cmd->add_option("--github-api", f.github.api, "GitHub API base URL (Enterprise, tests); default https://api.github.com");
  cmd->add_option("--github-token-file", f.github.token_file, "read the GitHub token from this file (else GITHUB_TOKEN)");
  cmd->add_option("--github-auth-scheme", f.github.auth_scheme, "Authorization scheme: Bearer (default) or token");
  cmd->add_option("--github-accept", f.github.accept, "Accept header (default application/vnd.github+json)");
  cmd->add_option("--config", f.config,
                  "TOML config (triage rules, correlation thresholds); default ./log-gardener.toml, then "
                  "~/.config/log-gardener/config.toml; see `log-gardener config --example`");
  cmd->add_flag("--quiet,-q", f.quiet, "Print nothing but errors");
}

volatile std::sig_atomic_t g_stop = 0;
void OnStopSignal(int) { g_stop = 1; }

// `watch`: passes on a schedule. Each pass gardens [watermark, now): the
// watermark (the last pass's end, kept in the state store per sources and
// service) makes windows meet exactly, so nothing between two passes is
// missed or counted twice; the first pass looks back one interval. SIGINT or
// SIGTERM lets the current pass finish, then stops.
int Watch(const RunFlags& flags, const std::string& every_text, int max_passes) {
  auto config = FindConfig(flags.config);
  if (!config.ok()) return ReportError(config.status(), false);
  RunFlags base = Merge(flags, *config);
  base.period = flags.period;  // watch sets the windows; a config period does not apply
  auto every = ParseDurationSeconds(every_text);
  if (!every.ok() || *every < 1) {
    return ReportError(Status::InvalidArgument(fmt::format("--every {}: give a duration of a second or more "
                                                           "(30s, 5m, 1h)", every_text)),
                       false);
  }
  if (!base.period.empty() || !base.since.empty() || !base.until.empty() || !base.now.empty()) {
    return ReportError(Status::InvalidArgument("watch chooses each pass's window itself (from the last pass's "
                                               "end); drop --period, --since, --until and --now"),
                       false);
  }
  if (base.sources.empty() || std::find(base.sources.begin(), base.sources.end(), "-") != base.sources.end()) {
    return ReportError(Status::InvalidArgument("watch needs --source files it can read again each pass (not -)"),
                       false);
  }
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  SystemClock clock;
  int passes = 0;
  const double interval = *every;
  while (!g_stop) {
    const auto tick = std::chrono::steady_clock::now();
    const Timestamp now = clock.Now();
    // Each service continues from its own watermark (Run reads it); a
    // service first seen looks back one interval.
    RunFlags f = base;
    f.watch_prefix = "watch|";
    f.since = FormatTimestamp(Timestamp{now.seconds - static_cast<int64_t>(interval), now.nanos});
    f.until = FormatTimestamp(now);
    f.quiet = true;
    PassSummary sum;
    const int code = Run(f, &sum);
    ++passes;
    if (code == kExitUsage || code == kExitBadInput) return code;
    if (sum.services == 0 && code == kExitOk) {
      std::cout << fmt::format("{} pass {}: nothing to garden (up to date, or held by other workers)\n",
                               FormatTimestamp(clock.Now()), passes)
                << std::flush;
    } else {
      std::cout << fmt::format("{} pass {}: {} → {}: {} entries, {} clusters, {} filed, {} updated{}{}\n",
                               FormatTimestamp(clock.Now()), passes, FormatTimestamp(sum.window.start),
                               FormatTimestamp(sum.window.end), sum.selected, sum.clusters, sum.created, sum.commented,
                               sum.services > 1 ? fmt::format(" ({} services)", sum.services) : "",
                               code == kExitOk ? "" : " (failed part-way; the next pass retries)")
                << std::flush;
    }
    if (max_passes > 0 && passes >= max_passes) break;
    // Sleep to the next tick, waking for a stop signal.
    const auto next = tick + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(interval));
    while (!g_stop && std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  std::cout << fmt::format("watch: stopped after {} passes; state kept\n", passes) << std::flush;
  return kExitOk;
}

}  // namespace

void RegisterWatch(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RunFlags>();
  auto every = std::make_shared<std::string>("1h");
  auto max_passes = std::make_shared<int>(0);
  CLI::App* cmd = app.add_subcommand("watch", "Gardening passes on a schedule, each continuing where the last ended");
  cmd->footer(
      "Examples:\n"
      "  log-gardener watch --every 1h --source logs.ndjson --service my-api --worklog worklogs/\n"
      "  log-gardener watch --every 5m --source export.json --tracker github:org/repo\n"
      "Stops on Ctrl-C or SIGTERM after the current pass; the next watch continues from the last pass.");
  AddRunOptions(cmd, *flags);
  cmd->add_option("--every", *every, "Time between passes (30s, 5m, 1h; default 1h)");
  cmd->add_option("--max-passes", *max_passes, "Stop after this many passes (default: until stopped)");
  cmd->callback([flags, every, max_passes, &exit_code] { exit_code = Watch(*flags, *every, *max_passes); });
}

void RegisterRun(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* run = app.add_subcommand("run", "One gardening pass over a window of log entries");
  run->footer(
      "Examples:\n"
      "  log-gardener run --source logs.json --service my-api --period \"last 1 hour\"\n"
      "  log-gardener run --source file:export.ndjson --since 2025-09-15T15:00:00Z \\\n"
      "      --until 2025-09-15T16:00:00Z --worklog worklogs/ --json result.json\n"
      "  gcloud logging read 'severity>=WARNING' --format=json | log-gardener run --source - --dry-run");
  AddRunOptions(run, *flags);
  run->callback([flags, &exit_code] { exit_code = Run(*flags); });
}

}  // namespace lg::cli
