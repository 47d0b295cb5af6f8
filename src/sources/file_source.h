// FileSource: LogEntries from a file or stdin, in any framing JsonFramer knows.
#ifndef LOG_GARDENER_SOURCES_FILE_SOURCE_H_
#define LOG_GARDENER_SOURCES_FILE_SOURCE_H_

#include <memory>
#include <string>

#include "log_gardener/source.h"
#include "sources/json_framer.h"

namespace lg {

// `path` is a file path, or "-" for standard input.
// Errors: kIoError when the file cannot be opened or read (names the path and
// the OS reason), kDataLoss for undecodable content (names path:line).
class FileSource : public Source {
 public:
  FileSource(std::string path, SourceOptions options);
  ~FileSource() override;

  using Source::Read;
  Status Read(const EntryVisitor& visit, const EntryPreparer& prepare) override;
  const SourceStats& stats() const override { return stats_; }
  std::string Describe() const override;

 private:
  std::string path_;
  SourceOptions options_;
  SourceStats stats_;
};

// Reads a file descriptor it does not own.
class FdReader : public ByteReader {
 public:
  explicit FdReader(int fd) : fd_(fd) {}
  StatusOr<size_t> Read(char* buf, size_t n) override;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// A file opened for reading ("-" is standard input), closed on destruction.
// Errors: kIoError naming the path (missing, unreadable, a directory).
class InputFile : public FdReader {
 public:
  static StatusOr<std::unique_ptr<InputFile>> Open(const std::string& path);
  ~InputFile() override;
  const std::string& name() const { return name_; }

 private:
  InputFile(int fd, std::string name) : FdReader(fd), name_(std::move(name)) {}
  std::string name_;
};

// Lets a caller look at the first bytes of a stream (to tell JSON from plain
// text) and then read the whole stream from the start.
class PeekReader : public ByteReader {
 public:
  explicit PeekReader(ByteReader& inner) : inner_(inner) {}
  // Up to `n` first bytes (fewer at end of input).
  StatusOr<std::string_view> Peek(size_t n);
  StatusOr<size_t> Read(char* buf, size_t n) override;

 private:
  ByteReader& inner_;
  std::string peeked_;
  size_t pos_ = 0;
  bool eof_ = false;
};

// Plain text, one line at a time ('\n' ends a line, a '\r' before it is
// dropped, a last line without '\n' counts). Memory: one chunk plus the
// longest line.
class LineReader {
 public:
  static constexpr size_t kChunk = size_t{1} << 20;
  // `chunk`: bytes asked of the reader at a time (0: kChunk).
  explicit LineReader(ByteReader& reader, size_t chunk = 0) : reader_(reader), chunk_(chunk ? chunk : kChunk) {}
  // Sets `line` (valid until the next call) and returns true, or false at the end.
  StatusOr<bool> Next(std::string_view& line);
  uint64_t line_number() const { return line_; }

 private:
  ByteReader& reader_;
  size_t chunk_;
  std::string buf_;
  std::unique_ptr<char[]> scratch_;  // one read chunk
  size_t pos_ = 0;
  uint64_t line_ = 0;
  bool eof_ = false;
};

// Parses a --source spec: "file:PATH", a bare path, or "-".
StatusOr<std::unique_ptr<Source>> MakeSource(const std::string& spec, const SourceOptions& options);

}  // namespace lg

#endif  // LOG_GARDENER_SOURCES_FILE_SOURCE_H_
