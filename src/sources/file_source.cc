#include "sources/file_source.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "decode/entry_decoder.h"
#include "sources/json_framer.h"

namespace lg {
namespace {

class FdReader : public ByteReader {
 public:
  FdReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  StatusOr<size_t> Read(char* buf, size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno == EINTR) continue;
      return Status::IoError(fmt::format("read failed: {}", std::strerror(errno)));
    }
  }

 private:
  int fd_;
  std::string name_;
};

std::string DisplayName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace

FileSource::FileSource(std::string path, SourceOptions options)
    : path_(std::move(path)), options_(options) {}

FileSource::~FileSource() = default;

std::string FileSource::Describe() const { return "file:" + DisplayName(path_); }

Status FileSource::Read(const EntryVisitor& visit) {
  const std::string name = DisplayName(path_);
  int fd = 0;
  if (path_ != "-") {
    fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::IoError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
    }
  }
  struct Closer {
    int fd;
    ~Closer() {
      if (fd > 0) ::close(fd);
    }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    return Status::IoError(fmt::format("{}: is a directory, expected a log file", name));
  }

  FdReader reader(fd, name);
  JsonFramer framer(reader, name);
  EntryDecoder decoder;
  LogEntry entry;
  Frame frame;
  while (true) {
    auto more = framer.Next(frame);
    if (!more.ok()) return more.status();
    if (!*more) break;
    Status s = decoder.Decode(frame.text, entry);
    if (!s.ok()) {
      // Located only on the error path: formatting per entry is hot-path waste.
      std::string where = framer.framing() == Framing::kNdjson
                              ? fmt::format("{}:{}", name, frame.line)
                              : fmt::format("{}:{} (entry at byte {})", name, frame.line, frame.offset);
      Status located = s.WithContext(where);
      if (!options_.skip_bad_entries) return located;
      ++stats_.skipped;
      if (stats_.skip_messages.size() < options_.max_skip_messages) {
        stats_.skip_messages.push_back(located.message());
      }
      continue;
    }
    ++stats_.entries_read;
    LG_RETURN_IF_ERROR(visit(SourcedEntry{entry, frame.text}));
  }
  stats_.bytes_read = framer.bytes_read();
  return Status::Ok();
}

StatusOr<std::unique_ptr<Source>> MakeSource(const std::string& spec, const SourceOptions& options) {
  if (spec.starts_with("gcp:")) {
    return Status::InvalidArgument(fmt::format(
        "--source {}: reading the Cloud Logging API directly is not available in this build; "
        "export with `gcloud logging read --format=json > logs.json` and pass --source file:logs.json",
        spec));
  }
  std::string path = spec.starts_with("file:") ? spec.substr(5) : spec;
  if (path.empty()) {
    return Status::InvalidArgument("--source file: needs a path (file:PATH, a bare path, or -)");
  }
  return std::unique_ptr<Source>(new FileSource(std::move(path), options));
}

}  // namespace lg
