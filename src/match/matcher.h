// Matcher: finds the tracker issue a cluster is about.
//
// Evidence, strongest first:
//   1. the state maps the cluster's fingerprint to an issue;
//   2. an issue body carries the visible line "log-gardener fingerprint: <fp>"
//      (so a run with lost state, or on another machine, finds its own issues);
//   3. text similarity: BM25 (title words count three times) between the
//      cluster's signature and every issue, over stemmed words that also
//      count as the concept an engineer reads in them (latency/slow/p95,
//      panic/unhandled exception, jwt/secret/auth...) and 4xx/5xx status
//      codes (match/lexicon.h). The best issue matches when its score is high
//      enough and clearly ahead of every issue about another topic (issues
//      about the same topic as the best, by their own word overlap, are its
//      duplicates: the open one of them gets the comment, or else the closed
//      one is the regression's parent). When no other cluster of the run
//      scores the best issue as high (each is about one problem), half the
//      bar will do. Calibrated on generated scenarios (docs/benchmarks.md);
//      a wrong comment is worse than a new issue.
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
  // Score the best issue must reach, in "rare words": a BM25 score divided by
  // the IDF of a word found in a single issue, so the bar means the same in
  // a tracker of 3 issues and of 3,000 (about seven distinctive shared words).
  double threshold = 7;
  // An issue whose title's words are nearly all in the signature (a person
  // naming exactly this problem) needs only this share of the bar.
  double title_cover = 0.75;
  double title_cover_bar = 0.5;
  // ... and how far ahead of the best issue about another topic it must be.
  double margin = 1.5;
  // The bar when this cluster is the issue's best match among all the run's
  // clusters (no other scores it as high), with the same margin.
  double mutual_threshold = 3;
  // Two issues are about the same topic from this cosine of their words, or
  // when the query found them through the same words (this IDF-weighted
  // share of the smaller one's matched words): two people describing one
  // problem differently still quote the same log words.
  double same_topic = 0.3;
  double same_words = 0.5;
  // Same-topic issues within this share of the best score are candidates;
  // an open one whose words have this cosine with the best's is one at any
  // score (a closed issue and its reopened twin: the open one gets the comment).
  double keep = 0.6;
  double open_twin = 0.5;
  // At least this many distinct shared words.
  size_t min_shared_terms = 2;
  // Related issues ("Related: #N"): other issues within this share of the best.
  double related_share = 0.5;
  size_t max_related = 3;
  // An issue labelled with the cluster's own priority (a label P0..P3, or a
  // GCP-…-Pn-… title) scores this many times its text score: people label
  // an incident's issue by its severity, and the gardener's priority is
  // within one band of theirs. A different label costs nothing (issues
  // about other problems carry theirs too, and so may a true one).
  double priority_bonus = 1.2;
  double title_weight = 3;
  double k1 = 1.2;
  double b = 0.75;
};

struct Candidate {
  int64_t issue = 0;
  bool open = false;
  double score = 0;
  bool same_priority = false;  // labelled with the cluster's priority (score includes the bonus)
  std::vector<std::string> shared_terms;
};

struct MatchResult {
  enum class Via { kNone, kState, kFingerprintLine, kText } via = Via::kNone;
  std::optional<Candidate> best_open;    // best open issue at or above threshold
  std::optional<Candidate> best_closed;  // best closed issue at or above threshold
  std::optional<Candidate> runner_up;    // next best of any state, for the rationale
  // When nothing matches: the best issue, the best one about another topic,
  // and which test the best failed (for the rationale).
  std::optional<Candidate> best;
  std::optional<Candidate> rival;
  bool under_bar = false, not_ahead = false;
  double bar = 0;
  std::vector<int64_t> related;          // above related_threshold, not the match
  bool mutual = false;  // matched as the issue's best cluster of the run, under the full bar
};

// For each issue, the best score any other cluster of the run gives it.
using OtherClusterScores = std::unordered_map<int64_t, double>;

// Words a person uses for an HTTP status ("internal server error 500s" for
// 500), appended to a request pattern's signature.
std::string_view StatusWords(int status);

// The visible fingerprint line and the window marker the gardener writes.
std::string FingerprintLine(std::string_view fingerprint);
std::string WindowMarker(std::string_view fingerprint, std::string_view window);
// The start of every window's marker for this fingerprint.
std::string UpdateMarkerPrefix(std::string_view fingerprint);
// Finds the fingerprint in a body that carries FingerprintLine(), if any.
std::optional<std::string> FingerprintInBody(std::string_view body);

class IssueIndex {
 public:
  explicit IssueIndex(std::vector<Issue> issues);
  const std::vector<Issue>& issues() const { return issues_; }
  const Issue* Find(int64_t number) const;
  // The gardener's own issue for this fingerprint, newest first.
  const Issue* FindByFingerprint(std::string_view fingerprint) const;

  // Every issue sharing enough words with `text`, best first. `priority`:
  // the cluster's (0..3), or -1 when unknown.
  std::vector<Candidate> Score(std::string_view text, const MatchOptions& options, int priority = -1) const;

  // Scores every issue against `text` (the cluster's signature). `others`:
  // what the run's other clusters score each issue (nullptr: unknown).
  MatchResult MatchText(std::string_view text, const MatchOptions& options,
                        const OtherClusterScores* others = nullptr, int priority = -1) const;

  // The priority an issue was given: a label P0..P3 (also "priority: P1",
  // "priority/P1"), else a GCP-…-Pn-… title; -1 when none.
  static int IssuePriority(const Issue& issue);

 private:
  struct Scored {
    size_t k;
    Candidate c;
  };
  std::vector<Scored> ScoreDocs(std::string_view text, const MatchOptions& o, int priority) const;
  struct Doc {
    std::unordered_map<std::string, std::pair<double, double>> tf;  // word → (title, body) counts
    double title_length = 0, body_length = 0;
    std::vector<std::string> words;  // sorted unique
    std::vector<std::string> title_words;  // sorted unique
    int priority = -1;
  };
  double Idf(const std::string& word) const;
  double Cosine(size_t a, size_t b) const;
  double SameMatch(const Candidate& a, const Candidate& b) const;
  std::vector<Issue> issues_;
  std::vector<Doc> docs_;
  std::unordered_map<std::string, size_t> df_;
  std::unordered_map<std::string, size_t> by_fingerprint_;
};

}  // namespace lg

#endif  // LOG_GARDENER_MATCH_MATCHER_H_
