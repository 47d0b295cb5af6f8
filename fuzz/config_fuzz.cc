// The TOML config loader: any text is a Config or a clear error.
#include <cstdint>
#include <string_view>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)lg::ParseConfig(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml");
  return 0;
}
