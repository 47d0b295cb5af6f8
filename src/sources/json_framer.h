// JsonFramer: splits a byte stream of JSON values into one text per entry.
//
// Handles the framings seen in real exports, detected from the input itself:
//   - a JSON array of objects (`gcloud logging read --format=json`, pretty-printed),
//   - NDJSON (one object per line; a bad line is one bad entry, the next line
//     starts afresh, so --skip-bad-entries can skip exactly it),
//   - objects one after another, pretty-printed or not.
// Memory is bounded by the largest entry plus one read chunk.
#ifndef LOG_GARDENER_SOURCES_JSON_FRAMER_H_
#define LOG_GARDENER_SOURCES_JSON_FRAMER_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "log_gardener/status.h"

namespace lg {

class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `n` bytes into `buf`; returns 0 at end of input.
  virtual StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

// Bytes already in memory, read back at most `chunk` bytes at a time (tests
// and fuzz targets pass small chunks so entries straddle reads). `data` must
// outlive the reader.
class MemoryReader : public ByteReader {
 public:
  explicit MemoryReader(std::string_view data, size_t chunk = SIZE_MAX) : data_(data), chunk_(chunk) {}
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

enum class Framing { kUnknown, kArray, kNdjson, kConcatenated };

// JSON whitespace: what the framer skips between entries and trims from lines.
inline bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

struct Frame {
  std::string_view text;  // one JSON value, valid until the next Next()
  uint64_t line = 0;      // 1-based line where it starts
  uint64_t offset = 0;    // byte offset where it starts
};

class JsonFramer {
 public:
  // `name` appears in error messages ("logs.ndjson:12: ...").
  // `chunk`: bytes asked of the reader at a time (0: 1 MiB); smaller in tests
  // and fuzzing, so entries straddle many reads.
  JsonFramer(ByteReader& reader, std::string name, size_t chunk = 0);

  // Sets `frame` to the next entry and returns true, or false at the end.
  // Framing errors (an unterminated array or object, a stray byte) are
  // kDataLoss naming line and byte offset; they end the stream.
  StatusOr<bool> Next(Frame& frame);

  Framing framing() const { return framing_; }
  uint64_t bytes_read() const { return consumed_base_ + buf_.size(); }

 private:
  StatusOr<bool> Fill();  // reads one more chunk; false at EOF
  Status Detect();
  StatusOr<bool> NextLine(Frame& frame);
  StatusOr<bool> NextValue(Frame& frame);
  bool SkipSpace();  // advances pos_ over whitespace, counting lines; false when out of data
  Status Error(std::string_view what) const;
  void Compact();

  ByteReader& reader_;
  std::string name_;
  std::string buf_;
  size_t chunk_;
  std::unique_ptr<char[]> scratch_;  // one read chunk
  size_t pos_ = 0;             // next unread byte in buf_
  uint64_t consumed_base_ = 0; // bytes dropped from the front of buf_
  uint64_t line_ = 1;          // line of buf_[pos_]
  bool eof_ = false;
  Framing framing_ = Framing::kUnknown;
  bool array_closed_ = false;
  bool first_in_array_ = true;
};

}  // namespace lg

#endif  // LOG_GARDENER_SOURCES_JSON_FRAMER_H_
