#include "match/matcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "match/lexicon.h"

namespace lg {
namespace {

constexpr std::string_view kFingerprintPrefix = "log-gardener fingerprint: ";

}  // namespace

std::string_view StatusWords(int status) {
  switch (status) {
    case 400: return "bad request client error";
    case 401: return "unauthorized auth client error";
    case 403: return "forbidden auth client error";
    case 404: return "not found scanner probe client error";
    case 408: return "request timeout";
    case 429: return "rate limit too many requests";
    case 500: return "internal server error 500s 5xx";
    case 502: return "bad gateway 5xx";
    case 503: return "service unavailable 503s 5xx";
    case 504: return "gateway timeout 5xx";
    default:
      return status >= 500 ? "server error 5xx" : status >= 400 ? "client error 4xx" : "";
  }
}

std::string FingerprintLine(std::string_view fingerprint) {
  return fmt::format("{}{}", kFingerprintPrefix, fingerprint);
}

std::string WindowMarker(std::string_view fingerprint, std::string_view window) {
  return fmt::format("{}{}", UpdateMarkerPrefix(fingerprint), window);
}

std::string UpdateMarkerPrefix(std::string_view fingerprint) {
  return fmt::format("log-gardener update: {} window ", fingerprint);
}

std::optional<std::string> FingerprintInBody(std::string_view body) {
  size_t pos = body.find(kFingerprintPrefix);
  if (pos == std::string_view::npos) return std::nullopt;
  pos += kFingerprintPrefix.size();
  if (pos < body.size() && body[pos] == '`') ++pos;
  size_t end = pos;
  while (end < body.size() && (std::isalnum(static_cast<unsigned char>(body[end])) || body[end] == '-')) ++end;
  if (end == pos) return std::nullopt;
  return std::string(body.substr(pos, end - pos));
}

IssueIndex::IssueIndex(std::vector<Issue> issues) : issues_(std::move(issues)) {
  docs_.reserve(issues_.size());
  for (size_t k = 0; k < issues_.size(); ++k) {
    const Issue& i = issues_[k];
    Doc d;
    for (auto& w : MatchTokens(i.title)) {
      d.tf[w].first += 1;
      d.title_length += 1;
    }
    for (auto& w : MatchTokens(i.body)) {
      d.tf[w].second += 1;
      d.body_length += 1;
    }
    for (const auto& [w, tf] : d.tf) d.words.push_back(w);
    d.title_words = MatchWords(i.title);
    d.priority = IssuePriority(i);
    std::sort(d.words.begin(), d.words.end());
    for (const auto& w : d.words) ++df_[w];
    docs_.push_back(std::move(d));
    if (auto fp = FingerprintInBody(i.body)) {
      // Newest issue wins when several carry the fingerprint.
      by_fingerprint_[*fp] = k;
    }
  }
}

// How rare a word is among the issues (smoothed: a word of no issue is rarest).
double IssueIndex::Idf(const std::string& w) const {
  const double n = static_cast<double>(docs_.size());
  auto it = df_.find(w);
  return std::log((n + 1) / ((it == df_.end() ? 0 : static_cast<double>(it->second)) + 0.5));
}

// IDF-weighted share of the smaller candidate's matched words that the other
// matched too: two issues found through the same words of the query.
double IssueIndex::SameMatch(const Candidate& a, const Candidate& b) const {
  double wa = 0, wb = 0, both = 0;
  for (const auto& w : a.shared_terms) wa += Idf(w);
  for (const auto& w : b.shared_terms) {
    wb += Idf(w);
    if (std::find(a.shared_terms.begin(), a.shared_terms.end(), w) != a.shared_terms.end()) both += Idf(w);
  }
  const double m = std::min(wa, wb);
  return m > 0 ? both / m : 0;
}

double IssueIndex::Cosine(size_t a, size_t b) const {
  double dot = 0, na = 0, nb = 0;
  auto squared = [&](const std::string& w) {
    const double f = Idf(w);
    return f * f;
  };
  for (const auto& w : docs_[a].words) na += squared(w);
  for (const auto& w : docs_[b].words) {
    const double f = squared(w);
    nb += f;
    if (std::binary_search(docs_[a].words.begin(), docs_[a].words.end(), w)) dot += f;
  }
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

const Issue* IssueIndex::Find(int64_t number) const {
  for (const Issue& i : issues_) {
    if (i.number == number) return &i;
  }
  return nullptr;
}

const Issue* IssueIndex::FindByFingerprint(std::string_view fingerprint) const {
  auto it = by_fingerprint_.find(std::string(fingerprint));
  return it == by_fingerprint_.end() ? nullptr : &issues_[it->second];
}

int IssueIndex::IssuePriority(const Issue& issue) {
  auto level = [](std::string_view s) -> int {
    return s.size() == 2 && (s[0] == 'P' || s[0] == 'p') && s[1] >= '0' && s[1] <= '3' ? s[1] - '0' : -1;
  };
  for (const std::string& label : issue.labels) {
    std::string_view l = label;
    for (std::string_view prefix : {"priority: ", "priority:", "priority/", "priority-", "priority "}) {
      if (l.size() > prefix.size() && std::equal(prefix.begin(), prefix.end(), l.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
          })) {
        l.remove_prefix(prefix.size());
        break;
      }
    }
    if (int p = level(l); p >= 0) return p;
  }
  // GCP-{category}-P{n}-{name}: the category is letters and dashes.
  std::string_view t = issue.title;
  if (t.starts_with("GCP-")) {
    for (size_t k = 4; k + 3 < t.size(); ++k) {
      if (t[k] == '-' && level(t.substr(k + 1, 2)) >= 0 && t[k + 3] == '-') return t[k + 2] - '0';
      if (!std::isalpha(static_cast<unsigned char>(t[k])) && t[k] != '-') break;
    }
  }
  return -1;
}

std::vector<IssueIndex::Scored> IssueIndex::ScoreDocs(std::string_view text, const MatchOptions& o,
                                                      int priority) const {
  std::vector<Scored> scored;
  if (docs_.empty()) return scored;
  const std::vector<std::string> query = MatchWords(text);
  const double n = static_cast<double>(docs_.size());
  double avg = 0;
  for (const Doc& d : docs_) avg += o.title_weight * d.title_length + d.body_length;
  avg = std::max(1.0, avg / n);
  for (size_t k = 0; k < docs_.size(); ++k) {
    const Doc& d = docs_[k];
    const double dl = o.title_weight * d.title_length + d.body_length;
    Scored s{k, {}};
    s.c.issue = issues_[k].number;
    s.c.open = issues_[k].is_open();
    for (const auto& w : query) {
      auto it = d.tf.find(w);
      if (it == d.tf.end()) continue;
      const double f = o.title_weight * it->second.first + it->second.second;
      const double df = static_cast<double>(df_.at(w));
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      s.c.score += idf * f * (o.k1 + 1) / (f + o.k1 * (1 - o.b + o.b * dl / avg));
      s.c.shared_terms.push_back(w);
    }
    if (priority >= 0 && d.priority == priority) {
      s.c.score *= o.priority_bonus;
      s.c.same_priority = true;
    }
    if (s.c.shared_terms.size() >= o.min_shared_terms) scored.push_back(std::move(s));
  }
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    return a.c.score != b.c.score ? a.c.score > b.c.score : a.c.issue < b.c.issue;
  });
  return scored;
}

std::vector<Candidate> IssueIndex::Score(std::string_view text, const MatchOptions& o, int priority) const {
  std::vector<Candidate> out;
  for (Scored& s : ScoreDocs(text, o, priority)) out.push_back(std::move(s.c));
  return out;
}

MatchResult IssueIndex::MatchText(std::string_view text, const MatchOptions& o,
                                  const OtherClusterScores* others, int priority) const {
  MatchResult result;
  const std::vector<Scored> scored = ScoreDocs(text, o, priority);
  if (scored.empty()) return result;
  const std::vector<std::string> query = MatchWords(text);
  const double n = static_cast<double>(docs_.size());
  const Scored& top = scored.front();
  // One rare word's worth: the IDF of a word found in a single issue.
  const double rare = std::log(1 + (n - 1 + 0.5) / 1.5);
  const double bar = o.threshold * std::max(rare, 0.5);
  // Issues about the best one's topic (its duplicates, open or closed) and
  // the best issue about anything else.
  std::vector<const Scored*> same;
  const Scored* other = nullptr;
  for (const Scored& s : scored) {
    if (s.k == top.k || Cosine(top.k, s.k) >= o.same_topic || SameMatch(top.c, s.c) >= o.same_words) {
      same.push_back(&s);
    } else if (!other) {
      other = &s;
    }
  }
  result.runner_up = other ? std::optional<Candidate>(other->c) : std::nullopt;
  // Title coverage: the share of the best issue's title words in the query.
  const auto& tw = docs_[top.k].title_words;
  size_t covered = 0;
  for (const auto& w : tw) covered += std::binary_search(query.begin(), query.end(), w) ? 1 : 0;
  const bool titled = tw.size() >= 3 && static_cast<double>(covered) >= o.title_cover * static_cast<double>(tw.size());
  const bool high = top.c.score >= bar || (titled && top.c.score >= o.title_cover_bar * bar);
  const bool ahead = !other || top.c.score >= o.margin * other->c.score;
  bool clear = high && ahead;
  if (!clear && ahead && others && top.c.score >= o.mutual_threshold * std::max(rare, 0.5)) {
    // No other cluster of the run scores this issue as high.
    auto it = others->find(top.c.issue);
    if (it == others->end() || it->second < top.c.score) clear = result.mutual = true;
  }
  int64_t chosen = 0;
  if (clear) {
    for (const Scored* s : same) {
      // A near-duplicate of the best that is still open is the live ticket
      // even when it scores lower (often a shorter write-up of the problem).
      const bool open_twin = s->c.open && s != same.front() && Cosine(top.k, s->k) >= o.open_twin;
      if (s->c.score < o.keep * top.c.score && !open_twin) continue;
      if (s->c.open && !result.best_open) result.best_open = s->c;
      if (!s->c.open && !result.best_closed) result.best_closed = s->c;
    }
    chosen = result.best_open ? result.best_open->issue : result.best_closed->issue;
    result.via = MatchResult::Via::kText;
    // The runner-up shown is the best other-topic issue; when there is none,
    // the next same-topic one.
    if (!other) {
      for (const Scored* s : same) {
        if (s->c.issue != chosen) {
          result.runner_up = s->c;
          break;
        }
      }
    }
  } else {
    result.runner_up = top.c;  // the best, though not good enough
    result.best = top.c;
    if (other) result.rival = other->c;
    result.under_bar = !high;
    result.not_ahead = !ahead;
    result.bar = bar;
  }
  for (const Scored& s : scored) {
    if (s.c.issue == chosen || s.c.score < o.related_share * top.c.score || !clear) continue;
    if (result.related.size() < o.max_related) result.related.push_back(s.c.issue);
  }
  return result;
}

}  // namespace lg
