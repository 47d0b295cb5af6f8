#include "report/markdown_report.h"

#include <fmt/format.h>

#include "act/render.h"
#include "act/safe_text.h"

namespace lg {
namespace {

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : NeutralizeMarkdown(text)) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Cell() for running text outside code spans: '<' escaped, so a template's
// placeholders (`<NUM>`) show and log text cannot open an HTML tag.
std::string Prose(std::string_view text) {
  std::string out;
  for (char c : Cell(text)) {
    if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string IssueRef(const Cluster& c) {
  const Action& a = c.action;
  switch (a.kind) {
    case ActionKind::kComment: return fmt::format("#{}", a.issue);
    case ActionKind::kRegression:
      return a.new_issue ? fmt::format("#{} (regression of #{})", a.new_issue, a.issue)
                         : fmt::format("regression of #{}", a.issue);
    case ActionKind::kCreate: return a.new_issue ? fmt::format("#{}", a.new_issue) : "—";
    case ActionKind::kNone: return "—";
  }
  return "—";
}

}  // namespace

std::string WorklogFileName(const RunReport& r) {
  return fmt::format("GCP-LOG-GARDENER-WORKLOG-{}-{}.md", PeriodSlug(r.period),
                     FormatCompactUtc(r.started_at));
}

std::string RenderWorklog(const RunReport& r, const std::vector<Template>& templates,
                          const std::vector<TemplateStats>& /*stats*/) {
  std::string out;
  const std::string service = r.service.empty() ? "all services" : r.service;
  out += fmt::format("# GCP Log Gardener Worklog — {} — {}\n\n", Cell(service), Cell(r.period));
  out += fmt::format("- **Generated:** {} ({})\n", FormatTimestamp(r.started_at),
                     FormatLocalTimestamp(r.started_at));
  out += fmt::format("- **Timeframe (UTC):** {} – {}\n", FormatTimestamp(r.window.start),
                     FormatTimestamp(r.window.end));
  out += fmt::format("- **Timeframe (local):** {} – {}\n", FormatLocalTimestamp(r.window.start),
                     FormatLocalTimestamp(r.window.end));
  out += fmt::format("- **Service:** `{}`\n", Cell(service));
  std::string sources;
  for (const auto& s : r.sources) sources += (sources.empty() ? "" : ", ") + Cell(s);
  out += fmt::format("- **Sources:** {}\n", sources);
  out += fmt::format("- **Tracker:** {}{}\n", Cell(r.tracker), r.dry_run ? " (dry run: nothing changed)" : "");
  out += fmt::format(
      "- **Total entries:** {} read, {} in scope, {} at {} or above\n", r.totals.entries_read,
      r.totals.in_scope_known ? fmt::format("{}", r.totals.in_scope)
                              : std::string("unknown (Cloud Logging returned only the severities asked for)"),
      r.totals.selected, SeverityName(r.min_severity));
  if (r.totals.skipped_bad > 0) {
    out += fmt::format("- **Skipped bad entries:** {}\n", r.totals.skipped_bad);
    for (const auto& m : r.totals.skip_messages) out += fmt::format("  - {}\n", Cell(m));
  }
  if (r.totals.already_seen > 0) {
    out += fmt::format("- **Already counted by the previous run (overlap):** {}\n", r.totals.already_seen);
  }
  if (r.totals.duplicates_dropped > 0) {
    out += fmt::format("- **Duplicate entries dropped:** {}\n", r.totals.duplicates_dropped);
  }

  out += "\n## Severity breakdown\n\n| severity | entries |\n|---|---:|\n";
  bool any = false;
  for (size_t i = std::size(kAllSeverities); i-- > 0;) {
    if (r.totals.by_severity[i] == 0) continue;
    any = true;
    out += fmt::format("| {} | {} |\n", SeverityName(kAllSeverities[i]), r.totals.by_severity[i]);
  }
  if (!any) out += "| (none in scope) | 0 |\n";

  out += fmt::format("\n## Clusters ({})\n", r.clusters.size());
  if (r.clusters.empty()) out += "\nNothing at or above the minimum severity in this window.\n";
  for (const Cluster& c : r.clusters) {
    out += fmt::format("\n### {} · P{} · {}\n\n", c.id, c.priority, Cell(c.name));
    out += fmt::format("- **Priority:** P{} — {}\n", c.priority, Cell(c.priority_reason));
    out += fmt::format("- **Business impact:** {}\n", Cell(c.impact));
    out += fmt::format("- **Entries:** {} ({})\n", c.count, SeveritySummary(c.by_severity));
    out += fmt::format("- **First / last seen:** {} / {}\n", FormatTimestamp(c.first_seen),
                       FormatTimestamp(c.last_seen));
    std::string revs;
    for (const auto& rev : c.revisions) revs += (revs.empty() ? "" : ", ") + Cell(rev);
    out += "\n**Key symptoms**\n\n| count | pattern | log |\n|---:|---|---|\n";
    for (size_t j = 0; j < c.templates.size(); ++j) {
      const uint32_t t = c.templates[j];
      std::string first = templates[t].text.substr(0, templates[t].text.find('\n'));
      out += fmt::format("| {} | `{}` | {} |\n", c.template_counts[j], Cell(first.substr(0, 300)),
                         Cell(templates[t].log_id));
    }
    std::string sample = ScrubbedSampleJson(c);
    std::string fence = FenceFor(sample);
    out += fmt::format("\n**Sample entry** (`{}`)\n\n{}json\n{}\n{}\n", Cell(c.sample.insert_id),
                       fence, sample, fence);
    out += "\n**Technical pattern**\n\n";
    out += fmt::format("- Fingerprint: `{}`\n", c.fingerprint);
    if (c.stack) {
      out += fmt::format("- Stack: {} `{}`{} · `{}`\n", Cell(c.stack->language), Cell(c.stack->exception_type),
                         c.stack->top_function.empty()
                             ? std::string()
                             : fmt::format(" at `{}` (`{}`)", Cell(c.stack->top_function), Cell(c.stack->top_file)),
                         c.stack->fingerprint);
    }
    out += fmt::format("- Templates: {}\n", c.templates.size());
    out += fmt::format("- Active: {:.0f} s between first and last entry ({} → {})\n",
                       SecondsBetween(c.first_seen, c.last_seen), FormatTimestamp(c.first_seen),
                       FormatTimestamp(c.last_seen));
    if (!revs.empty()) out += fmt::format("- Revisions: {}\n", revs);
    if (!c.instances.empty()) {
      out += fmt::format("- Instances: {}{}\n", c.instances.size(),
                         c.instances.size() >= Occurrences::kMaxInstances ? "+" : "");
    }
    if (c.evidence.empty()) {
      out += "- Merge evidence: none (a single template)\n";
    } else {
      // Every merge is in the worklog; past the first dozen, folded away
      // (GitHub and most Markdown viewers render <details>).
      out += "- Merge evidence:\n";
      constexpr size_t kShownEvidence = 12;
      for (size_t k = 0; k < c.evidence.size() && k < kShownEvidence; ++k) {
        out += fmt::format("  - {}\n", Prose(c.evidence[k]));
      }
      if (c.evidence.size() > kShownEvidence) {
        out += fmt::format("\n<details><summary>{} more merges</summary>\n\n", c.evidence.size() - kShownEvidence);
        for (size_t k = kShownEvidence; k < c.evidence.size(); ++k) {
          out += fmt::format("- {}\n", Prose(c.evidence[k]));
        }
        out += "\n</details>\n";
      }
    }
  }

  out += "\n## Processing results\n\n| cluster | action | issue | status | posted | rationale |\n"
         "|---|---|---|---|---|---|\n";
  for (const Cluster& c : r.clusters) {
    out += fmt::format("| {} {} | {} | {} | {} | {} | {} |\n", c.id, Cell(c.title),
                       ActionKindName(c.action.kind), IssueRef(c), Cell(c.action.status),
                       Cell(c.action.posted.empty() ? "—" : c.action.posted), Cell(c.action.rationale));
  }

  out += "\n## Final status\n\n";
  out += fmt::format("- **Started / completed:** {} / {}\n", FormatTimestamp(r.started_at),
                     FormatTimestamp(Timestamp{r.started_at.seconds + static_cast<int64_t>(r.duration_seconds),
                                               r.started_at.nanos}));
  out += fmt::format("- **Clusters:** {}\n", r.clusters.size());
  out += fmt::format("- **Issues created:** {} new, {} regressions\n", r.created, r.regressions);
  out += fmt::format("- **Issues updated:** {}\n", r.commented);
  out += fmt::format("- **Already done by an earlier run:** {}\n", r.already_done);
  if (r.deferred > 0) out += fmt::format("- **Deferred (over --max-new-issues):** {}\n", r.deferred);
  if (r.totals.selected > 0) {
    out += fmt::format("- **Consolidation:** {} entries into {} clusters ({:.1f} per cluster)\n",
                       r.totals.selected, r.clusters.size(),
                       static_cast<double>(r.totals.selected) /
                           static_cast<double>(std::max<size_t>(1, r.clusters.size())));
  }
  out += fmt::format("- **Duration:** {:.2f} s\n", r.duration_seconds);
  return out;
}

std::string RenderSummary(const RunReport& r, bool color) {
  auto paint = [&](std::string_view code, std::string_view text) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  std::string out;
  out += fmt::format("{} {} · {} – {}\n", paint("1", "log-gardener"),
                     r.service.empty() ? "all services" : r.service,
                     FormatTimestamp(r.window.start), FormatTimestamp(r.window.end));
  out += fmt::format("  read {} entries, {} in scope, {} at {}+ ({})\n", r.totals.entries_read,
                     r.totals.in_scope, r.totals.selected, SeverityName(r.min_severity),
                     SeveritySummary(r.totals.by_severity));
  if (r.totals.skipped_bad > 0) out += fmt::format("  skipped {} bad entries\n", r.totals.skipped_bad);
  static constexpr std::string_view kColors[] = {"31;1", "31", "33", "36"};
  size_t shown = 0;
  for (const Cluster& c : r.clusters) {
    if (shown++ == 12) {
      out += fmt::format("  … {} more clusters (see the worklog)\n", r.clusters.size() - 12);
      break;
    }
    std::string name = c.name.size() > 60 ? c.name.substr(0, 57) + "..." : c.name;
    out += fmt::format("  {} {:>6}  {:<62} {} {}\n", paint(kColors[c.priority], fmt::format("P{}", c.priority)),
                       c.count, name, ActionKindName(c.action.kind), IssueRef(c));
  }
  out += fmt::format("  {} clusters · {} created · {} regressions · {} updated · {} already done{} · {:.2f} s\n",
                     r.clusters.size(), r.created, r.regressions, r.commented, r.already_done,
                     r.dry_run ? " · dry run" : "", r.duration_seconds);
  return out;
}

}  // namespace lg
