#include "act/render.h"

#include <fmt/format.h>

#include "act/safe_text.h"
#include "core/json_writer.h"
#include "match/matcher.h"

namespace lg {

std::string SeveritySummary(const SeverityCounts& counts) {
  std::string out;
  for (size_t i = std::size(kAllSeverities); i-- > 0;) {
    if (counts[i] == 0) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", SeverityName(kAllSeverities[i]), counts[i]);
  }
  return out.empty() ? "none" : out;
}

std::string WindowText(const Window& w) {
  return FormatTimestamp(w.start) + "/" + FormatTimestamp(w.end);
}

std::string ScrubbedSampleJson(const Cluster& c) {
  if (!c.sample.set) return "{}";
  // Long values (a 10 MB payload) are cut: a sample shows the shape, not the bulk.
  return ScrubSecrets(PrettyJson(c.sample.raw_json, kMaxSampleString));
}

namespace {

void AppendSymptoms(std::string& out, const Cluster& c, const RenderContext& ctx) {
  out += "| count | pattern |\n|---:|---|\n";
  size_t shown = 0;
  for (size_t j = 0; j < c.templates.size(); ++j) {
    const uint32_t t = c.templates[j];
    if (shown++ == ctx.max_templates) {
      out += fmt::format("| … | {} more patterns |\n", c.templates.size() - ctx.max_templates);
      break;
    }
    std::string text = ctx.templates[t].text.substr(0, ctx.templates[t].text.find('\n'));
    std::string safe = SafeText(text, 300);
    // Inside a table cell: no pipes, no raw backticks breaking the code span.
    std::string cell;
    for (char ch : safe) cell += ch == '|' ? '/' : ch;
    // An inline code span needs a backtick run longer than any inside it.
    std::string fence(FenceFor(cell).size() > 3 ? FenceFor(cell).size() : 1, '`');
    out += fmt::format("| {} | {} {} {} |\n", c.template_counts[j], fence, cell, fence);
  }
}

void AppendSample(std::string& out, const Cluster& c) {
  std::string sample = SafeText(ScrubbedSampleJson(c), 1000);
  std::string fence = FenceFor(sample);
  out += fmt::format("{}json\n{}\n{}\n", fence, CapBytes(sample, 8000), fence);
}

}  // namespace

std::string RenderIssueBody(const Cluster& c, const RenderContext& ctx, int64_t regression_of) {
  std::string out;
  if (regression_of > 0) {
    out += fmt::format("Regression of #{} (closed): the problem is back.\n\n", regression_of);
  }
  out += "## Summary\n";
  out += fmt::format("- Service: `{}`\n", SafeText(ctx.service, 200));
  out += fmt::format("- Window: {} – {} (UTC)\n", FormatTimestamp(ctx.window.start),
                     FormatTimestamp(ctx.window.end));
  out += fmt::format("- Entries: {} ({})\n", c.count, SeveritySummary(c.by_severity));
  out += fmt::format("- First seen: {}, last seen: {}\n", FormatTimestamp(c.first_seen),
                     FormatTimestamp(c.last_seen));
  if (!c.revisions.empty()) {
    std::string revs;
    for (const auto& r : c.revisions) revs += (revs.empty() ? "" : ", ") + SafeText(r, 200);
    out += fmt::format("- Revisions: {}\n", revs);
  }
  out += fmt::format("- Priority: P{} ({})\n", c.priority, c.priority_reason);
  if (!c.impact.empty()) out += fmt::format("- Business impact: {}\n", SafeText(c.impact, 300));
  out += "\n## Key symptoms\n";
  AppendSymptoms(out, c, ctx);
  out += "\n## Sample entry\n";
  AppendSample(out, c);
  if (!c.action.related.empty()) {
    out += "\nRelated:";
    for (size_t i = 0; i < c.action.related.size(); ++i) {
      out += fmt::format("{} #{}", i ? "," : "", c.action.related[i]);
    }
    out += '\n';
  }
  std::string footer = fmt::format("\n---\n{}\n{}\n", FingerprintLine(c.fingerprint),
                                   WindowMarker(c.fingerprint, WindowText(ctx.window)));
  return CapBytes(out, ctx.max_body_bytes - footer.size()) + footer;
}

std::string RenderUpdateComment(const Cluster& c, const RenderContext& ctx) {
  std::string out;
  out += fmt::format("Still happening in {} – {} (UTC): **{} entries** ({}).\n\n",
                     FormatTimestamp(ctx.window.start), FormatTimestamp(ctx.window.end), c.count,
                     SeveritySummary(c.by_severity));
  out += fmt::format("First seen {}, last seen {}.\n\n", FormatTimestamp(c.first_seen),
                     FormatTimestamp(c.last_seen));
  AppendSymptoms(out, c, ctx);
  out += "\n<details><summary>Sample entry</summary>\n\n";
  AppendSample(out, c);
  out += "\n</details>\n";
  std::string footer = fmt::format("\n---\n{}\n", WindowMarker(c.fingerprint, WindowText(ctx.window)));
  return CapBytes(out, ctx.max_body_bytes - footer.size()) + footer;
}

}  // namespace lg
