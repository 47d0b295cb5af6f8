#include "correlate/words.h"

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_map>

#include "mine/masker.h"

namespace lg {
namespace {

// Words too common in log lines to say anything about a problem.
bool IsStopWord(std::string_view w) {
  static constexpr std::string_view kStop[] = {
      "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "was", "be",
      "with", "by", "at", "from", "as", "not", "no", "this", "that", "it", "its", "into", "after",
      "before", "via", "than", "then"};
  for (auto s : kStop) {
    if (w == s) return true;
  }
  return false;
}

const std::unordered_map<std::string_view, std::string_view>& Synonyms() {
  static const auto* table = [] {
    auto* m = new std::unordered_map<std::string_view, std::string_view>;
    const std::vector<std::vector<std::string_view>> groups = {
        {"auth", "authentication", "authenticated", "authenticate", "authorization", "unauthorized",
         "unauthenticated", "jwt", "token", "tokens", "login", "credential", "credentials", "secret"},
        {"db", "database", "postgres", "postgresql", "sql", "psycopg2", "asyncpg", "sqlalchemy",
         "query", "mysql"},
        {"oom", "memory", "heap", "rss"},
        {"redis", "cache"},
        {"connect", "connection", "connecting", "reconnect", "reconnecting", "reconnection", "dial",
         "refused"},
        {"timeout", "timed", "deadline"},
        {"ratelimit", "429", "ratelimited", "throttled"},
        {"fail", "failed", "failure", "failures", "failing", "fails"},
    };
    for (const auto& g : groups) {
      for (auto w : g) (*m)[w] = g.front();
    }
    return m;
  }();
  return *table;
}

}  // namespace

std::string StemWord(std::string_view w) {
  static constexpr std::string_view kSuffixes[] = {"ations", "ation", "ions", "ion", "ings",
                                                   "ing",    "ed",    "es",   "s"};
  std::string_view stem = w;
  for (auto suf : kSuffixes) {
    if (stem.size() > suf.size() + 3 && stem.ends_with(suf)) {
      stem.remove_suffix(suf.size());
      break;
    }
  }
  return std::string(stem);
}

std::string NormalizeWord(std::string_view w) {
  const auto& syn = Synonyms();
  if (auto it = syn.find(w); it != syn.end()) return std::string(it->second);
  std::string stem = StemWord(w);
  if (auto it = syn.find(stem); it != syn.end()) return std::string(it->second);
  return stem;
}

std::vector<std::string> ContentWords(std::string_view text) {
  std::vector<std::string> out = ContentTokens(text);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ForEachWord(std::string_view text, const std::function<void(std::string_view)>& fn) {
  std::string word;
  auto flush = [&] {
    if (word.size() > 1 && !std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        !IsStopWord(word)) {
      fn(word);
    }
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '<') {
      size_t close = text.find('>', i);
      if (close != std::string_view::npos && IsPlaceholder(text.substr(i, close - i + 1))) {
        flush();
        i = close;
        continue;
      }
    }
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    const bool digit = c >= '0' && c <= '9';
    if (!upper && !lower && !digit) {
      flush();
      continue;
    }
    // camelCase boundary: a capital after a lower-case letter starts a word.
    if (upper && i > 0 && text[i - 1] >= 'a' && text[i - 1] <= 'z') flush();
    word += upper ? static_cast<char>(c + 32) : c;
  }
  flush();
}

std::vector<std::string> ContentTokens(std::string_view text) {
  std::vector<std::string> out;
  ForEachWord(text, [&](std::string_view w) { out.push_back(NormalizeWord(w)); });
  return out;
}

}  // namespace lg
