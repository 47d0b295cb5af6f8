#include "core/file_util.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace lg {

StatusOr<std::string> ReadFile(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::IoError(fmt::format("{}: is a directory, expected a file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IoError(fmt::format("{}: read failed", path));
  return ss.str();
}

StagedFiles::~StagedFiles() { Abort(); }

Status StagedFiles::Stage(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) {
    fs::create_directories(p.parent_path(), ec);
    if (ec) {
      return Status::IoError(fmt::format("{}: cannot create folder: {}", p.parent_path().string(),
                                         ec.message()));
    }
  }
  std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::IoError(fmt::format("{}: write failed: {}", path, std::strerror(err)));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::IoError(fmt::format("{}: write failed: {}", path, std::strerror(errno)));
  }
  staged_.push_back({tmp, path});
  return Status::Ok();
}

Status StagedFiles::Commit() {
  for (const Entry& e : staged_) {
    if (std::rename(e.tmp.c_str(), e.path.c_str()) != 0) {
      Status s = Status::IoError(fmt::format("{}: cannot rename into place: {}", e.path, std::strerror(errno)));
      Abort();
      return s;
    }
  }
  staged_.clear();
  return Status::Ok();
}

void StagedFiles::Abort() {
  for (const Entry& e : staged_) ::unlink(e.tmp.c_str());
  staged_.clear();
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  StagedFiles files;
  LG_RETURN_IF_ERROR(files.Stage(path, content));
  return files.Commit();
}

}  // namespace lg
