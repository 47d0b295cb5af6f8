// Matcher: finds the tracker issue a cluster is about.
//
// Evidence, strongest first:
//   1. the state maps the cluster's fingerprint to an issue;
//   2. an issue body carries the visible line "log-gardener fingerprint: <fp>"
//      (so a run with lost state, or on another machine, finds its own issues);
//   3. text similarity between the cluster's words and the issue's title and
//      body, weighted by how rare each word is among the issues (IDF).
#ifndef LOG_GARDENER_MATCH_MATCHER_H_
#define LOG_GARDENER_MATCH_MATCHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "log_gardener/tracker.h"

namespace lg {

struct MatchOptions {
  // Share of the cluster's word weight an issue must cover to count as the
  // same problem. Conservative: a wrong comment is worse than a new issue.
  double threshold = 0.55;
  // Lower bar for "Related: #N" links.
  double related_threshold = 0.35;
  // At least this many distinct shared words.
  size_t min_shared_terms = 3;
  size_t max_related = 3;
};

struct Candidate {
  int64_t issue = 0;
  bool open = false;
  double score = 0;
  std::vector<std::string> shared_terms;
};

struct MatchResult {
  enum class Via { kNone, kState, kFingerprintLine, kText } via = Via::kNone;
  std::optional<Candidate> best_open;    // best open issue at or above threshold
  std::optional<Candidate> best_closed;  // best closed issue at or above threshold
  std::optional<Candidate> runner_up;    // next best of any state, for the rationale
  std::vector<int64_t> related;          // above related_threshold, not the match
};

// Lower-case words of 3+ letters/digits, without stop words and placeholders.
std::vector<std::string> Terms(std::string_view text);

// The visible fingerprint line and the window marker the gardener writes.
std::string FingerprintLine(std::string_view fingerprint);
std::string WindowMarker(std::string_view fingerprint, std::string_view window);
// Finds the fingerprint in a body that carries FingerprintLine(), if any.
std::optional<std::string> FingerprintInBody(std::string_view body);

class IssueIndex {
 public:
  explicit IssueIndex(std::vector<Issue> issues);
  const std::vector<Issue>& issues() const { return issues_; }
  const Issue* Find(int64_t number) const;
  // The gardener's own issue for this fingerprint, newest first.
  const Issue* FindByFingerprint(std::string_view fingerprint) const;

  // Scores every issue against `text` (the cluster's signature).
  MatchResult MatchText(std::string_view text, const MatchOptions& options) const;

 private:
  std::vector<Issue> issues_;
  std::vector<std::vector<std::string>> terms_;  // sorted unique, per issue
  std::unordered_map<std::string, double> idf_;
  std::unordered_map<std::string, size_t> by_fingerprint_;
};

}  // namespace lg

#endif  // LOG_GARDENER_MATCH_MATCHER_H_
