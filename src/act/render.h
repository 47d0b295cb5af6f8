// Renders issue bodies and update comments. All log-derived text passes
// through SafeText; the structure (headings, fingerprint line) is ours.
#ifndef LOG_GARDENER_ACT_RENDER_H_
#define LOG_GARDENER_ACT_RENDER_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

struct RenderContext {
  const Window& window;
  std::string service;
  const std::vector<Template>& templates;
  const std::vector<TemplateStats>& stats;
  size_t max_templates = 8;
  size_t max_body_bytes = 60000;  // GitHub's limit is 65,536 characters
};

// "CRITICAL 3, ERROR 40, WARNING 2" (only non-zero counts, most severe first).
std::string SeveritySummary(const SeverityCounts& counts);
// "START/END" as written in markers.
std::string WindowText(const Window& w);

std::string RenderIssueBody(const Cluster& c, const RenderContext& ctx, int64_t regression_of);
std::string RenderUpdateComment(const Cluster& c, const RenderContext& ctx);

// The sample entry as pretty, scrubbed JSON (not neutralized: for files).
// The cluster's sample entry, pretty-printed, secrets scrubbed, string values
// longer than kMaxSampleString bytes cut.
inline constexpr size_t kMaxSampleString = 2048;
std::string ScrubbedSampleJson(const Cluster& c);

}  // namespace lg

#endif  // LOG_GARDENER_ACT_RENDER_H_
