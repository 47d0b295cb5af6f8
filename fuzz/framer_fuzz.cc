// NDJSON, gcloud arrays and concatenated objects through the framer, read in
// chunks whose size the input chooses (entries straddle chunk boundaries).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "sources/json_framer.h"

namespace {

class Bytes : public lg::ByteReader {
 public:
  Bytes(std::string_view data, size_t chunk) : data_(data), chunk_(chunk) {}
  lg::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t take = std::min({n, chunk_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string_view data_;
  size_t chunk_;
  size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;  // tiny reads: every boundary case
  Bytes reader(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), chunk);
  lg::JsonFramer framer(reader, "fuzz", 4096);
  lg::Frame frame;
  for (int i = 0; i < 100000; ++i) {
    auto more = framer.Next(frame);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
