// Words of a template for content similarity: lower-case, identifiers split
// (`sentry_sdk` → sentry sdk, `LlmManager` → llm manager), placeholders and
// numbers dropped, light suffix stripping, and a small table of synonyms an
// engineer treats as one thing (auth/authentication/jwt/token,
// db/database/postgres/sql, oom/memory/heap, connect/connection/refused...).
#ifndef LOG_GARDENER_CORRELATE_WORDS_H_
#define LOG_GARDENER_CORRELATE_WORDS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

// Distinct normalized words of `text`, sorted.
std::vector<std::string> ContentWords(std::string_view text);

// The same words in text order, repeats kept (for term frequencies).
std::vector<std::string> ContentTokens(std::string_view text);

// The normalized form of one lower-case word (stem, then synonym).
std::string NormalizeWord(std::string_view lower);

// One lower-case word with a common suffix stripped ("connections" → "connect").
std::string StemWord(std::string_view lower);

// Calls `fn` with each lower-case word of `text` as ContentTokens splits it
// (identifiers and camelCase split, placeholders, numbers and a few function
// words skipped), before stemming.
void ForEachWord(std::string_view text, const std::function<void(std::string_view)>& fn);

}  // namespace lg

#endif  // LOG_GARDENER_CORRELATE_WORDS_H_
