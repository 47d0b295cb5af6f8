// The plain-text line reader, and the masker and miner over what it yields
// (the `templates` command's path for plain logs).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "mine/template_miner.h"
#include "sources/file_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lg::MemoryReader bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  lg::LineReader lines(bytes, 4096);
  lg::TemplateMiner miner;
  const uint32_t group = miner.Group("fuzz");
  std::string_view line;
  for (int i = 0; i < 10000; ++i) {
    auto more = lines.Next(line);
    if (!more.ok() || !*more) break;
    miner.Add(group, line);
  }
  miner.Finish();
  for (uint32_t t = 0; t < miner.template_count(); ++t) {
    (void)miner.Text(t);
    (void)miner.WildcardText(t);
  }
  return 0;
}
