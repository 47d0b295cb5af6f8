// Differential: the parallel reader (decoder threads, NDJSON line batches,
// tiny batches the input chooses) must hand over exactly what the sequential
// reader does — the same entries in the same order, the same skips, the same
// error — for any input, and so must decoders reading ranges of a file that
// holds it. A difference is a crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>  // memfd_create
#include <unistd.h>

#include "sources/file_source.h"
#include "sources/read_entries.h"

namespace {

struct Outcome {
  std::vector<std::string> seen;
  std::string status;
  std::vector<std::string> skips;
  bool operator==(const Outcome&) const = default;
};

Outcome Read(std::string_view input, size_t chunk, unsigned threads, size_t batch, bool skip) {
  lg::MemoryReader reader(input, chunk);
  lg::SourceOptions options;
  options.threads = threads;
  options.batch_bytes = batch;
  options.skip_bad_entries = skip;
  lg::SourceStats stats;
  Outcome out;
  lg::Status s = lg::ReadEntries(reader, "fuzz", options, stats, [&](const lg::SourcedEntry& e) {
    out.seen.push_back(e.entry.insert_id + '\x1f' + e.entry.message + '\x1f' + std::string(e.raw));
    return lg::Status::Ok();
  });
  out.status = s.ok() ? "ok" : s.message();
  out.skips = stats.skip_messages;
  return out;
}

// The same input in a file (a memfd: a regular file in memory) whose ranges
// of `batch` bytes the decoders read themselves.
Outcome ReadFile(std::string_view input, size_t batch, bool skip) {
  Outcome out;
  const int fd = ::memfd_create("read_entries_fuzz", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  for (size_t done = 0; done < input.size();) {
    const ssize_t n = ::write(fd, input.data() + done, input.size() - done);
    if (n <= 0) std::abort();
    done += static_cast<size_t>(n);
  }
  lg::SourceOptions options;
  options.threads = 2;
  options.batch_bytes = batch;
  options.skip_bad_entries = skip;
  lg::SourceStats stats;
  auto s = lg::ReadFileEntries(fd, "fuzz", options, stats, [&](const lg::SourcedEntry& e) {
    out.seen.push_back(e.entry.insert_id + '\x1f' + e.entry.message + '\x1f' + std::string(e.raw));
    return lg::Status::Ok();
  });
  ::close(fd);
  if (!s) {
    out.status = "not read in ranges";
    return out;
  }
  out.status = s->ok() ? "ok" : s->message();
  out.skips = stats.skip_messages;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3 || size > 64 * 1024) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const size_t batch = 1 + data[1] * 4;
  const bool skip = data[2] & 1;
  const std::string_view input(reinterpret_cast<const char*>(data) + 3, size - 3);
  const Outcome one = Read(input, chunk, 1, 0, skip);
  const Outcome many = Read(input, chunk, 2, batch, skip);
  if (!(one == many)) std::abort();
  const Outcome ranges = ReadFile(input, batch, skip);
  if (!(one == ranges)) std::abort();
  return 0;
}
