// File helpers: whole-file reads, and writes that never leave a partial file.
#ifndef LOG_GARDENER_CORE_FILE_UTIL_H_
#define LOG_GARDENER_CORE_FILE_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/status.h"

namespace lg {

StatusOr<std::string> ReadFile(const std::string& path);  // "-" reads stdin

// Writes `content` to a temporary file beside `path`, fsyncs it, then renames
// it over `path`: readers see the old file or the new one, never a half.
// Creates missing parent folders.
Status WriteFileAtomic(const std::string& path, std::string_view content);

// Two-phase form for writing several files all-or-nothing: Stage() writes the
// temporary files, Commit() renames them all, Abort() (or the destructor
// without Commit) removes them.
class StagedFiles {
 public:
  ~StagedFiles();
  Status Stage(const std::string& path, std::string_view content);
  Status Commit();
  void Abort();

 private:
  struct Entry {
    std::string tmp;
    std::string path;
  };
  std::vector<Entry> staged_;
};

}  // namespace lg

#endif  // LOG_GARDENER_CORE_FILE_UTIL_H_
