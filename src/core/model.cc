#include "core/model.h"

#include <algorithm>

namespace lg {

size_t SeverityIndex(Severity s) {
  for (size_t i = 0; i < std::size(kAllSeverities); ++i) {
    if (kAllSeverities[i] == s) return i;
  }
  return 0;
}

void Occurrences::Merge(const Occurrences& o) {
  if (o.count == 0) return;
  if (count == 0 || o.first_seen < first_seen) first_seen = o.first_seen;
  if (count == 0 || last_seen < o.last_seen) last_seen = o.last_seen;
  count += o.count;
  for (size_t i = 0; i < by_severity.size(); ++i) by_severity[i] += o.by_severity[i];
  max_severity = std::max(max_severity, o.max_severity);
  revisions.insert(o.revisions.begin(), o.revisions.end());
  for (const auto& i : o.instances) {
    if (instances.size() < kMaxInstances) instances.insert(i);
  }
  if (o.sample.set && sample.Offer(o.sample.timestamp, o.sample.insert_id)) sample = o.sample;
}

std::string_view ActionKindName(ActionKind k) {
  switch (k) {
    case ActionKind::kNone: return "none";
    case ActionKind::kComment: return "comment";
    case ActionKind::kRegression: return "regression";
    case ActionKind::kCreate: return "create";
  }
  return "none";
}

}  // namespace lg
