// Every stack-trace parser (Python, Java/Kotlin, Go, Node, .NET) sees the
// input: ParseStackTrace tries each language the text may hold.
#include <cstdint>
#include <string_view>

#include "mine/stack_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)lg::MayHoldStackTrace(text);
  if (auto trace = lg::ParseStackTrace(text)) {
    (void)trace->TopAppFrame();
    (void)trace->FingerprintText();
  }
  return 0;
}
