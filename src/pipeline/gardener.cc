#include "pipeline/gardener.h"

#include <algorithm>
#include <unordered_set>

#include <xxhash.h>

#include <fmt/format.h>

#include "correlate/correlator.h"

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

    uint32_t t = grouper_.Assign(e);
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

  std::vector<Template> TakeTemplates() {
    std::vector<Template> out;
    out.reserve(grouper_.size());
    for (size_t i = 0; i < grouper_.size(); ++i) out.push_back(grouper_.Get(static_cast<uint32_t>(i)));
    return out;
  }
  std::vector<TemplateStats>& stats() { return stats_; }
  std::vector<EntryRef>& refs() { return refs_; }

 private:
  const RunOptions& options_;
  Totals& totals_;
  MaskGrouper grouper_;
  std::vector<TemplateStats> stats_;
  std::vector<EntryRef> refs_;
  std::unordered_set<uint64_t> seen_;  // duplicate detection, 8 bytes an entry
  std::string key_buf_;
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
  out.templates = collector.TakeTemplates();
  out.stats = std::move(collector.stats());
  out.stats.resize(out.templates.size());

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
