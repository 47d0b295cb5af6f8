#include "report/json_report.h"

#include <fmt/format.h>

#include "core/json_writer.h"

namespace lg {

std::string RenderJsonReport(const RunReport& r, const std::vector<Template>& templates,
                             const std::vector<TemplateStats>& stats) {
  JsonWriter w;
  w.BeginObject();
  w.Key("window").BeginObject();
  w.Field("start", FormatTimestamp(r.window.start)).Field("end", FormatTimestamp(r.window.end));
  w.EndObject();
  w.Field("service", r.service);
  w.Field("min_severity", SeverityName(r.min_severity));
  w.Key("totals").BeginObject();
  w.Field("entries_read", r.totals.entries_read);
  if (r.totals.in_scope_known) {
    w.Field("in_scope", r.totals.in_scope);
  } else {
    w.Key("in_scope").Null();  // the API returned only the severities asked for
  }
  w.Key("by_severity").BeginObject();
  for (size_t i = std::size(kAllSeverities); i-- > 0;) {
    if (r.totals.by_severity[i] > 0) w.Field(SeverityName(kAllSeverities[i]), r.totals.by_severity[i]);
  }
  w.EndObject();
  w.Field("clustered", r.totals.selected);
  w.Field("duplicates_dropped", r.totals.duplicates_dropped);
  if (r.totals.already_seen > 0) w.Field("already_seen", r.totals.already_seen);
  w.Field("skipped_bad_entries", r.totals.skipped_bad);
  w.EndObject();
  w.Key("clusters").BeginArray();
  for (const Cluster& c : r.clusters) {
    w.BeginObject();
    w.Field("id", c.id);
    w.Field("title", c.title);
    w.Field("name", c.name);
    w.Field("priority", fmt::format("P{}", c.priority));
    w.Field("category", c.category);
    w.Field("severity", SeverityName(c.max_severity));
    w.Field("count", c.count);
    w.Field("fingerprint", c.fingerprint);
    w.Field("first_seen", FormatTimestamp(c.first_seen));
    w.Field("last_seen", FormatTimestamp(c.last_seen));
    w.Key("by_severity").BeginObject();
    for (size_t i = std::size(kAllSeverities); i-- > 0;) {
      if (c.by_severity[i] > 0) w.Field(SeverityName(kAllSeverities[i]), c.by_severity[i]);
    }
    w.EndObject();
    w.Key("templates").BeginArray();
    for (size_t j = 0; j < c.templates.size(); ++j) {
      w.BeginObject()
          .Field("text", templates[c.templates[j]].text)
          .Field("count", c.template_counts[j])
          .Field("template_count", stats[c.templates[j]].count)
          .EndObject();
    }
    w.EndArray();
    if (c.stack) {
      w.Key("stack").BeginObject();
      w.Field("language", c.stack->language)
          .Field("exception", c.stack->exception_type)
          .Field("message", c.stack->message)
          .Field("function", c.stack->top_function)
          .Field("file", c.stack->top_file)
          .Field("fingerprint", c.stack->fingerprint);
      w.EndObject();
    }
    w.Key("evidence").BeginArray();
    for (const auto& line : c.evidence) w.String(line);
    w.EndArray();
    w.Key("revisions").BeginArray();
    for (const auto& rev : c.revisions) w.String(rev);
    w.EndArray();
    w.Key("entry_ids").BeginArray();
    for (const auto& id : c.entry_ids) w.String(id);
    w.EndArray();
    w.Key("action").BeginObject();
    w.Field("kind", ActionKindName(c.action.kind));
    if (c.action.issue > 0) {
      w.Field("issue", c.action.issue);
    } else if (c.action.kind == ActionKind::kCreate && c.action.new_issue > 0) {
      w.Field("issue", c.action.new_issue);
    } else {
      w.Key("issue").Null();
    }
    if (c.action.new_issue > 0) w.Field("new_issue", c.action.new_issue);
    if (!c.action.url.empty()) w.Field("url", c.action.url);
    w.Field("status", c.action.status);
    w.Field("rationale", c.action.rationale);
    if (!c.action.related.empty()) {
      w.Key("related").BeginArray();
      for (int64_t i : c.action.related) w.Int(i);
      w.EndArray();
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("actions").BeginObject();
  w.Field("created", r.created).Field("regressions", r.regressions).Field("commented", r.commented);
  w.Field("already_done", r.already_done).Field("deferred", r.deferred);
  w.Key("dry_run").Bool(r.dry_run);
  w.EndObject();
  w.EndObject();
  std::string out = w.Take();
  out += '\n';
  return out;
}

}  // namespace lg
