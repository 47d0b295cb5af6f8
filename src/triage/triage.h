// Triage: priority, category and a human-skimmable name for each cluster.
#ifndef LOG_GARDENER_TRIAGE_TRIAGE_H_
#define LOG_GARDENER_TRIAGE_TRIAGE_H_

#include <string>
#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

struct TriageRules {
  // An ERROR cluster with at least this many entries in the window is P1
  // (significant errors), fewer is P2.
  uint64_t error_p1_count = 20;
  // A WARNING-only cluster this large is P2 (degradation), else P3.
  uint64_t warning_p2_count = 200;
  // Longest name, in characters, before the title prefix.
  size_t max_name_chars = 80;
};

// Sets priority, priority_reason, category ("new" until matching says
// otherwise), name and title. REQUIRES: the cluster's statistics are filled.
void TriageCluster(Cluster& cluster, const std::vector<Template>& templates,
                   const std::vector<TemplateStats>& stats, const TriageRules& rules);

// "GCP-new-P1-Redis connection refused". The name is cut to fit 256 chars.
std::string MakeTitle(std::string_view category, int priority, std::string_view name);

// A short readable name from a template: its first line with placeholders and
// stray punctuation removed, cut at a word boundary.
std::string NameFromTemplate(std::string_view template_text, size_t max_chars);

}  // namespace lg

#endif  // LOG_GARDENER_TRIAGE_TRIAGE_H_
