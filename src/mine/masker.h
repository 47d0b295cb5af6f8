// Masker: replaces the variable parts of a log message with typed placeholders.
//
// One left-to-right pass per whitespace-separated token, no regular
// expressions: at each segment start the recognizers below are tried in order,
// longest shape first, and the first that matches consumes its bytes. A
// token's whitespace is never changed, so masked token i is raw token i (the
// miner relies on that to show a constant raw value instead of its mask).
// Placeholders keep their kind internally (<NUM>, <IP>, ...) so templates stay
// readable; benchmark output maps every kind to <*> (template_text.h).
//
// What counts as a variable follows Sentry's message parametrization and the
// Loghub-2.0 annotation conventions: numbers (including signed, decimal and
// dotted versions) wherever they stand, IPs, UUIDs, hex ids and hashes,
// e-mails, URLs (the scheme stays), file paths, timestamps, durations, sizes,
// booleans and null, quoted values after '=' or ':'. A word that mixes letters
// and digits (`abc123`, `ssh2`) is a "soft" variable: masked for matching,
// but a template shows it verbatim when every line of the template agrees.
#ifndef LOG_GARDENER_MINE_MASKER_H_
#define LOG_GARDENER_MINE_MASKER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

enum class MaskKind : uint8_t {
  kTimestamp,  // 2025-09-15T15:00:00.123Z
  kDate,       // 2025-09-15
  kTime,       // 15:00:00.123
  kUuid,       // 8-4-4-4-12 hex
  kIp,         // IPv4 (a port stays outside: <IP>:<NUM>) or IPv6
  kEmail,
  kUrl,        // what follows scheme://
  kHost,       // proxy.example.com before :port, or a name in a common TLD
  kPath,       // /a/b/c
  kHex,        // 0x1f, long hex ids and hashes
  kDuration,   // 123ms, 1.5s
  kSize,       // 4096MiB, 10KB
  kNum,        // 42, 3.14, -7, 1.2.3
  kBool,       // true, false, null
  kId,         // any other word with digits: abc123, l0n (soft)
  kStr,        // a quoted value after '=' or ':'
  kValue,      // an unquoted value after '=' (only with mask_key_values)
};

std::string_view MaskPlaceholder(MaskKind kind);  // "<NUM>"

struct MaskOptions {
  // Mask the unquoted value after '=' even when it has no digits (user=alice).
  // Off by default: the miner finds such variables by comparing lines.
  bool mask_key_values = false;
  // Mask quoted values that follow '=' or ':' inside a token.
  bool mask_quoted_values = true;
  // Mask file paths (/a/b). Off for request routes, where the path is the
  // thing that names the problem.
  bool mask_paths = true;
  // Mask host names (before :port, or in a common top-level domain).
  bool mask_hosts = true;
};

// One masked token: its text is buf[begin, begin+size) of the MaskedLine.
struct MaskedToken {
  uint32_t begin = 0;
  uint32_t size = 0;
  std::string_view raw;  // the token as written (points into the input)
  bool masked = false;   // at least one placeholder
  bool soft = false;     // every placeholder is a soft <ID>
  bool line_start = false;  // a newline precedes it (multi-line messages)
};

struct MaskedLine {
  std::string buf;
  std::vector<MaskedToken> tokens;
  std::string_view text(const MaskedToken& t) const {
    return std::string_view(buf).substr(t.begin, t.size);
  }
  void clear() {
    buf.clear();
    tokens.clear();
  }
};

// Splits `text` on whitespace and masks each token into `out` (cleared
// first). At most `max_tokens` tokens; the rest of the line is one last token
// "<…>" so a long tail never makes a different template. Reuses `out`'s
// storage: no allocation once warm.
void MaskTokens(std::string_view text, MaskedLine& out, const MaskOptions& options = {},
                size_t max_tokens = 256);

// Masks one whitespace-free token into `out` (appended). Returns whether a
// placeholder was written; `soft` is set when all of them were soft <ID>s.
bool MaskToken(std::string_view token, std::string& out, bool& soft, const MaskOptions& options = {});

// `text` with every recognized variable replaced by its placeholder and the
// whitespace kept as it was. Pure; deterministic.
std::string MaskMessage(std::string_view text, const MaskOptions& options = {});

// True if `token` is one of the placeholders MaskMessage writes.
bool IsPlaceholder(std::string_view token);

}  // namespace lg

#endif  // LOG_GARDENER_MINE_MASKER_H_
