// Timestamps, durations, periods and relative times as users and logs write them.
#include <cstdint>
#include <string_view>

#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const lg::Timestamp now{1757948400, 0};
  if (auto t = lg::ParseTimestamp(text); t.ok()) {
    // What parses prints back and parses again to the same instant.
    auto again = lg::ParseTimestamp(lg::FormatTimestamp(*t));
    if (!again.ok() || !(*again == *t)) __builtin_trap();
  }
  (void)lg::ParseDurationSeconds(text);
  (void)lg::ParseProtoDuration(text);
  (void)lg::ParseTimeArg(text, now);
  (void)lg::WindowFromPeriod(text, now);
  (void)lg::PeriodSlug(text);
  return 0;
}
