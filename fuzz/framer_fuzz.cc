// NDJSON, gcloud arrays and concatenated objects through the framer, read in
// chunks whose size the input chooses (entries straddle chunk boundaries).
#include <cstdint>
#include <string_view>

#include "sources/json_framer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;  // tiny reads: every boundary case
  lg::MemoryReader reader(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), chunk);
  lg::JsonFramer framer(reader, "fuzz", 4096);
  lg::Frame frame;
  for (int i = 0; i < 100000; ++i) {
    auto more = framer.Next(frame);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
