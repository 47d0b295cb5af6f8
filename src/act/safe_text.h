// Safe text: everything taken from logs is untrusted. Before it leaves the
// machine (issue titles, bodies, comments) it goes through these functions.
#ifndef LOG_GARDENER_ACT_SAFE_TEXT_H_
#define LOG_GARDENER_ACT_SAFE_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

namespace lg {

// Replaces secret values with "[REDACTED]": values of keys like password,
// secret, token, api_key, authorization, cookie; bearer tokens; GitHub tokens
// (ghp_, gho_, ghs_, github_pat_); AWS access key ids (AKIA...); JWTs; PEM
// private keys; passwords in URLs (scheme://user:pass@host).
std::string ScrubSecrets(std::string_view text);

// Adds the user's own secret patterns (RE2) to what ScrubSecrets removes, for
// the whole process (the config's [scrub] patterns; set once at start-up,
// before any rendering). Invalid patterns are skipped (the config loader
// reports them).
void SetExtraScrubPatterns(const std::vector<std::string>& patterns);

// Neutralizes @mentions, #123 and owner/repo#123 references with a zero-width
// joiner so the tracker links and pings nobody; removes control characters
// (but \n and \t) and bidirectional overrides.
std::string NeutralizeMarkdown(std::string_view text);

// ScrubSecrets, then NeutralizeMarkdown, then lines capped at `max_line` bytes.
std::string SafeText(std::string_view text, size_t max_line = 2000);

// A code fence longer than any backtick run in `content` (at least 3).
std::string FenceFor(std::string_view content);

// Cuts `text` to at most `max_bytes` on a UTF-8 boundary, adding a note.
std::string CapBytes(std::string_view text, size_t max_bytes);

}  // namespace lg

#endif  // LOG_GARDENER_ACT_SAFE_TEXT_H_
