#include "report/html_report.h"

#include <algorithm>

#include <fmt/format.h>

#include "act/render.h"
#include "act/safe_text.h"

namespace lg {
namespace {

// Log text is untrusted: everything that reaches the page goes through here.
std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// Only http(s) links are kept as links.
std::string SafeUrl(std::string_view url) {
  if (url.starts_with("https://") || url.starts_with("http://")) return Esc(url);
  return "";
}

constexpr std::string_view kSeverityColors[] = {"#9aa0a6", "#9aa0a6", "#4285f4", "#1a73e8", "#f9ab00",
                                                "#e8710a", "#d93025", "#a50e0e", "#5f0000"};
constexpr std::string_view kPriorityColors[] = {"#a50e0e", "#e8710a", "#f9ab00", "#5f6368"};

constexpr std::string_view kStyle = R"css(
:root{--fg:#202124;--muted:#5f6368;--line:#dadce0;--bg:#fff;--card:#f8f9fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .5em}h3{font-size:1.05em;margin:0 0 .4em}
.meta{color:var(--muted);margin:.2em 0}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:1.3em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{cursor:pointer;user-select:none;white-space:nowrap}th[aria-sort]::after{content:" \2195";color:var(--muted)}
td.num,th.num{text-align:right}
.pill{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-weight:600;font-size:.85em}
details.cluster{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:10px 0;background:var(--card)}
details.cluster summary{cursor:pointer;font-weight:600}
pre{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto;font-size:12.5px;max-height:360px}
code{font-size:.92em}
ul.evidence{margin:.3em 0 .3em 1.2em;padding:0;color:var(--muted);font-size:.92em}
svg{max-width:100%;height:auto;display:block}
@media (max-width:600px){body{font-size:14px}main{padding:10px}th,td{padding:5px 4px}.hide-s{display:none}}
)css";

// Sorts the cluster table by the clicked column (numbers by data-v).
constexpr std::string_view kScript = R"js(
(function(){
  var table=document.getElementById('clusters');
  if(table){
    var heads=table.querySelectorAll('th');
    heads.forEach(function(th,col){
      th.setAttribute('aria-sort','none');
      th.addEventListener('click',function(){
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        var asc=th.getAttribute('aria-sort')!=='ascending';
        rows.sort(function(a,b){
          var x=a.cells[col].getAttribute('data-v')||a.cells[col].textContent;
          var y=b.cells[col].getAttribute('data-v')||b.cells[col].textContent;
          var nx=parseFloat(x),ny=parseFloat(y);
          var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:String(x).localeCompare(String(y));
          return asc?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});
        heads.forEach(function(h){h.setAttribute('aria-sort','none');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
      });
    });
  }
  document.body.setAttribute('data-ready','1');
})();
)js";

std::string SeverityChart(const RunReport& r) {
  std::vector<std::pair<size_t, uint64_t>> rows;
  uint64_t max = 1;
  for (size_t i = std::size(kAllSeverities); i-- > 0;) {
    if (r.totals.by_severity[i] == 0) continue;
    rows.emplace_back(i, r.totals.by_severity[i]);
    max = std::max(max, r.totals.by_severity[i]);
  }
  const int row_h = 24, label_w = 90, bar_w = 420;
  std::string svg = fmt::format(
      "<svg role=\"img\" aria-label=\"Entries by severity\" viewBox=\"0 0 {} {}\" width=\"{}\">", label_w + bar_w + 80,
      rows.size() * row_h + 4, label_w + bar_w + 80);
  for (size_t k = 0; k < rows.size(); ++k) {
    const auto [i, n] = rows[k];
    const int w = std::max(2, static_cast<int>(static_cast<double>(n) / static_cast<double>(max) * bar_w));
    const int y = static_cast<int>(k) * row_h;
    svg += fmt::format(
        "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" "
        "rx=\"3\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
        y + 14, SeverityName(kAllSeverities[i]), label_w, y + 2, w, kSeverityColors[i], label_w + w + 6, y + 14, n);
  }
  return svg + "</svg>";
}

// Entries per bin across the window, with deploys as dashed lines.
std::string Timeline(const Cluster& c, const RunReport& r) {
  const int width = 600, height = 70;
  const size_t bins = std::max<size_t>(1, c.timeline.size());
  uint32_t max = 1;
  for (uint32_t v : c.timeline) max = std::max(max, v);
  const double bw = static_cast<double>(width) / static_cast<double>(bins);
  std::string svg = fmt::format(
      "<svg role=\"img\" aria-label=\"Entries over the window\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "preserveAspectRatio=\"none\"><rect width=\"{}\" height=\"{}\" fill=\"#fff\" stroke=\"#dadce0\"/>",
      width, height + 14, width, width, height);
  for (size_t k = 0; k < c.timeline.size(); ++k) {
    if (c.timeline[k] == 0) continue;
    const double h = static_cast<double>(c.timeline[k]) / static_cast<double>(max) * (height - 4);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}</title></rect>",
                       k * bw, height - h, std::max(1.0, bw - 0.5), h, kPriorityColors[std::clamp(c.priority, 0, 3)],
                       c.timeline[k]);
  }
  const double span = static_cast<double>(std::max<int64_t>(1, r.window.end.seconds - r.window.start.seconds));
  for (const DeployMarker& d : r.deploys) {
    const double x = static_cast<double>(d.at.seconds - r.window.start.seconds) / span * width;
    if (x < 0 || x > width) continue;
    svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"0\" y2=\"{1}\" stroke=\"#1a73e8\" stroke-dasharray=\"4 3\">"
                       "<title>deploy {2}</title></line>",
                       x, height, Esc(d.revision));
  }
  svg += fmt::format("<text x=\"0\" y=\"{}\" font-size=\"10\" fill=\"#5f6368\">{}</text>", height + 12,
                     Esc(FormatTimestamp(r.window.start)));
  svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#5f6368\" text-anchor=\"end\">{}</text>", width,
                     height + 12, Esc(FormatTimestamp(r.window.end)));
  return svg + "</svg>";
}

std::string IssueCell(const Cluster& c) {
  const int64_t n = c.action.new_issue ? c.action.new_issue : c.action.issue;
  if (n == 0) return "";
  const std::string url = SafeUrl(c.action.url);
  return url.empty() ? fmt::format("#{}", n) : fmt::format("<a href=\"{}\">#{}</a>", url, n);
}

}  // namespace

std::string RenderHtmlReport(const RunReport& r, const std::vector<Template>& templates) {
  std::string h;
  h += "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:\">";
  h += fmt::format("<title>Log Gardener · {} · {}</title><style>{}</style></head><body><main>",
                   Esc(r.service.empty() ? "all services" : r.service), Esc(WindowText(r.window)), kStyle);
  h += fmt::format("<h1>Log Gardener — {}</h1>", Esc(r.service.empty() ? "all services" : r.service));
  h += fmt::format("<p class=\"meta\">{} · generated {} · tracker {}{}</p>", Esc(WindowText(r.window)),
                   Esc(FormatTimestamp(r.started_at)), Esc(r.tracker), r.dry_run ? " · dry run" : "");
  uint64_t warning_plus = 0;
  for (size_t i = 0; i < std::size(kAllSeverities); ++i) {
    if (kAllSeverities[i] >= Severity::kWarning) warning_plus += r.totals.by_severity[i];
  }
  h += "<div class=\"cards\">";
  h += fmt::format("<div class=\"card\"><b>{}</b>entries read</div>", r.totals.entries_read);
  h += fmt::format("<div class=\"card\"><b>{}</b>in scope</div>", r.totals.in_scope);
  h += fmt::format("<div class=\"card\"><b>{}</b>warnings and above</div>", warning_plus);
  h += fmt::format("<div class=\"card\"><b>{}</b>clusters</div>", r.clusters.size());
  h += fmt::format("<div class=\"card\"><b>{} / {}</b>issues filed / updated</div>", r.created + r.regressions,
                   r.commented);
  h += "</div>";
  h += "<h2>Severity breakdown</h2>" + SeverityChart(r);

  h += "<h2>Clusters</h2><div class=\"scroll\"><table id=\"clusters\"><thead><tr><th>id</th><th class=\"num\">priority</th>"
       "<th>name</th><th class=\"num\">entries</th><th class=\"hide-s\">severity</th><th>action</th><th>issue</th>"
       "</tr></thead><tbody>";
  for (const Cluster& c : r.clusters) {
    h += fmt::format(
        "<tr><td data-v=\"{0}\"><a href=\"#{1}\">{1}</a></td><td class=\"num\" data-v=\"{2}\"><span class=\"pill\" "
        "style=\"background:{3}\">P{2}</span></td><td>{4}</td><td class=\"num\" data-v=\"{5}\">{5}</td>"
        "<td class=\"hide-s\">{6}</td><td>{7}</td><td>{8}</td></tr>",
        c.id.size() > 1 ? c.id.substr(1) : c.id, Esc(c.id), c.priority, kPriorityColors[std::clamp(c.priority, 0, 3)],
        Esc(c.name), c.count, SeverityName(c.max_severity), ActionKindName(c.action.kind), IssueCell(c));
  }
  h += "</tbody></table></div>";

  h += "<h2>Details</h2>";
  for (const Cluster& c : r.clusters) {
    h += fmt::format("<details class=\"cluster\" id=\"{}\"{}><summary>{} · P{} · {}</summary>", Esc(c.id),
                     c.priority <= 1 ? " open" : "", Esc(c.id), c.priority, Esc(c.name));
    h += fmt::format("<p class=\"meta\">{} — {}. {} entries ({}), {} → {}.</p>", Esc(c.impact), Esc(c.priority_reason),
                     c.count, Esc(SeveritySummary(c.by_severity)), Esc(FormatTimestamp(c.first_seen)),
                     Esc(FormatTimestamp(c.last_seen)));
    h += Timeline(c, r);
    h += "<h3>Key symptoms</h3><div class=\"scroll\"><table><tbody>";
    for (size_t j = 0; j < c.templates.size() && j < 12; ++j) {
      const std::string& text = templates[c.templates[j]].text;
      h += fmt::format("<tr><td class=\"num\">{}</td><td><code>{}</code></td></tr>", c.template_counts[j],
                       Esc(ScrubSecrets(text.substr(0, std::min<size_t>(text.find('\n'), 400)))));
    }
    h += "</tbody></table></div>";
    if (c.stack) {
      h += fmt::format("<p>Stack: {} <code>{}</code>{} · <code>{}</code></p>", Esc(c.stack->language),
                       Esc(c.stack->exception_type),
                       c.stack->top_function.empty()
                           ? std::string()
                           : fmt::format(" at <code>{}</code>", Esc(c.stack->top_function)),
                       Esc(c.stack->fingerprint));
    }
    if (!c.evidence.empty()) {
      h += "<h3>Why these belong together</h3><ul class=\"evidence\">";
      for (size_t k = 0; k < c.evidence.size() && k < 12; ++k) h += "<li>" + Esc(c.evidence[k]) + "</li>";
      h += "</ul>";
    }
    h += fmt::format("<p>Action: <b>{}</b> {} — {}</p>", ActionKindName(c.action.kind), IssueCell(c),
                     Esc(c.action.rationale));
    h += "<h3>Sample entry</h3><pre>" + Esc(ScrubbedSampleJson(c)) + "</pre>";
    h += fmt::format("<p class=\"meta\">Fingerprint <code>{}</code></p></details>", Esc(c.fingerprint));
  }
  h += fmt::format("<p class=\"meta\">{} clusters from {} entries in {:.2f} s.</p>", r.clusters.size(),
                   r.totals.selected, r.duration_seconds);
  h += "</main><script>";
  h += kScript;
  h += "</script></body></html>\n";
  return h;
}

}  // namespace lg
