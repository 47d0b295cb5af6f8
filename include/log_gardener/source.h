// Source: where log entries come from (files, stdin, the Cloud Logging API).
#ifndef LOG_GARDENER_SOURCE_H_
#define LOG_GARDENER_SOURCE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/log_entry.h"
#include "log_gardener/status.h"

namespace lg {

// One decoded entry as a source hands it over. `raw` is the entry's JSON text;
// it and `entry` are valid only during the callback (copy what you keep).
struct SourcedEntry {
  const LogEntry& entry;
  std::string_view raw;
  // Fetched below the minimum severity only for the correlation signals it
  // carries (requests, instance and revision lifecycles); not counted in the
  // severity totals, which would be partial.
  bool context_only = false;
};

struct SourceOptions {
  // Count and report undecodable entries instead of failing the read.
  bool skip_bad_entries = false;
  // How many skip messages to keep for the report (all are counted).
  size_t max_skip_messages = 20;
  // Threads decoding entries (0: one per core). Entries are still handed to
  // the visitor one at a time, on the calling thread, in input order, so
  // nothing downstream depends on this number.
  unsigned threads = 1;
  // Bytes per decoding batch with threads (0: 1 MiB). Tests and fuzzing use
  // small ones, so entries and lines meet batch boundaries.
  size_t batch_bytes = 0;
  // Entries below this severity are handed over with only what the gardener
  // counts and correlates them by (see EntryDecoder::set_detail_from; every
  // field is still checked). Default: every entry whole.
  Severity detail_from = Severity::kDefault;
};

struct SourceStats {
  uint64_t entries_read = 0;  // entries decoded and handed over
  uint64_t bytes_read = 0;
  uint64_t skipped = 0;       // undecodable entries skipped (skip_bad_entries)
  std::vector<std::string> skip_messages;  // the first few, "file:line: why"
};

using EntryVisitor = std::function<Status(const SourcedEntry&)>;

// Streams entries to a visitor. Implementations hold only a bounded window of
// input in memory, whatever the number of entries.
// Thread safety: a Source is used by one thread at a time.
class Source {
 public:
  virtual ~Source() = default;
  // Reads every entry, calling `visit` for each in input order. Stops at the
  // first error (from decoding, unless skipping, or from `visit`). Decoding
  // errors are kDataLoss and name the input and the line or byte offset.
  virtual Status Read(const EntryVisitor& visit) = 0;
  virtual const SourceStats& stats() const = 0;
  virtual std::string Describe() const = 0;  // "file:logs.ndjson"
};

}  // namespace lg

#endif  // LOG_GARDENER_SOURCE_H_
