// ChunkedReader: bytes in memory read back at most `chunk` bytes at a time,
// so tests and fuzz targets make entries straddle reads.
#ifndef LOG_GARDENER_TESTING_CHUNKED_READER_H_
#define LOG_GARDENER_TESTING_CHUNKED_READER_H_

#include <algorithm>
#include <cstring>
#include <string_view>

#include "sources/json_framer.h"

namespace lg {

// `data` must outlive the reader.
class ChunkedReader : public ByteReader {
 public:
  ChunkedReader(std::string_view data, size_t chunk) : data_(data), chunk_(chunk) {}
  StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t take = std::min({n, chunk_, data_.size() - pos_});
    if (take) std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }

 private:
  std::string_view data_;
  size_t chunk_;
  size_t pos_ = 0;
};

}  // namespace lg

#endif  // LOG_GARDENER_TESTING_CHUNKED_READER_H_
