// The Markdown renderers (worklog, issue body, update comment) and the
// neutralizing helpers over untrusted text: the input is split at NUL bytes
// into a title, a template, a sample entry, evidence and a service name.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "act/render.h"
#include "act/safe_text.h"
#include "report/markdown_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    const size_t nul = text.find('\0', start);
    parts.emplace_back(text.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  parts.resize(5);
  (void)lg::SafeText(text);
  (void)lg::NeutralizeMarkdown(text);
  (void)lg::FenceFor(text);
  (void)lg::CapBytes(text, 100);

  lg::RunReport report;
  report.service = parts[4];
  report.window = {lg::Timestamp{1757948400, 0}, lg::Timestamp{1757952000, 0}};
  std::vector<lg::Template> templates(1);
  templates[0].text = parts[1];
  templates[0].log_id = "run.googleapis.com/stderr";
  std::vector<lg::TemplateStats> stats(1);
  stats[0].count = 3;
  lg::Cluster c;
  c.id = "c1";
  c.fingerprint = "lg1-0000000000000000";
  c.title = "GCP-new-P1-" + parts[0];
  c.name = parts[0];
  c.templates = {0};
  c.template_counts = {3};
  c.count = 3;
  c.sample.set = true;
  c.sample.raw_json = parts[2];
  c.evidence = {parts[3]};
  c.entry_ids = {parts[3]};
  c.timeline = {1, 2, 0};
  report.clusters.push_back(c);
  (void)lg::RenderWorklog(report, templates, stats);
  (void)lg::RenderSummary(report, true);
  lg::RenderContext ctx{report.window, report.service, templates, stats};
  (void)lg::RenderIssueBody(c, ctx, 0);
  (void)lg::RenderIssueBody(c, ctx, 7);
  (void)lg::RenderUpdateComment(c, ctx);
  return 0;
}
