// Helpers for tests that run the log-gardener binary.
#ifndef LOG_GARDENER_TESTS_TEST_UTIL_H_
#define LOG_GARDENER_TESTS_TEST_UTIL_H_

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "testing/temp_dir.h"

namespace lg::test {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `command` with /bin/sh, capturing stdout and stderr.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string Binary() { return LG_BINARY; }
inline std::string SourceDir() { return LG_SOURCE_DIR; }
inline std::string Quote(const std::string& s) { return "'" + s + "'"; }

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}


// `text` without the lines that name the wall-clock duration (JSON
// "duration_seconds", the worklog's "Duration"): what two equal runs may differ in.
inline std::string WithoutDurationLines(const std::string& text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    if (line.find("duration") == std::string::npos && line.find("Duration") == std::string::npos) out += line + "\n";
    pos = nl + 1;
  }
  return out;
}

// Number of files (recursively) under `dir`.
inline size_t CountFiles(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file()) ++n;
  }
  return n;
}

// ../shared next to the checkout, or empty when it is absent.
inline std::string SharedDir() {
  std::filesystem::path p = std::filesystem::path(LG_SOURCE_DIR).parent_path() / "shared";
  return std::filesystem::exists(p / "scenarios") ? p.string() : std::string();
}

}  // namespace lg::test

#endif  // LOG_GARDENER_TESTS_TEST_UTIL_H_
