// Source: where log entries come from (files, stdin, the Cloud Logging API).
#ifndef LOG_GARDENER_SOURCE_H_
#define LOG_GARDENER_SOURCE_H_

#include <cstdint>
#include <functional>
#include <new>
#include <type_traits>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/log_entry.h"
#include "log_gardener/status.h"

namespace lg {

// What an EntryPreparer works out about one entry from the entry alone. The
// meaning of `lane` and `key` is the preparer's (the gardener: which pass
// takes the entry, and its duplicate key).
struct EntryNote {
  bool set = false;    // a preparer filled it in
  bool keep = true;    // false: the visitor may pass over the entry at once
  // false: the visitor reads no more than `raw` and this note, so a source
  // may hand over an empty LogEntry instead of keeping the decoded one until
  // the visitor runs (decoders then reuse one hot entry, not a cold one per
  // entry of a batch).
  bool entry_needed = true;
  uint32_t lane = 0;
  uint64_t key = 0;
  // Room for more of the preparer's own: a trivially copyable T of up to 40
  // bytes, read and written through As<T>() (the gardener keeps there what
  // it counts an entry by, so its ordered thread need not touch the entry).
  template <typename T>
  T& As() {
    static_assert(sizeof(T) <= sizeof(more_) && alignof(T) <= 8 && std::is_trivially_copyable_v<T>);
    return *std::launder(reinterpret_cast<T*>(more_));
  }
  template <typename T>
  const T& As() const {
    static_assert(sizeof(T) <= sizeof(more_) && alignof(T) <= 8 && std::is_trivially_copyable_v<T>);
    return *std::launder(reinterpret_cast<const T*>(more_));
  }

 private:
  alignas(8) unsigned char more_[40] = {};
};

// Per-entry work that depends on nothing but the entry: a source runs it on
// the thread that decoded the entry (with several decoding threads, several
// run at once, so it must be thread-safe and must not depend on order) and
// hands the note to the visitor with the entry. Sources that decode on the
// calling thread run it just before the visitor.
using EntryPreparer = std::function<void(const LogEntry& entry, std::string_view raw, EntryNote& note)>;

// One decoded entry as a source hands it over. `raw` is the entry's JSON text;
// it and `entry` are valid only during the callback (copy what you keep).
struct SourcedEntry {
  const LogEntry& entry;
  std::string_view raw;
  // Fetched below the minimum severity only for the correlation signals it
  // carries (requests, instance and revision lifecycles); not counted in the
  // severity totals, which would be partial.
  bool context_only = false;
  // The preparer's note (note.set is false when Read was given none).
  EntryNote note = {};
  // The source handed over an empty `entry` (it may when note.entry_needed
  // is false); the entry is still whole in `raw`.
  bool entry_dropped = false;
  // The note of the entry a few places further on, when the source has it
  // already (the parallel reader does): lets the visitor prefetch what that
  // entry will touch, such as its duplicate key's slot. (Unset, `set`
  // false, when that entry failed to decode.)
  const EntryNote* ahead = nullptr;
};

struct SourceOptions {
  // Count and report undecodable entries instead of failing the read.
  bool skip_bad_entries = false;
  // How many skip messages to keep for the report (all are counted).
  size_t max_skip_messages = 20;
  // Threads decoding entries, the calling thread included (0: one per core;
  // above one, the calling thread decodes whenever it would otherwise wait).
  // Entries are still handed to the visitor one at a time, on the calling
  // thread, in input order, so nothing downstream depends on this number.
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
  // `prepare`, when given, runs for each entry first (see EntryPreparer).
  virtual Status Read(const EntryVisitor& visit, const EntryPreparer& prepare) = 0;
  Status Read(const EntryVisitor& visit) { return Read(visit, EntryPreparer()); }
  virtual const SourceStats& stats() const = 0;
  virtual std::string Describe() const = 0;  // "file:logs.ndjson"
};

}  // namespace lg

#endif  // LOG_GARDENER_SOURCE_H_
