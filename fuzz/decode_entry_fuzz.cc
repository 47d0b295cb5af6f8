// LogEntry decoding: any bytes give a LogEntry or a Status, never a crash.
#include <cstdint>
#include <string_view>

#include "decode/entry_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static lg::EntryDecoder decoder;
  lg::LogEntry entry;
  (void)decoder.Decode(std::string_view(reinterpret_cast<const char*>(data), size), entry);
  return 0;
}
