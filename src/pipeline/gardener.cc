#include "pipeline/gardener.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <xxhash.h>

#include <fmt/format.h>

#include "act/safe_text.h"
#include "core/hash_set.h"
#include "correlate/correlator.h"
#include "decode/entry_decoder.h"
#include "mine/stack_trace.h"
#include "mine/template_miner.h"

namespace lg {
namespace {

// Dense ids for strings (traces, instances, ...); 0 is the empty string.
// Looked up by string_view: no string is built for a name already known
// (this runs for every entry).
struct Interner {
  absl::flat_hash_map<std::string, uint32_t> ids;
  std::vector<std::string> names{std::string()};
  uint32_t Id(std::string_view s) {
    if (s.empty()) return 0;
    // (Debian builds absl with its own string_view type.)
    if (auto it = ids.find(absl::string_view(s.data(), s.size())); it != ids.end()) return it->second;
    const auto id = static_cast<uint32_t>(names.size());
    ids.emplace(std::string(s), id);
    names.emplace_back(s);
    return id;
  }
};

// Dense ids for strings whose text is never needed again (traces, client
// addresses: only "the same one" matters), by their 64-bit hash: no copy of
// each of a run's hundreds of thousands of trace names. Two names sharing a
// hash (about 1e-9 for a million names) would share an id.
struct IdOnlyInterner {
  absl::flat_hash_map<uint64_t, uint32_t> ids;
  uint32_t Id(std::string_view s) {
    if (s.empty()) return 0;
    auto [it, inserted] = ids.try_emplace(XXH3_64bits(s.data(), s.size()), static_cast<uint32_t>(ids.size() + 1));
    return it->second;
  }
};

// Whether a pass takes the entry at all: its service, inside its window.
bool InScope(const RunOptions& options, const LogEntry& e) {
  if (!options.service.empty() && ServiceOf(e) != options.service) return false;
  return e.timestamp && options.window.Contains(*e.timestamp);
}

// The entry's insertId, or for an entry without one (seen in SIEM exports)
// one derived from its bytes, kept in `scratch`.
std::string_view EntryId(const LogEntry& e, std::string_view raw, std::string& scratch) {
  if (!e.insert_id.empty()) return e.insert_id;
  scratch.clear();
  fmt::format_to(std::back_inserter(scratch), "noid-{:016x}", XXH3_64bits(raw.data(), raw.size()));
  return scratch;
}

// The same entry twice (overlapping exports, a retried page) has the same key;
// the state keeps keys across runs, so this must not change.
uint64_t DuplicateKey(const LogEntry& e, std::string_view raw) {
  thread_local std::string noid, key;
  key.assign(EntryId(e, raw, noid));
  key.append(reinterpret_cast<const char*>(&e.timestamp->seconds), sizeof e.timestamp->seconds);
  key.append(reinterpret_cast<const char*>(&e.timestamp->nanos), sizeof e.timestamp->nanos);
  key.append(e.log_name);
  return XXH3_64bits(key.data(), key.size());
}

// What the collector counts every in-scope entry by, worked out on the
// thread that decoded it (RunPasses' preparer; kept in EntryNote::As), so the
// ordered thread reads these few bytes instead of the entry itself, which
// another core wrote. Names are hashed: the collector interns them by hash
// and reads the name only the first time.
struct EntrySignals {
  int64_t seconds = 0;  // the timestamp
  int32_t nanos = 0;
  int32_t http_status = -1;  // -1: no httpRequest
  uint64_t instance_hash = 0, revision_hash = 0;  // labels.instanceId, resource revision_name
  Severity severity = Severity::kDefault;
  bool has_instance = false, has_revision = false;
};

uint64_t NameHash(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

// Fills `note` for `options`' pass: whether it takes the entry, its
// duplicate key and signals.
void PrepareFor(const RunOptions& options, const LogEntry& e, std::string_view raw, EntryNote& note) {
  note.set = true;
  note.keep = InScope(options, e);
  note.entry_needed = note.keep && e.severity >= options.min_severity;  // (see Collector::Visit)
  if (!note.keep) return;
  note.key = DuplicateKey(e, raw);
  EntrySignals& sig = note.As<EntrySignals>();
  sig.seconds = e.timestamp->seconds;
  sig.nanos = e.timestamp->nanos;
  sig.http_status = e.http_request ? e.http_request->status : -1;
  sig.severity = e.severity;
  // An empty name is no name: such entries share id 0 with unlabelled ones.
  if (const std::string* inst = FindLabel(e.labels, "instanceId"); inst && !inst->empty()) {
    sig.has_instance = true;
    sig.instance_hash = NameHash(*inst);
  }
  if (const std::string* rev = FindLabel(e.resource_labels, "revision_name"); rev && !rev->empty()) {
    sig.has_revision = true;
    sig.revision_hash = NameHash(*rev);
  }
}

// Dense ids for names by their hash (see EntrySignals); 0 is "none". The
// name is copied once, when its id is made. Two names sharing a 64-bit hash
// (about 1e-9 for a million names) would share an id.
struct HashedInterner {
  absl::flat_hash_map<uint64_t, uint32_t> ids;
  std::vector<std::string> names{std::string()};
  // `name` is called only for a hash not seen before.
  template <typename NameFn>
  uint32_t Id(uint64_t hash, NameFn name) {
    auto [it, inserted] = ids.try_emplace(hash, static_cast<uint32_t>(names.size()));
    if (inserted) names.emplace_back(name());
    return it->second;
  }
};

// Collects scoped entries into templates and compact per-entry records.
class Collector {
 public:
  Collector(const RunOptions& options, Totals& totals) : options_(options), totals_(totals) {}

  // `s.note`, when set, is RunPasses' preparer's (PrepareFor): the scope
  // test, duplicate key and signals already worked out on the decoding
  // thread. Below the minimum severity the entry itself is not read.
  Status Visit(const SourcedEntry& s) {
    EntryNote local;
    if (!s.note.set) PrepareFor(options_, s.entry, s.raw, local);
    const EntryNote& note = s.note.set ? s.note : local;
    if (!note.keep) return Status::Ok();
    const uint64_t key = note.key;
    const EntrySignals& sig = note.As<EntrySignals>();
    // The same entry twice (overlapping exports, a retried page) counts once.
    if (!seen_.Insert(key)) {
      ++totals_.duplicates_dropped;
      return Status::Ok();
    }
    // Context entries are not counted, so never "already counted" either:
    // each run gets its overlap's signals whole.
    if (!s.context_only && options_.already_seen.contains(key)) {
      ++totals_.already_seen;
      return Status::Ok();
    }
    const Timestamp ts{sig.seconds, sig.nanos};
    if (!s.context_only && options_.edge_from && !(ts < *options_.edge_from)) edge_keys_.push_back(key);
    if (!s.context_only) {
      ++totals_.in_scope;
      ++totals_.by_severity[SeverityIndex(sig.severity)];
    }
    const double t = static_cast<double>(ts.seconds) + ts.nanos * 1e-9;
    // Instance lifetimes and revision births are measured on every entry.
    uint32_t instance = 0, revision = 0;
    if (sig.has_instance) {
      instance = instances_.Id(sig.instance_hash, [&] { return *FindLabel(Whole(s).labels, "instanceId"); });
      if (instance >= instance_facts_.size()) instance_facts_.push_back({t, t, 0});
      InstanceFacts& f = instance_facts_[instance];
      f.first = std::min(f.first, t);
      f.last = std::max(f.last, t);
      if (sig.http_status >= 100 && sig.http_status < 400) ++f.ok_requests;
    }
    if (sig.http_status >= 0) ++requests_per_minute_[ts.seconds / 60];
    if (sig.has_revision) {
      revision = revisions_.Id(sig.revision_hash, [&] { return *FindLabel(Whole(s).resource_labels, "revision_name"); });
      if (revision >= revision_first_.size()) revision_first_.push_back(t);
      revision_first_[revision] = std::min(revision_first_[revision], t);
    }
    if (sig.severity < options_.min_severity || s.context_only) return Status::Ok();

    const LogEntry& e = s.entry;
    ++totals_.selected;
    const std::string_view id = EntryId(e, s.raw, noid_);

    // Per shape here; shapes become templates in Finish().
    const uint32_t shape = Mine(e);
    if (shape >= stats_.size()) stats_.resize(shape + 1);
    TemplateStats& st = stats_[shape];
    if (st.count == 0 || ts < st.first_seen) st.first_seen = ts;
    if (st.count == 0 || st.last_seen < ts) st.last_seen = ts;
    if (st.count == 0 && MayHoldStackTrace(e.message)) {
      if (auto trace = ParseStackTrace(e.message)) {
        const StackFrame* top = trace->TopAppFrame();
        st.stack = StackSummary{trace->language, trace->exception_type, trace->message.substr(0, 300),
                                top ? top->function : "", top ? top->file : "", trace->FingerprintText(),
                                trace->fingerprint};
      }
    }
    for (const auto& g : e.error_groups) {
      if (st.error_groups.size() < TemplateStats::kMaxErrorGroups) st.error_groups.insert(g);
    }
    ++st.count;
    ++st.by_severity[SeverityIndex(e.severity)];
    st.max_severity = std::max(st.max_severity, e.severity);
    if (revision) st.revisions.insert(revisions_.names[revision]);
    if (instance && st.instances.size() < Occurrences::kMaxInstances) st.instances.insert(instances_.names[instance]);
    if (st.sample.Offer(ts, id)) {
      st.sample.set = true;
      st.sample.timestamp = ts;
      st.sample.insert_id = id;
      st.sample.raw_json.assign(s.raw);
    }
    refs_.push_back({std::string(id), ts, shape});
    EntryFacts f;
    f.tmpl = shape;  // a shape until Finish()
    f.t = static_cast<double>(ts.seconds) + ts.nanos * 1e-9;
    f.trace = traces_.Id(e.trace);
    f.instance = instance;
    f.revision = revision;
    f.severity = e.severity;
    if (e.http_request) {
      f.request = true;
      f.status = e.http_request->status;
      f.client = clients_.Id(e.http_request->remote_ip);
    }
    f.platform = LogId(e.log_name) == "run.googleapis.com/varlog/system";
    if (!e.logger.empty()) {
      f.logger = loggers_.Id(e.logger);
    } else if (e.source_location && !e.source_location->file.empty()) {
      f.logger = loggers_.Id(e.source_location->file);  // Go and others: the file is the logger
    }
    facts_.push_back(f);
    return Status::Ok();
  }

  // Readies the duplicate check of an entry visited soon (SourcedEntry::ahead).
  void Prefetch(uint64_t key) const { seen_.Prefetch(key); }

  // The entry itself. A source may hand over an empty one when the preparer
  // said it is not needed (an entry below the minimum severity: only its
  // note is counted); the rare reads of such an entry (the name of an
  // instance or revision seen for the first time) decode its text again.
  const LogEntry& Whole(const SourcedEntry& s) {
    if (!s.entry_dropped) return s.entry;
    if (Status st = redecoder_.Decode(s.raw, redecoded_); !st.ok()) {
      // The same bytes were decoded once already: a broken invariant, not bad input.
      fmt::print(stderr, "log-gardener: internal error: an entry decoded once fails again: {}\n", st.message());
      std::abort();
    }
    return redecoded_;
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
    std::vector<uint64_t> stack_count(miner_.template_count(), 0);
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
      TemplateStats& to = stats[index[t]];
      TemplateStats& from = stats_[shape];
      // The stack of the template's most frequent traceback shape.
      if (from.stack && (!to.stack || from.count > stack_count[index[t]])) {
        to.stack = from.stack;
        stack_count[index[t]] = from.count;
      }
      for (const auto& g : from.error_groups) {
        if (to.error_groups.size() < TemplateStats::kMaxErrorGroups) to.error_groups.insert(g);
      }
      to.Merge(from);
    }
    // Template indices in id order: nothing downstream depends on input order.
    std::vector<uint32_t> order(templates.size());
    for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return templates[a].id < templates[b].id; });
    std::vector<uint32_t> rank(order.size());
    std::vector<Template> sorted_t;
    std::vector<TemplateStats> sorted_s;
    for (uint32_t k = 0; k < order.size(); ++k) {
      rank[order[k]] = k;
      sorted_t.push_back(std::move(templates[order[k]]));
      sorted_t.back().index = k;
      sorted_s.push_back(std::move(stats[order[k]]));
    }
    templates = std::move(sorted_t);
    stats = std::move(sorted_s);
    for (size_t i = 0; i < refs_.size(); ++i) {
      refs_[i].template_index = rank[index[miner_.TemplateOf(refs_[i].template_index)]];
      facts_[i].tmpl = refs_[i].template_index;
    }
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

  // What correlation needs, after Finish().
  CorrelationInput TakeCorrelationInput(const std::vector<Template>& templates) {
    CorrelationInput in;
    for (const Template& t : templates) in.template_texts.push_back(t.text);
    in.entries = std::move(facts_);
    in.instances = std::move(instance_facts_);
    in.revision_first = std::move(revision_first_);
    in.revision_names = revisions_.names;
    in.logger_names = loggers_.names;
    return in;
  }
  const std::vector<std::string>& instance_names() const { return instances_.names; }
  // In-scope request logs per minute (epoch minute → count), any status.
  const std::map<int64_t, uint64_t>& requests_per_minute() const { return requests_per_minute_; }

  std::vector<uint64_t> TakeEdgeKeys() {
    std::sort(edge_keys_.begin(), edge_keys_.end());
    return std::move(edge_keys_);
  }

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
  HashKeySet seen_;  // duplicate detection, 11-21 bytes an entry
  std::vector<uint64_t> edge_keys_;
  std::vector<EntryFacts> facts_;      // aligned with refs_
  IdOnlyInterner traces_, clients_;
  HashedInterner instances_, revisions_;
  Interner loggers_;
  std::string noid_;  // a derived insertId, reused
  EntryDecoder redecoder_;  // (see Whole)
  LogEntry redecoded_;
  std::vector<InstanceFacts> instance_facts_{InstanceFacts{}};  // id 0: none
  std::vector<double> revision_first_{0.0};
  std::map<int64_t, uint64_t> requests_per_minute_;

  static MinerOptions DeferredMining() {
    MinerOptions o;
    o.deferred = true;  // the result must not depend on input order
    o.mask = ServiceLogMaskOptions();
    return o;
  }
};

// One cluster per incident, summarized from its own entries: a template's
// entries may be split between incidents (a 503 belongs to the crash loop it
// fell in), so counts, times, revisions and instances are recounted.
// Takes the entries' insertIds out of `refs`.
std::vector<Cluster> BuildClusters(const CorrelationResult& cr, const CorrelationInput& cin,
                                   std::vector<EntryRef>& refs, const std::vector<Template>& templates,
                                   const std::vector<TemplateStats>& stats,
                                   const std::vector<std::string>& instance_names,
                                   const std::map<int64_t, uint64_t>& requests_per_minute,
                                   const Window& window, int64_t bin_seconds) {
  const int64_t bins = std::max<int64_t>(1, (window.end.seconds - window.start.seconds + bin_seconds - 1) / bin_seconds);
  std::vector<Cluster> clusters(cr.incident_count);
  std::vector<std::map<uint32_t, uint64_t>> per_template(cr.incident_count);
  // Entry ids by (timestamp, insertId), whatever the input order.
  std::vector<uint32_t> order(refs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const EntryRef &x = refs[a], &y = refs[b];
    return x.timestamp != y.timestamp ? x.timestamp < y.timestamp : x.insert_id < y.insert_id;
  });
  std::vector<uint32_t> sample_incident(templates.size(), UINT32_MAX);
  // (cluster, revision or instance id) pairs already named: names are
  // interned, so a new id is a new name (and string sets are not searched
  // for every entry).
  absl::flat_hash_set<uint64_t> named_revision, named_instance;
  auto pair = [](uint32_t k, uint32_t id) { return (static_cast<uint64_t>(k) << 32) | id; };
  for (uint32_t i : order) {
    EntryRef& r = refs[i];
    const EntryFacts& f = cin.entries[i];
    const uint32_t k = cr.incident_of_entry[i];
    Cluster& c = clusters[k];
    if (c.count == 0 || r.timestamp < c.first_seen) c.first_seen = r.timestamp;
    if (c.count == 0 || c.last_seen < r.timestamp) c.last_seen = r.timestamp;
    ++c.count;
    ++c.by_severity[SeverityIndex(f.severity)];
    c.max_severity = std::max(c.max_severity, f.severity);
    if (f.revision && named_revision.insert(pair(k, f.revision)).second) {
      c.revisions.insert(cin.revision_names[f.revision]);
    }
    if (f.instance && c.instances.size() < Occurrences::kMaxInstances && named_instance.insert(pair(k, f.instance)).second) {
      c.instances.insert(instance_names[f.instance]);
    }
    ++per_template[k][r.template_index];
    if (c.timeline.empty()) c.timeline.assign(static_cast<size_t>(bins), 0);
    const int64_t bin = (r.timestamp.seconds - window.start.seconds) / bin_seconds;
    if (bin >= 0 && bin < bins) ++c.timeline[static_cast<size_t>(bin)];
    if (f.request && (f.status >= 500 || f.status == 401 || f.status == 403)) ++c.failed_requests;
    if (stats[r.template_index].sample.set && r.insert_id == stats[r.template_index].sample.insert_id) {
      sample_incident[r.template_index] = k;
    }
    c.entry_ids.push_back(std::move(r.insert_id));  // refs are done with after this
  }
  // A template whose entries went to several clusters (a request log split
  // between a crash loop and a death) names none of them: each cluster's
  // fingerprint must be its own, or two incidents share one journal entry
  // and one issue.
  std::vector<uint32_t> clusters_of(templates.size(), 0);
  for (const auto& m : per_template) {
    for (const auto& [t, n] : m) ++clusters_of[t];
  }
  absl::flat_hash_set<std::string> fingerprints_used;
  for (uint32_t k = 0; k < clusters.size(); ++k) {
    Cluster& c = clusters[k];
    for (const auto& [t, n] : per_template[k]) {
      c.templates.push_back(t);
      c.template_counts.push_back(n);
    }
    // Templates by count in this cluster, then id.
    std::vector<size_t> idx(c.templates.size());
    for (size_t j = 0; j < idx.size(); ++j) idx[j] = j;
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      if (c.template_counts[a] != c.template_counts[b]) return c.template_counts[a] > c.template_counts[b];
      return templates[c.templates[a]].id < templates[c.templates[b]].id;
    });
    std::vector<uint32_t> ts;
    std::vector<uint64_t> ns;
    for (size_t j : idx) {
      ts.push_back(c.templates[j]);
      ns.push_back(c.template_counts[j]);
    }
    c.templates = std::move(ts);
    c.template_counts = std::move(ns);
    // The sample: the earliest template sample that is one of this
    // cluster's entries (else of any of its templates).
    for (int pass = 0; pass < 2 && !c.sample.set; ++pass) {
      for (uint32_t t : c.templates) {
        const Sample& s = stats[t].sample;
        if (!s.set || (pass == 0 && sample_incident[t] != k)) continue;
        if (c.sample.Offer(s.timestamp, s.insert_id)) c.sample = s;
      }
    }
    // The fingerprint: the id of the most severe, then most frequent template
    // of this cluster alone; every such template's fingerprint is kept so a
    // later run finds the issue through any of them. Only when every
    // template is shared: the first shared one no earlier cluster is named by,
    // else a hash of all of them.
    std::optional<uint32_t> lead;
    for (uint32_t t : c.templates) {
      if (clusters_of[t] == 1 && (!lead || stats[t].max_severity > stats[*lead].max_severity)) lead = t;
    }
    if (lead) {
      c.fingerprint = FormatFingerprint(templates[*lead].id);
    } else {
      std::vector<uint32_t> by_severity = c.templates;
      std::stable_sort(by_severity.begin(), by_severity.end(),
                       [&](uint32_t a, uint32_t b) { return stats[a].max_severity > stats[b].max_severity; });
      for (uint32_t t : by_severity) {
        if (!fingerprints_used.contains(FormatFingerprint(templates[t].id))) {
          c.fingerprint = FormatFingerprint(templates[t].id);
          break;
        }
      }
      if (c.fingerprint.empty()) {
        std::vector<uint64_t> ids;
        for (uint32_t t : c.templates) ids.push_back(templates[t].id);
        std::sort(ids.begin(), ids.end());
        c.fingerprint = FormatFingerprint(XXH3_64bits(ids.data(), ids.size() * sizeof(uint64_t)));
      }
    }
    fingerprints_used.insert(c.fingerprint);
    for (uint32_t t : c.templates) {
      if (clusters_of[t] == 1) c.member_fingerprints.push_back(FormatFingerprint(templates[t].id));
    }
    std::sort(c.member_fingerprints.begin(), c.member_fingerprints.end());
    c.evidence = cr.evidence[k];
    const IncidentSignals& sig = cr.signals[k];
    c.crash_loop = sig.crash_loop;
    c.crashed_instances = sig.crashed_instances;
    c.killed_instances = sig.killed_instances;
    c.after_deploy = sig.after_deploy;
    c.deploy_revision = sig.deploy_revision;
    if (c.failed_requests > 0) {
      uint64_t all = 0;
      for (auto it = requests_per_minute.lower_bound(c.first_seen.seconds / 60);
           it != requests_per_minute.end() && it->first <= c.last_seen.seconds / 60; ++it) {
        all += it->second;
      }
      c.failed_request_share = all > 0 ? static_cast<double>(c.failed_requests) / static_cast<double>(all) : 0;
    }
    // The dominant stack: of the template with a traceback and most entries here.
    for (uint32_t t : c.templates) {
      if (stats[t].stack) {
        c.stack = stats[t].stack;
        break;
      }
    }
  }
  return clusters;
}

}  // namespace

namespace {

// Everything after reading, for one pass: mine, correlate, triage, act.
Status FinishPass(const RunOptions& options, Collector& collector, RunOutput& out, Tracker& tracker,
                  StateStore* state, Clock& clock) {
  RunReport& report = out.report;
  LG_RETURN_IF_ERROR(collector.Finish(state, out.templates, out.stats));
  out.edge_keys = collector.TakeEdgeKeys();
  // Log text is untrusted: no secret in it reaches a template, a cluster name,
  // the state or a report. (Samples are scrubbed where they are rendered.)
  for (Template& t : out.templates) t.text = ScrubSecrets(t.text);
  for (TemplateStats& st : out.stats) {
    if (st.stack) st.stack->message = ScrubSecrets(st.stack->message);
  }

  // Correlate into incidents, summarize each from its entries, triage.
  std::vector<EntryRef>& refs = collector.refs();
  const std::vector<std::string> instance_names = collector.instance_names();
  CorrelationInput cin = collector.TakeCorrelationInput(out.templates);
  for (const TemplateStats& st : out.stats) {
    cin.template_stacks.push_back(st.stack ? st.stack->fingerprint_id : 0);
    cin.template_error_groups.emplace_back(st.error_groups.begin(), st.error_groups.end());
  }
  CorrelationResult cr = Correlate(cin, options.correlation);
  // Deploys: revisions first seen inside the window, after the earliest one.
  {
    double earliest = 1e300;
    for (size_t r = 1; r < cin.revision_first.size(); ++r) earliest = std::min(earliest, cin.revision_first[r]);
    for (size_t r = 1; r < cin.revision_first.size(); ++r) {
      const double t = cin.revision_first[r];
      const auto sec = static_cast<int64_t>(t);
      if (t > earliest && sec > report.window.start.seconds + 60) {
        report.deploys.push_back({Timestamp{sec, static_cast<int32_t>((t - static_cast<double>(sec)) * 1e9)},
                                  cin.revision_names[r]});
      }
    }
    std::sort(report.deploys.begin(), report.deploys.end(),
              [](const DeployMarker& a, const DeployMarker& b) { return a.at < b.at; });
  }
  // Timeline bins: a minute each, or wider so a long window has at most 240.
  const int64_t span = std::max<int64_t>(1, report.window.end.seconds - report.window.start.seconds);
  report.bin_seconds = std::max<int64_t>(60, (span + 239) / 240 / 60 * 60);
  std::vector<Cluster> clusters = BuildClusters(cr, cin, refs, out.templates, out.stats, instance_names,
                                                collector.requests_per_minute(), report.window, report.bin_seconds);
  for (Cluster& c : clusters) TriageCluster(c, out.templates, out.stats, options.triage);
  std::sort(clusters.begin(), clusters.end(), [](const Cluster& a, const Cluster& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    if (a.count != b.count) return a.count > b.count;
    return a.fingerprint < b.fingerprint;
  });
  for (size_t k = 0; k < clusters.size(); ++k) clusters[k].id = fmt::format("c{}", k + 1);
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
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<RunOutput>> RunPasses(const std::vector<RunOptions>& passes,
                                           const std::vector<Source*>& sources, Tracker& tracker,
                                           StateStore* state, Clock& clock) {
  if (passes.empty()) return std::vector<RunOutput>();
  // One collector per pass, fed from one read of the sources: an entry goes
  // to the pass of its service (or to the only pass, when that takes every
  // service).
  std::unordered_map<std::string_view, size_t> by_service;
  for (size_t k = 0; k < passes.size(); ++k) {
    if (passes[k].service.empty() && passes.size() > 1) {
      return Status::InvalidArgument("a pass over every service cannot share a read with other passes");
    }
    if (!by_service.emplace(passes[k].service, k).second) {
      return Status::InvalidArgument(fmt::format("service {} is asked for twice", passes[k].service));
    }
  }
  std::vector<RunOutput> outs(passes.size());
  std::vector<std::unique_ptr<Collector>> collectors;
  for (size_t k = 0; k < passes.size(); ++k) {
    const RunOptions& options = passes[k];
    RunReport& report = outs[k].report;
    report.started_at = clock.Now();
    report.service = options.service;
    report.window = options.window;
    report.period = options.period;
    report.min_severity = options.min_severity;
    report.tracker = tracker.Describe();
    report.dry_run = options.act.dry_run;
    report.totals.in_scope_known = options.in_scope_known;
    collectors.push_back(std::make_unique<Collector>(options, report.totals));
  }
  const bool single = passes.size() == 1;
  const auto& progress = passes[0].progress;
  // Which pass takes an entry, and its duplicate key, depend on the entry
  // alone: worked out on the threads that decode (only the ordered rest runs
  // on this one).
  const EntryPreparer prepare = [&](const LogEntry& e, std::string_view raw, EntryNote& note) {
    note.set = true;
    size_t k = 0;
    if (!single) {
      auto it = by_service.find(ServiceOf(e));
      if (it == by_service.end()) {
        note.keep = false;
        return;
      }
      k = it->second;
    }
    note.lane = static_cast<uint32_t>(k);
    PrepareFor(passes[k], e, raw, note);
  };
  uint64_t read_entries = 0, read_bytes = 0;
  for (Source* source : sources) {
    for (RunOutput& out : outs) out.report.sources.push_back(source->Describe());
    LG_RETURN_IF_ERROR(source->Read(
        [&](const SourcedEntry& s) {
          ++read_entries;
          read_bytes += s.raw.size();
          if (progress && (read_entries & 0x3ff) == 0) progress(read_entries, read_bytes);
          if (s.ahead && s.ahead->set && s.ahead->keep) collectors[s.ahead->lane]->Prefetch(s.ahead->key);
          if (s.note.set) return s.note.keep ? collectors[s.note.lane]->Visit(s) : Status::Ok();
          if (single) return collectors[0]->Visit(s);
          auto it = by_service.find(ServiceOf(s.entry));
          return it == by_service.end() ? Status::Ok() : collectors[it->second]->Visit(s);
        },
        prepare));
    const SourceStats& ss = source->stats();
    for (RunOutput& out : outs) {
      Totals& totals = out.report.totals;
      totals.entries_read += ss.entries_read;
      totals.skipped_bad += ss.skipped;
      totals.skip_messages.insert(totals.skip_messages.end(), ss.skip_messages.begin(), ss.skip_messages.end());
    }
  }
  for (size_t k = 0; k < passes.size(); ++k) {
    LG_RETURN_IF_ERROR(FinishPass(passes[k], *collectors[k], outs[k], tracker, state, clock));
    collectors[k].reset();  // its per-entry records are done with
  }
  return outs;
}

StatusOr<RunOutput> RunPass(const RunOptions& options, const std::vector<Source*>& sources,
                            Tracker& tracker, StateStore* state, Clock& clock) {
  auto outs = RunPasses({options}, sources, tracker, state, clock);
  if (!outs.ok()) return outs.status();
  return std::move((*outs)[0]);
}

}  // namespace lg
