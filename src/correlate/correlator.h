// Correlator: the `correlate` stage. Merges templates into incident clusters.
//
// This first version keeps one cluster per template; incident correlation
// (shared traces, instances, bursts, deploys) replaces it behind this function.
#ifndef LOG_GARDENER_CORRELATE_CORRELATOR_H_
#define LOG_GARDENER_CORRELATE_CORRELATOR_H_

#include <vector>

#include "core/model.h"
#include "mine/grouper.h"

namespace lg {

// Returns the clusters, each listing its template indices (count descending,
// then template id). Pure. Every template with entries lands in exactly one
// cluster. Fingerprints are filled in; statistics and triage are not.
std::vector<Cluster> CorrelateTemplates(const std::vector<Template>& templates,
                                        const std::vector<TemplateStats>& stats);

// Formats a fingerprint from a 64-bit identity: "lg1-0123456789abcdef".
std::string FormatFingerprint(uint64_t id);

}  // namespace lg

#endif  // LOG_GARDENER_CORRELATE_CORRELATOR_H_
