// The words the matcher compares a cluster and an issue by.
//
// A person writing an issue names a problem in their own words ("p95 latency
// above SLO", "bots probing for .env", "unhandled exception in the handler");
// the logs say "took 7.9s", "GET /.env → 404", "panic recovered". Each word is
// kept as it is (stemmed, as the correlator splits it) and, when an engineer
// would treat it as one of a small set of concepts (latency, exception,
// scanner, auth, database, ...), also counts as that concept: "latency" and
// "slow" then share the token "~slow" while "jwt" and "secret" stay distinct
// words. A concept's own name does not add the concept token again (a word as
// common as "fail" or "connect" would count twice). HTTP status codes of the
// 4xx/5xx range are words too ("http500"), since "500 when posting a message"
// and "→ 500" say the same thing.
#ifndef LOG_GARDENER_MATCH_LEXICON_H_
#define LOG_GARDENER_MATCH_LEXICON_H_

#include <string>
#include <string_view>
#include <vector>

namespace lg {

// The tokens of `text` in order, repeats kept (term frequencies).
std::vector<std::string> MatchTokens(std::string_view text);

// The distinct tokens, sorted.
std::vector<std::string> MatchWords(std::string_view text);

}  // namespace lg

#endif  // LOG_GARDENER_MATCH_LEXICON_H_
