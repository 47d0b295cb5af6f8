#include "match/matcher.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace lg {
namespace {

constexpr std::string_view kFingerprintPrefix = "log-gardener fingerprint: ";

bool IsStopWord(std::string_view w) {
  static const std::set<std::string_view> kStop = {
      "the", "and", "for", "with", "from", "that", "this", "was", "were", "are", "not", "but",
      "has", "have", "had", "into", "onto", "via", "per", "its", "it's", "all", "any", "can",
      "will", "would", "should", "could", "been", "being", "than", "then", "when", "while",
      "after", "before", "over", "under", "out", "off", "our", "you", "your", "they", "them",
      "there", "here", "what", "which", "who", "how", "why", "also", "only", "some", "more",
      "most", "less", "each", "every", "other", "such", "same", "does", "did", "doing", "done",
      "get", "got", "set", "use", "used", "using", "may", "might", "one", "two", "see", "new",
      "last", "line", "file", "most", "call", "recent", "traceback", "none", "null", "true",
      "false", "error", "errors", "warning", "info", "log", "logs", "logging"};
  return kStop.count(w) > 0;
}

}  // namespace

std::vector<std::string> Terms(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.size() >= 3 && !IsStopWord(cur)) {
      bool digits_only = std::all_of(cur.begin(), cur.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits_only) out.push_back(cur);
    }
    cur.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '<') {  // skip placeholders like <NUM>
      size_t close = text.find('>', i);
      if (close != std::string_view::npos && close - i <= 12) {
        bool upper = true;
        for (size_t k = i + 1; k < close; ++k) upper &= (std::isupper(static_cast<unsigned char>(text[k])) || text[k] == '*');
        if (upper) {
          flush();
          i = close;
          continue;
        }
      }
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::string FingerprintLine(std::string_view fingerprint) {
  return fmt::format("{}{}", kFingerprintPrefix, fingerprint);
}

std::string WindowMarker(std::string_view fingerprint, std::string_view window) {
  return fmt::format("log-gardener update: {} window {}", fingerprint, window);
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
  std::unordered_map<std::string, size_t> df;
  terms_.reserve(issues_.size());
  for (size_t k = 0; k < issues_.size(); ++k) {
    const Issue& i = issues_[k];
    auto t = Terms(i.title + "\n" + i.body);
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    for (const auto& w : t) ++df[w];
    terms_.push_back(std::move(t));
    if (auto fp = FingerprintInBody(i.body)) {
      // Newest issue wins when several carry the fingerprint.
      by_fingerprint_[*fp] = k;
    }
  }
  const double n = static_cast<double>(issues_.size());
  for (const auto& [w, d] : df) idf_[w] = std::log(1.0 + (n + 1.0) / (static_cast<double>(d) + 0.5));
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

MatchResult IssueIndex::MatchText(std::string_view text, const MatchOptions& options) const {
  MatchResult result;
  auto query = Terms(text);
  std::sort(query.begin(), query.end());
  query.erase(std::unique(query.begin(), query.end()), query.end());
  // Words no issue uses still count in the denominator, at the highest weight.
  const double unseen = std::log(1.0 + (static_cast<double>(issues_.size()) + 1.0) / 0.5);
  double total = 0;
  for (const auto& w : query) {
    auto it = idf_.find(w);
    total += it == idf_.end() ? unseen : it->second;
  }
  if (total <= 0) return result;
  std::vector<Candidate> scored;
  for (size_t k = 0; k < issues_.size(); ++k) {
    Candidate c;
    c.issue = issues_[k].number;
    c.open = issues_[k].is_open();
    double shared = 0;
    for (const auto& w : query) {
      if (std::binary_search(terms_[k].begin(), terms_[k].end(), w)) {
        shared += idf_.at(w);
        c.shared_terms.push_back(w);
      }
    }
    c.score = shared / total;
    if (c.shared_terms.size() >= options.min_shared_terms) scored.push_back(std::move(c));
  }
  std::sort(scored.begin(), scored.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.issue < b.issue;
  });
  for (const Candidate& c : scored) {
    if (c.score < options.threshold) break;
    if (c.open && !result.best_open) result.best_open = c;
    if (!c.open && !result.best_closed) result.best_closed = c;
  }
  const Candidate* chosen = result.best_open ? &*result.best_open
                            : result.best_closed ? &*result.best_closed : nullptr;
  for (const Candidate& c : scored) {
    if (chosen && c.issue == chosen->issue) continue;
    if (!result.runner_up) result.runner_up = c;
    if (c.score >= options.related_threshold && result.related.size() < options.max_related) {
      result.related.push_back(c.issue);
    }
  }
  if (chosen) result.via = MatchResult::Via::kText;
  return result;
}

}  // namespace lg
