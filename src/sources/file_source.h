// FileSource: LogEntries from a file or stdin, in any framing JsonFramer knows.
#ifndef LOG_GARDENER_SOURCES_FILE_SOURCE_H_
#define LOG_GARDENER_SOURCES_FILE_SOURCE_H_

#include <memory>
#include <string>

#include "log_gardener/source.h"

namespace lg {

// `path` is a file path, or "-" for standard input.
// Errors: kIoError when the file cannot be opened or read (names the path and
// the OS reason), kDataLoss for undecodable content (names path:line).
class FileSource : public Source {
 public:
  FileSource(std::string path, SourceOptions options);
  ~FileSource() override;

  Status Read(const EntryVisitor& visit) override;
  const SourceStats& stats() const override { return stats_; }
  std::string Describe() const override;

 private:
  std::string path_;
  SourceOptions options_;
  SourceStats stats_;
};

// Parses a --source spec: "file:PATH", a bare path, or "-".
StatusOr<std::unique_ptr<Source>> MakeSource(const std::string& spec, const SourceOptions& options);

}  // namespace lg

#endif  // LOG_GARDENER_SOURCES_FILE_SOURCE_H_
