// The JSON report: the RESULT.json contract of the scenarios README, plus
// extra fields (category, templates, first/last seen, rationale, new_issue, url).
#ifndef LOG_GARDENER_REPORT_JSON_REPORT_H_
#define LOG_GARDENER_REPORT_JSON_REPORT_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

std::string RenderJsonReport(const RunReport& report, const std::vector<Template>& templates,
                             const std::vector<TemplateStats>& stats);

}  // namespace lg

#endif  // LOG_GARDENER_REPORT_JSON_REPORT_H_
