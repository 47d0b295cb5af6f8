// Stack traces in log messages: Python (with chained exceptions), Java and
// Kotlin (`Caused by:`, `... N more`), Go panics, Node.js and .NET. Parsed into
// exception type, message and frames; fingerprinted the way error-reporting
// systems group errors: the exception type and the top in-app frames,
// normalized (no line numbers, no addresses, no lambda or closure counters),
// so a line-number change keeps the fingerprint and another exception or
// another code path does not. Pure.
#ifndef LOG_GARDENER_MINE_STACK_TRACE_H_
#define LOG_GARDENER_MINE_STACK_TRACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

struct StackFrame {
  std::string function;  // `quote`, `com.acme.Tax.quote`, `main.handler`
  std::string file;      // path as printed (may be empty)
  int line = 0;          // 0 when not printed
  bool in_app = false;   // not the runtime, the standard library or a dependency
};

struct StackTrace {
  std::string language;        // "python", "java", "go", "node", "dotnet"
  std::string exception_type;  // the exception that ended the program path: `httpx.ConnectError`
  std::string message;         // its message (first line)
  std::vector<std::string> chain;  // every exception type, outermost first (causes after)
  std::vector<StackFrame> frames;  // innermost (where raised) first
  uint64_t fingerprint = 0;

  // "st1-0123456789abcdef"
  std::string FingerprintText() const;
  // The innermost in-app frame, else the innermost frame; null without frames.
  const StackFrame* TopAppFrame() const;
};

// Looks for a stack trace in `text` (a whole message). Returns nothing when
// there is none. Never throws; bounded work (at most 4,096 lines looked at).
std::optional<StackTrace> ParseStackTrace(std::string_view text);

// Cheap test used before parsing: does `text` look like it holds a trace?
bool MayHoldStackTrace(std::string_view text);

}  // namespace lg

#endif  // LOG_GARDENER_MINE_STACK_TRACE_H_
