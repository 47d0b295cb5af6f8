#include "sources/file_source.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sources/read_entries.h"

namespace lg {
namespace {

std::string DisplayName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace

FileSource::FileSource(std::string path, SourceOptions options)
    : path_(std::move(path)), options_(options) {}

FileSource::~FileSource() = default;

std::string FileSource::Describe() const { return "file:" + DisplayName(path_); }

Status FileSource::Read(const EntryVisitor& visit, const EntryPreparer& prepare) {
  auto in = InputFile::Open(path_);
  if (!in.ok()) return in.status();
  if (path_ != "-") {
    if (auto status = ReadFileEntries((*in)->fd(), (*in)->name(), options_, stats_, visit, prepare)) return *status;
  }
  return ReadEntries(**in, (*in)->name(), options_, stats_, visit, prepare);
}

StatusOr<size_t> FdReader::Read(char* buf, size_t n) {
  while (true) {
    ssize_t r = ::read(fd_, buf, n);
    if (r >= 0) return static_cast<size_t>(r);
    if (errno == EINTR) continue;
    return Status::IoError(fmt::format("read failed: {}", std::strerror(errno)));
  }
}

StatusOr<std::unique_ptr<InputFile>> InputFile::Open(const std::string& path) {
  const std::string name = DisplayName(path);
  int fd = 0;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::IoError(fmt::format("{}: cannot open: {}", name, std::strerror(errno)));
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Status::IoError(fmt::format("{}: is a directory, expected a log file", name));
    }
  }
  return std::unique_ptr<InputFile>(new InputFile(fd, name));
}

InputFile::~InputFile() {
  if (fd() > 0) ::close(fd());
}

StatusOr<size_t> PeekReader::Read(char* buf, size_t n) {
  if (pos_ < peeked_.size()) {
    size_t k = std::min(n, peeked_.size() - pos_);
    std::memcpy(buf, peeked_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  return inner_.Read(buf, n);
}

StatusOr<std::string_view> PeekReader::Peek(size_t n) {
  while (peeked_.size() < n && !eof_) {
    size_t old = peeked_.size();
    peeked_.resize(n);
    auto r = inner_.Read(peeked_.data() + old, n - old);
    if (!r.ok()) return r.status();
    peeked_.resize(old + *r);
    if (*r == 0) eof_ = true;
  }
  return std::string_view(peeked_);
}

StatusOr<bool> LineReader::Next(std::string_view& line) {
  for (;;) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos) {
      line = std::string_view(buf_).substr(pos_, nl - pos_);
      pos_ = nl + 1;
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
    if (eof_) {
      if (pos_ >= buf_.size()) return false;
      line = std::string_view(buf_).substr(pos_);
      pos_ = buf_.size();
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return true;
    }
    // Keep the partial line, read another chunk.
    buf_.erase(0, pos_);
    pos_ = 0;
    if (!scratch_) scratch_ = std::make_unique<char[]>(chunk_);  // see JsonFramer::Fill
    auto r = reader_.Read(scratch_.get(), chunk_);
    if (!r.ok()) return r.status();
    buf_.append(scratch_.get(), *r);
    if (*r == 0) eof_ = true;
  }
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
