// Masker: replaces the variable parts of a log message with typed placeholders.
//
// One left-to-right pass, no regular expressions: at each token start the
// recognizers below are tried in order, longest-shape first, and the first
// that matches consumes its bytes. Placeholders keep their kind internally
// (<NUM>, <IP>, ...) so templates stay readable; benchmark output maps every
// kind to <*>.
#ifndef LOG_GARDENER_MINE_MASKER_H_
#define LOG_GARDENER_MINE_MASKER_H_

#include <string>
#include <string_view>

namespace lg {

enum class MaskKind {
  kTimestamp,  // 2025-09-15T15:00:00.123Z, 2025-09-15 15:00:00
  kDate,       // 2025-09-15
  kTime,       // 15:00:00.123
  kUuid,       // 8-4-4-4-12 hex
  kIp,         // IPv4 with optional :port
  kEmail,
  kHex,        // 0x1f, long hex ids and hashes
  kDuration,   // 123ms, 1.5s
  kSize,       // 4096 MiB, 10KB
  kNum,        // 42, 3.14, -7
  kId,         // any other word with digits: abc123, rev-00621-l0n
  kStr,        // a quoted value after '=' or ':'
  kValue,      // an unquoted value after '='
};

std::string_view MaskPlaceholder(MaskKind kind);  // "<NUM>"

struct MaskOptions {
  // Mask the unquoted value after '=' even when it has no digits (user=alice).
  bool mask_key_values = true;
  // Mask quoted values that follow '=' or ': '.
  bool mask_quoted_values = true;
};

// Returns `text` with every recognized variable replaced by its placeholder.
// Pure; deterministic; output never longer than input plus placeholders.
std::string MaskMessage(std::string_view text, const MaskOptions& options = {});

// True if `token` is one of the placeholders MaskMessage writes.
bool IsPlaceholder(std::string_view token);

}  // namespace lg

#endif  // LOG_GARDENER_MINE_MASKER_H_
