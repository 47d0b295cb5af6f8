// The Markdown worklog, in the spirit of the hand-written hourly worklogs:
// header, severity breakdown, clusters, processing results, final status.
#ifndef LOG_GARDENER_REPORT_MARKDOWN_REPORT_H_
#define LOG_GARDENER_REPORT_MARKDOWN_REPORT_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

std::string RenderWorklog(const RunReport& report, const std::vector<Template>& templates,
                          const std::vector<TemplateStats>& stats);

// "GCP-LOG-GARDENER-WORKLOG-last-1-hour-20250915-1600.md"
std::string WorklogFileName(const RunReport& report);

// The one-screen summary printed at the end of a run.
std::string RenderSummary(const RunReport& report, bool color);

}  // namespace lg

#endif  // LOG_GARDENER_REPORT_MARKDOWN_REPORT_H_
