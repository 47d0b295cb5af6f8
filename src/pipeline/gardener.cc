#include "pipeline/gardener.h"

#include <algorithm>
#include <unordered_set>

#include <xxhash.h>

#include <fmt/format.h>

#include "correlate/correlator.h"
#include "mine/template_miner.h"

namespace lg {
namespace {

// Collects scoped entries into templates and compact per-entry records.
class Collector {
 public:
  Collector(const RunOptions& options, Totals& totals) : options_(options), totals_(totals) {}

  Status Visit(const SourcedEntry& s) {
    const LogEntry& e = s.entry;
    if (!options_.service.empty() && ServiceOf(e) != options_.service) return Status::Ok();
    if (!e.timestamp || !options_.window.Contains(*e.timestamp)) return Status::Ok();
    ++totals_.in_scope;
    ++totals_.by_severity[SeverityIndex(e.severity)];
    if (e.severity < options_.min_severity) return Status::Ok();

    std::string id = e.insert_id;
    if (id.empty()) {
      // No insertId (seen in SIEM exports): derive one from the bytes.
      id = fmt::format("noid-{:016x}", XXH3_64bits(s.raw.data(), s.raw.size()));
    }
    key_buf_.assign(id);
    key_buf_.append(reinterpret_cast<const char*>(&e.timestamp->seconds), sizeof e.timestamp->seconds);
    key_buf_.append(reinterpret_cast<const char*>(&e.timestamp->nanos), sizeof e.timestamp->nanos);
    key_buf_.append(e.log_name);
    const uint64_t key = XXH3_64bits(key_buf_.data(), key_buf_.size());
    if (!seen_.insert(key).second) {
      ++totals_.duplicates_dropped;
      return Status::Ok();
    }
    ++totals_.selected;

    // Per shape here; shapes become templates in Finish().
    const uint32_t t = Mine(e);
    if (t >= stats_.size()) stats_.resize(t + 1);
    TemplateStats& st = stats_[t];
    const Timestamp ts = *e.timestamp;
    if (st.count == 0 || ts < st.first_seen) st.first_seen = ts;
    if (st.count == 0 || st.last_seen < ts) st.last_seen = ts;
    ++st.count;
    ++st.by_severity[SeverityIndex(e.severity)];
    st.max_severity = std::max(st.max_severity, e.severity);
    if (const std::string* rev = FindLabel(e.resource_labels, "revision_name")) st.revisions.insert(*rev);
    if (const std::string* inst = FindLabel(e.labels, "instanceId");
        inst && st.instances.size() < Occurrences::kMaxInstances) {
      st.instances.insert(*inst);
    }
    if (st.sample.Offer(ts, id)) {
      st.sample.set = true;
      st.sample.timestamp = ts;
      st.sample.insert_id = id;
      st.sample.raw_json.assign(s.raw);
    }
    refs_.push_back({std::move(id), ts, t});
    return Status::Ok();
  }

  // Places the shapes into templates (seeding them with the templates the
  // state remembers for the groups seen, so ids stay stable), then turns
  // per-shape statistics and entry references into per-template ones.
  Status Finish(StateStore* state, std::vector<Template>& templates, std::vector<TemplateStats>& stats) {
    if (state) {
      std::vector<std::string> names;
      for (const auto& [key, group] : groups_) names.push_back(miner_.GroupName(group));
      std::sort(names.begin(), names.end());
      auto known = state->LoadTemplates(names);
      if (!known.ok()) return known.status();
      for (const StoredTemplate& t : *known) miner_.Seed(miner_.Group(t.group), t.text, t.id);
    }
    miner_.Finish();
    std::vector<uint32_t> index(miner_.template_count(), TemplateMiner::kNone);
    for (uint32_t shape = 0; shape < stats_.size(); ++shape) {
      if (stats_[shape].count == 0) continue;
      const uint32_t t = miner_.TemplateOf(shape);
      if (index[t] == TemplateMiner::kNone) {
        index[t] = static_cast<uint32_t>(templates.size());
        Template out;
        out.index = index[t];
        out.text = miner_.Text(t);
        if (int status = status_of_group_[miner_.TemplateGroup(t)]; status >= 0) {
          fmt::format_to(std::back_inserter(out.text), " → {}", status);
        }
        out.log_id = log_id_of_group_[miner_.TemplateGroup(t)];
        out.group = miner_.GroupName(miner_.TemplateGroup(t));
        out.id = miner_.Id(t);
        templates.push_back(std::move(out));
        stats.emplace_back();
      }
      stats[index[t]].Merge(stats_[shape]);
    }
    for (EntryRef& r : refs_) r.template_index = index[miner_.TemplateOf(r.template_index)];
    stats_.clear();
    return Status::Ok();
  }

  // Templates to remember for the next run.
  std::vector<StoredTemplate> ToStore(const std::vector<Template>& templates,
                                      const std::vector<TemplateStats>& stats) const {
    std::vector<StoredTemplate> out;
    for (size_t i = 0; i < templates.size(); ++i) {
      out.push_back({templates[i].id, templates[i].group, templates[i].text, stats[i].count});
    }
    return out;
  }

  std::vector<EntryRef>& refs() { return refs_; }

 private:
  uint32_t Mine(const LogEntry& e) {
    GroupingInput in = GroupingText(e);
    std::string log_id = LogId(e.log_name);
    // Templates never cross a service, a log, or requests and messages.
    group_key_.assign(ServiceOf(e));
    group_key_ += '\x1f';
    group_key_ += log_id;
    if (in.request) fmt::format_to(std::back_inserter(group_key_), "\x1frequests {}", in.status);
    auto [it, inserted] = groups_.try_emplace(group_key_, 0);
    if (inserted) {
      it->second = miner_.Group(group_key_);
      if (log_id_of_group_.size() <= it->second) {
        log_id_of_group_.resize(it->second + 1);
        status_of_group_.resize(it->second + 1);
      }
      log_id_of_group_[it->second] = log_id;
      status_of_group_[it->second] = in.request ? in.status : -1;
    }
    return miner_.Add(it->second, in.text);
  }

  const RunOptions& options_;
  Totals& totals_;
  TemplateMiner miner_{DeferredMining()};
  std::unordered_map<std::string, uint32_t> groups_;  // group key → miner group
  std::vector<std::string> log_id_of_group_;
  std::vector<int> status_of_group_;  // -1: not a request group
  std::string group_key_;
  std::vector<TemplateStats> stats_;  // per shape until Finish()
  std::vector<EntryRef> refs_;
  std::unordered_set<uint64_t> seen_;  // duplicate detection, 8 bytes an entry
  std::string key_buf_;

  static MinerOptions DeferredMining() {
    MinerOptions o;
    o.deferred = true;  // the result must not depend on input order
    o.mask = ServiceLogMaskOptions();
    return o;
  }
};

void Summarize(Cluster& c, const std::vector<TemplateStats>& stats) {
  for (uint32_t t : c.templates) c.Merge(stats[t]);
}

}  // namespace

StatusOr<RunOutput> RunPass(const RunOptions& options, const std::vector<Source*>& sources,
                            Tracker& tracker, StateStore* state, Clock& clock) {
  RunOutput out;
  RunReport& report = out.report;
  report.started_at = clock.Now();
  report.service = options.service;
  report.window = options.window;
  report.period = options.period;
  report.min_severity = options.min_severity;
  report.tracker = tracker.Describe();
  report.dry_run = options.act.dry_run;

  // Collect and mine.
  Collector collector(options, report.totals);
  for (Source* source : sources) {
    report.sources.push_back(source->Describe());
    LG_RETURN_IF_ERROR(source->Read([&](const SourcedEntry& s) { return collector.Visit(s); }));
    const SourceStats& ss = source->stats();
    report.totals.entries_read += ss.entries_read;
    report.totals.skipped_bad += ss.skipped;
    report.totals.skip_messages.insert(report.totals.skip_messages.end(), ss.skip_messages.begin(),
                                       ss.skip_messages.end());
  }
  if (Status s = collector.Finish(state, out.templates, out.stats); !s.ok()) return s;

  // Correlate, summarize, triage.
  std::vector<Cluster> clusters = CorrelateTemplates(out.templates, out.stats);
  for (Cluster& c : clusters) {
    std::sort(c.templates.begin(), c.templates.end(), [&](uint32_t a, uint32_t b) {
      if (out.stats[a].count != out.stats[b].count) return out.stats[a].count > out.stats[b].count;
      return out.templates[a].id < out.templates[b].id;
    });
    Summarize(c, out.stats);
    TriageCluster(c, out.templates, out.stats, options.triage);
  }
  std::sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.count != b.count) return a.count > b.count;
    return a.fingerprint < b.fingerprint;
  });
  std::vector<uint32_t> cluster_of(out.templates.size(), 0);
  for (size_t k = 0; k < clusters.size(); ++k) {
    clusters[k].id = fmt::format("c{}", k + 1);
    for (uint32_t t : clusters[k].templates) cluster_of[t] = static_cast<uint32_t>(k);
  }
  std::vector<EntryRef>& refs = collector.refs();
  std::sort(refs.begin(), refs.end(), [](const EntryRef& a, const EntryRef& b) {
    return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.insert_id < b.insert_id;
  });
  for (EntryRef& r : refs) clusters[cluster_of[r.template_index]].entry_ids.push_back(std::move(r.insert_id));
  refs.clear();
  refs.shrink_to_fit();

  // Match and act.
  RenderContext ctx{report.window, options.service, out.templates, out.stats};
  auto issues = tracker.ListIssues();
  if (!issues.ok()) {
    out.act_status = issues.status();
  } else {
    auto acted = PlanAndApply(clusters, ctx, *issues, tracker, state, options.act);
    if (!acted.ok()) {
      out.act_status = acted.status();
    } else {
      report.created = acted->created;
      report.regressions = acted->regressions;
      report.commented = acted->commented;
      report.already_done = acted->already_done;
      report.deferred = acted->deferred;
    }
  }
  report.clusters = std::move(clusters);
  if (state && !options.act.dry_run && out.act_status.ok()) {
    if (Status s = state->SaveTemplates(collector.ToStore(out.templates, out.stats)); !s.ok()) {
      out.act_status = s;
    }
  }
  if (state && !options.act.dry_run && out.act_status.ok()) {
    Status s = state->RecordRun({FormatTimestamp(report.started_at), options.service,
                                 FormatTimestamp(report.window.start),
                                 FormatTimestamp(report.window.end), report.totals.entries_read,
                                 report.clusters.size(),
                                 static_cast<uint64_t>(report.created + report.regressions),
                                 static_cast<uint64_t>(report.commented)});
    if (!s.ok()) out.act_status = s;
  }
  report.duration_seconds = SecondsBetween(report.started_at, clock.Now());
  return out;
}

}  // namespace lg
