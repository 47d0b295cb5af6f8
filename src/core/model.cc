#include "core/model.h"

namespace lg {

size_t SeverityIndex(Severity s) {
  for (size_t i = 0; i < std::size(kAllSeverities); ++i) {
    if (kAllSeverities[i] == s) return i;
  }
  return 0;
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
