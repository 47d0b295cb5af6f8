// The HTML report: one self-contained page (inline CSS, SVG and a few lines
// of script, no network) with a severity chart, a sortable cluster table, and
// per cluster its timeline (entries over the window, deploys marked),
// symptoms, merge evidence, action and a scrubbed sample. Every piece of log
// text is HTML-escaped; links are kept only for http(s) issue URLs; a
// Content-Security-Policy forbids anything but the inline style and script.
#ifndef LOG_GARDENER_REPORT_HTML_REPORT_H_
#define LOG_GARDENER_REPORT_HTML_REPORT_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

std::string RenderHtmlReport(const RunReport& report, const std::vector<Template>& templates);

}  // namespace lg

#endif  // LOG_GARDENER_REPORT_HTML_REPORT_H_
