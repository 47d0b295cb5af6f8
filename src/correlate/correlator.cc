#include "correlate/correlator.h"

#include <fmt/format.h>

namespace lg {

std::string FormatFingerprint(uint64_t id) { return fmt::format("lg1-{:016x}", id); }

std::vector<Cluster> CorrelateTemplates(const std::vector<Template>& templates,
                                        const std::vector<TemplateStats>& stats) {
  std::vector<Cluster> out;
  for (size_t i = 0; i < templates.size(); ++i) {
    if (stats[i].count == 0) continue;
    Cluster c;
    c.templates.push_back(static_cast<uint32_t>(i));
    c.fingerprint = FormatFingerprint(templates[i].id);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace lg
