// ReadEntries: LogEntries decoded from a JSON byte stream, on one thread or on
// several (ParallelReader), from a stream or from a regular file whose ranges
// the decoding threads read themselves.
#include "sources/read_entries.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <simdjson.h>

#include "decode/entry_decoder.h"
#include "sources/file_source.h"

namespace lg {
namespace {

// Where an entry's decoding error points: "file:line" for NDJSON, the byte
// offset too for the framings where an entry spans lines.
Status Locate(const Status& s, const std::string& name, Framing framing, uint64_t line, uint64_t offset) {
  // Located only on the error path: formatting per entry is hot-path waste.
  std::string where = framing == Framing::kNdjson ? fmt::format("{}:{}", name, line)
                                                  : fmt::format("{}:{} (entry at byte {})", name, line, offset);
  return s.WithContext(where);
}

// A decoding error: the run's error, or (skipping) one more skipped entry.
// Returns the error that ends the read, or OK to go on.
Status OnBadEntry(Status located, const SourceOptions& options, SourceStats& stats) {
  if (!options.skip_bad_entries) return located;
  ++stats.skipped;
  if (stats.skip_messages.size() < options.max_skip_messages) stats.skip_messages.push_back(located.message());
  return Status::Ok();
}

Status ReadSequential(JsonFramer& framer, const std::string& name, const SourceOptions& options,
                      SourceStats& stats, const EntryVisitor& visit, const EntryPreparer& prepare) {
  EntryDecoder decoder;
  decoder.set_detail_from(options.detail_from);
  LogEntry entry;
  Frame frame;
  while (true) {
    auto more = framer.Next(frame);
    if (!more.ok()) return more.status();
    if (!*more) break;
    Status s = decoder.Decode(frame.text, entry);
    if (!s.ok()) {
      LG_RETURN_IF_ERROR(OnBadEntry(Locate(s, name, framer.framing(), frame.line, frame.offset), options, stats));
      continue;
    }
    ++stats.entries_read;
    SourcedEntry sourced{entry, frame.text};
    if (prepare) prepare(entry, frame.text, sourced.note);
    LG_RETURN_IF_ERROR(visit(sourced));
  }
  return Status::Ok();
}

// A growable byte buffer whose new bytes are not zeroed (reads fill them), with
// kPadding readable bytes kept after the content, so simdjson parses entries
// in place instead of copying each into padded storage.
class Bytes {
 public:
  static constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }
  void clear() { size_ = 0; }
  // `k` more bytes at the end, uninitialized; returns where they start.
  char* Grow(size_t k) {
    if (size_ + k + kPadding > capacity_) {
      const size_t capacity = std::max(2 * capacity_, size_ + k + kPadding);
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      if (size_) std::memcpy(bigger.get(), data_.get(), size_);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    char* at = data_.get() + size_;
    size_ += k;
    return at;
  }
  void Append(std::string_view s) {
    if (!s.empty()) std::memcpy(Grow(s.size()), s.data(), s.size());
  }
  void Truncate(size_t n) { size_ = std::min(size_, n); }
  // Initializes the padding after the content (call before parsing).
  void Pad() {
    Grow(0);
    std::memset(data_.get() + size_, ' ', kPadding);
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

// Parallel decoding. The calling thread frames the input into batches of
// whole entries (framing is a byte scan; decoding is the work), or for a
// regular file just numbers ranges of it; decoder threads turn each batch
// into LogEntries, and the calling thread hands the batches' entries to the
// visitor strictly in input order. `threads` counts the calling thread: it
// decodes the oldest waiting batch itself whenever it would otherwise wait
// for one, so there are threads - 1 decoder threads (at least one) and no
// more busy threads than cores. At most 2 x threads batches are in flight,
// so memory stays bounded however large the input. A decoding or visitor
// error stops the decoders and is returned exactly as the sequential reader
// would return it.
class ParallelReader {
 public:
  ParallelReader(unsigned threads, const std::string& name, const SourceOptions& options, SourceStats& stats,
                 const EntryVisitor& visit, const EntryPreparer& prepare)
      : name_(name),
        options_(options),
        stats_(stats),
        visit_(visit),
        prepare_(prepare),
        max_in_flight_(2 * threads) {
    // The calling thread decodes too whenever it would otherwise wait (see
    // Drain), so `threads` threads in all: one thread per core, not one more.
    helper_.entries.set_detail_from(options_.detail_from);
    for (unsigned k = 1; k < std::max(threads, 2u); ++k) workers_.emplace_back([this] { Work(); });
  }
  ~ParallelReader() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    for (auto& w : workers_) w.join();
  }

  Status Read(JsonFramer& framer) {
    std::unique_ptr<Batch> batch = NewBatch();
    Frame frame;
    while (true) {
      auto more = framer.Next(frame);
      if (!more.ok()) {
        // Entries before a framing error are still handed over, as the
        // sequential reader does.
        Submit(std::move(batch), framer.framing());
        LG_RETURN_IF_ERROR(Drain(0));
        return more.status();
      }
      if (!*more) break;
      batch->items.push_back({batch->bytes.size(), frame.text.size(), frame.line, frame.offset});
      batch->bytes.Append(frame.text);
      if (batch->items.size() >= kBatchEntries || batch->bytes.size() >= batch_bytes_) {
        Submit(std::move(batch), framer.framing());
        batch = NewBatch();
        LG_RETURN_IF_ERROR(Drain(max_in_flight_));
      }
    }
    Submit(std::move(batch), framer.framing());
    return Drain(0);
  }

  // NDJSON without a framer: the calling thread reads about batch_bytes_ at a
  // time and cuts after the last '\n'; decoders split the lines (as
  // JsonFramer::NextLine does: trimmed, blank lines skipped) and decode them.
  // Returns the bytes read.
  StatusOr<uint64_t> ReadLines(ByteReader& reader) {
    std::string tail;  // a line not yet ended, carried to the next batch
    uint64_t base = 0;
    bool eof = false;
    while (!eof) {
      std::unique_ptr<Batch> batch = NewBatch();
      batch->lines = true;
      batch->bytes.Append(tail);
      // Read until the batch is full and holds a line end, or the input ends.
      size_t scanned = tail.size();  // no '\n' before this
      bool has_line_end = false;
      while (!eof && (batch->bytes.size() < batch_bytes_ || !has_line_end)) {
        const size_t old = batch->bytes.size();
        char* at = batch->bytes.Grow(batch_bytes_);
        auto n = reader.Read(at, batch_bytes_);
        if (!n.ok()) return n.status().WithContext(name_);
        batch->bytes.Truncate(old + *n);
        if (*n == 0) eof = true;
        if (!has_line_end) {
          has_line_end = batch->bytes.view().find('\n', scanned) != std::string_view::npos;
          scanned = batch->bytes.size();
        }
      }
      size_t cut = batch->bytes.size();
      if (!eof) cut = batch->bytes.view().rfind('\n') + 1;
      tail.assign(batch->bytes.view().substr(cut));
      batch->bytes.Truncate(cut);
      batch->base_offset = base;
      base += cut;
      Submit(std::move(batch), Framing::kNdjson);
      LG_RETURN_IF_ERROR(Drain(max_in_flight_));
    }
    LG_RETURN_IF_ERROR(Drain(0));
    return base;
  }

  // NDJSON in a regular file of `size` bytes: each batch is a range of the
  // file that a decoder reads itself (pread), so copying out of the page
  // cache is spread over the decoders and the bytes are in that core's cache
  // when they are parsed; the calling thread only hands entries over. A batch
  // owns the lines that start in its nominal range [k B, (k+1) B) (see
  // ReadRange), so the batches cut the file exactly at line ends, whatever B.
  // Returns the bytes read.
  StatusOr<uint64_t> ReadFile(int fd, uint64_t size) {
    fd_ = fd;
    file_size_ = size;
    for (uint64_t begin = 0; begin < size; begin += batch_bytes_) {
      std::unique_ptr<Batch> batch = NewBatch();
      batch->lines = true;
      batch->range = true;
      batch->base_offset = begin;
      Submit(std::move(batch), Framing::kNdjson);
      LG_RETURN_IF_ERROR(Drain(max_in_flight_));
    }
    LG_RETURN_IF_ERROR(Drain(0));
    return size;
  }

 private:

  static constexpr size_t kBatchEntries = 2048;
  // How far ahead SourcedEntry::ahead looks: far enough that a memory access
  // started then has finished (~100 ns) when the visitor gets there.
  static constexpr size_t kLookAhead = 8;
  static constexpr size_t kBatchBytes = size_t{1} << 20;

  // What one decoding thread decodes with.
  struct Decoder {
    EntryDecoder entries;
    LogEntry scratch;  // (see Decode)
  };
  struct Item {
    size_t begin, size;
    uint64_t line, offset;
  };
  struct Batch {
    Bytes bytes;
    // What the decoders read: the part of `bytes` that holds this batch's
    // entries, with at least kPadding readable bytes after it.
    std::string_view data;
    // NDJSON read in whole lines: the decoder splits the lines itself, and
    // item lines count from the batch's first line (see Deliver).
    bool lines = false;
    // A range of the file that the decoder reads (see ReadFile); base_offset
    // is where the range starts until the decoder has read it.
    bool range = false;
    Status failed;             // reading the range failed (handed over after the batches before)
    uint64_t base_offset = 0;  // stream offset of data[0]
    uint64_t newlines = 0;     // '\n' in bytes
    std::vector<Item> items;
    std::vector<LogEntry> entries;                 // parallel to items once decoded
    std::vector<EntryNote> notes;                  // parallel to items once decoded (prepare_ set)
    std::vector<std::pair<size_t, Status>> errors; // (item, why), in item order
    Framing framing = Framing::kUnknown;
    bool decoded = false;
  };

  static void SplitLines(Batch& b) {
    const std::string_view data = b.data;
    uint64_t line = 0;
    size_t pos = 0;
    while (pos < data.size()) {
      const size_t nl = data.find('\n', pos);
      const size_t end = nl == std::string_view::npos ? data.size() : nl;
      size_t first = pos, last = end;
      while (last > first && IsJsonSpace(data[last - 1])) --last;
      while (first < last && IsJsonSpace(data[first])) ++first;
      if (first < last) b.items.push_back({first, last - first, line + 1, b.base_offset + first});
      if (nl == std::string_view::npos) break;
      ++line;
      pos = nl + 1;
    }
    b.newlines = line;
  }

  std::unique_ptr<Batch> NewBatch() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return std::make_unique<Batch>();
    std::unique_ptr<Batch> b = std::move(free_.back());
    free_.pop_back();
    b->bytes.clear();
    b->data = {};
    b->items.clear();
    b->errors.clear();
    b->decoded = false;
    b->lines = false;
    b->range = false;
    b->failed = Status::Ok();
    return b;
  }

  void Submit(std::unique_ptr<Batch> batch, Framing framing) {
    if (!batch->range) {  // (a range is read by its decoder)
      batch->bytes.Pad();
      batch->data = batch->bytes.view();
      if (batch->lines ? batch->data.empty() : batch->items.empty()) return;
    }
    batch->framing = framing;
    {
      std::lock_guard lock(mu_);
      todo_.push_back(batch.get());
      order_.push_back(std::move(batch));
    }
    work_cv_.notify_one();
  }

  // Hands over decoded batches in order until at most `keep` are in flight.
  Status Drain(size_t keep) {
    while (true) {
      std::unique_ptr<Batch> head;
      {
        std::unique_lock lock(mu_);
        if (order_.empty()) return Status::Ok();
        if (order_.size() <= keep && !order_.front()->decoded) return Status::Ok();
        // Waiting for the oldest batch: decode what no decoder has taken
        // yet instead (oldest first, so usually that very batch).
        while (!order_.front()->decoded) {
          if (todo_.empty()) {
            done_cv_.wait(lock);
            continue;
          }
          Batch* b = todo_.front();
          todo_.pop_front();
          lock.unlock();
          Decode(*b, helper_);
          lock.lock();
          b->decoded = true;
        }
        head = std::move(order_.front());
        order_.pop_front();
      }
      Status s = Deliver(*head);
      {
        std::lock_guard lock(mu_);
        free_.push_back(std::move(head));
      }
      LG_RETURN_IF_ERROR(s);
    }
  }

  Status Deliver(const Batch& b) {
    LG_RETURN_IF_ERROR(b.failed);
    size_t next_error = 0;
    const uint64_t line_base = b.lines ? line_base_ : 0;
    if (b.lines) line_base_ += b.newlines;
    for (size_t k = 0; k < b.items.size(); ++k) {
      const Item& it = b.items[k];
      if (next_error < b.errors.size() && b.errors[next_error].first == k) {
        LG_RETURN_IF_ERROR(OnBadEntry(
            Locate(b.errors[next_error].second, name_, b.framing, line_base + it.line, it.offset), options_, stats_));
        ++next_error;
        continue;
      }
      ++stats_.entries_read;
      static const LogEntry kNotKept;  // (see EntryNote::entry_needed)
      const bool kept = !prepare_ || b.notes[k].entry_needed;
      SourcedEntry sourced{kept ? b.entries[k] : kNotKept, b.data.substr(it.begin, it.size)};
      if (prepare_) sourced.note = b.notes[k];
      sourced.entry_dropped = !kept;
      if (prepare_ && k + kLookAhead < b.items.size()) sourced.ahead = &b.notes[k + kLookAhead];
      LG_RETURN_IF_ERROR(visit_(sourced));
    }
    return Status::Ok();
  }

  void Work() {
    Decoder decoder;
    decoder.entries.set_detail_from(options_.detail_from);
    while (true) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return stop_ || !todo_.empty(); });
        if (stop_) return;
        b = todo_.front();
        todo_.pop_front();
      }
      Decode(*b, decoder);
      {
        std::lock_guard lock(mu_);
        b->decoded = true;
      }
      done_cv_.notify_all();
    }
  }

  // Reads (a range), splits and decodes batch b, and prepares its entries.
  // With a preparer each entry is decoded into the decoder's own `scratch`,
  // which stays in this core's cache, and swapped into the batch only when
  // the visitor needs it (EntryNote::entry_needed).
  void Decode(Batch& b, Decoder& decoder) {
    if (b.range) b.failed = ReadRange(b);
    if (b.lines && b.failed.ok()) SplitLines(b);
    if (b.entries.size() < b.items.size()) b.entries.resize(b.items.size());
    if (prepare_) b.notes.assign(b.items.size(), EntryNote());
    for (size_t k = 0; k < b.items.size(); ++k) {
      const Item& it = b.items[k];
      const std::string_view text = b.data.substr(it.begin, it.size);
      LogEntry& entry = prepare_ ? decoder.scratch : b.entries[k];
      // Padded (see Bytes): parsed in place.
      Status s = decoder.entries.Decode(text, entry, /*padded=*/true);
      if (!s.ok()) {
        b.errors.emplace_back(k, std::move(s));
      } else if (prepare_) {
        prepare_(entry, text, b.notes[k]);
        if (b.notes[k].entry_needed) std::swap(entry, b.entries[k]);
      }
    }
  }

  // Appends up to `n` bytes of the file from `pos` (not past file_size_) to
  // b.bytes; returns how many (0: the end).
  StatusOr<size_t> ReadAt(Batch& b, uint64_t pos, size_t n) {
    if (pos >= file_size_) return size_t{0};
    n = static_cast<size_t>(std::min<uint64_t>(n, file_size_ - pos));
    const size_t old = b.bytes.size();
    char* at = b.bytes.Grow(n);
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, at + got, n - got, static_cast<off_t>(pos + got));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        b.bytes.Truncate(old);
        return Status::IoError(fmt::format("{}: read failed at byte {}: {}", name_, pos + got, std::strerror(errno)));
      }
      if (r == 0) {
        b.bytes.Truncate(old);
        return Status::DataLoss(fmt::format(
            "{}: the file shrank while it was being read (truncated or rewritten at byte {}); run the pass again",
            name_, pos + got));
      }
      got += static_cast<size_t>(r);
    }
    return n;
  }

  // Reads batch b's range of the file: the lines that start in [begin, end)
  // (end = begin + B). They run from the first line start at or after begin
  // (begin itself when the byte before it is '\n') to the line end at or
  // after end - 1, which is exactly where the next range's lines start.
  Status ReadRange(Batch& b) {
    const uint64_t begin = b.base_offset;
    const uint64_t end = std::min<uint64_t>(file_size_, begin + batch_bytes_);
    const uint64_t from = begin == 0 ? 0 : begin - 1;  // one byte early: is begin a line start?
    b.bytes.clear();
    // Enough for the range and, usually, the line that crosses its end.
    size_t want = static_cast<size_t>(end - from) + std::max<size_t>(batch_bytes_ / 16, 4096);
    const size_t last = static_cast<size_t>(end - 1 - from);  // index of the range's last byte
    size_t line_end = std::string_view::npos;
    while (true) {
      const size_t have = b.bytes.size();
      auto n = ReadAt(b, from + have, want - have);
      if (!n.ok()) return n.status();
      if (b.bytes.size() > last) {
        line_end = b.bytes.view().find('\n', std::max(last, have));
        if (line_end != std::string_view::npos) break;
      }
      if (*n == 0 || from + b.bytes.size() >= file_size_) break;  // the file ends in this line
      want = 2 * b.bytes.size();
    }
    const std::string_view all = b.bytes.view();
    const size_t stop = line_end == std::string_view::npos ? all.size() : line_end + 1;
    size_t start = 0;
    if (begin != 0 && all[0] != '\n') {
      const size_t nl = all.find('\n', 1);
      start = nl == std::string_view::npos ? stop : std::min(stop, nl + 1);
    } else if (begin != 0) {
      start = 1;
    }
    b.bytes.Pad();
    b.data = b.bytes.view().substr(start, stop - start);
    b.base_offset = from + start;
    return Status::Ok();
  }

  const std::string& name_;
  const SourceOptions& options_;
  SourceStats& stats_;
  const EntryVisitor& visit_;
  const EntryPreparer& prepare_;
  const size_t max_in_flight_;
  const size_t batch_bytes_ = options_.batch_bytes ? options_.batch_bytes : kBatchBytes;  // after options_
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Batch*> todo_;                    // submitted, not yet taken by a decoder
  std::deque<std::unique_ptr<Batch>> order_;   // submitted, not yet handed over, in input order
  std::vector<std::unique_ptr<Batch>> free_;   // handed over; reused for their capacity
  bool stop_ = false;
  std::vector<std::thread> workers_;
  Decoder helper_;           // the calling thread's, for batches it decodes while waiting
  int fd_ = -1;              // ReadFile's
  uint64_t file_size_ = 0;
  uint64_t line_base_ = 0;  // lines before the next line-mode batch to deliver
};

// True when the input starts as NDJSON does for JsonFramer (its first
// non-blank character a '{' on a line of its own content, no byte order
// mark): then ParallelReader::ReadLines frames it exactly as the framer would.
// Anything else (arrays, pretty-printed objects, errors) goes to the framer.
StatusOr<bool> LooksLikeNdjson(PeekReader& peek) {
  size_t want = 64 * 1024;
  while (true) {
    auto head = peek.Peek(want);
    if (!head.ok()) return head.status();
    std::string_view h = *head;
    size_t p = h.find_first_not_of(" \t\r\n");
    if (p == std::string_view::npos) {
      if (h.size() < want) return false;  // blank or empty input: the framer says so
      want *= 2;
      continue;
    }
    if (h[p] != '{') return false;
    const size_t nl = h.find('\n', p);
    if (nl == std::string_view::npos && h.size() == want) {  // the first line goes on
      want *= 2;
      continue;
    }
    std::string_view first = h.substr(p, nl == std::string_view::npos ? std::string_view::npos : nl - p);
    while (!first.empty() && IsJsonSpace(first.back())) first.remove_suffix(1);
    return first != "{";
  }
}

// A regular file that decoders read in ranges themselves (see ReadFile).
struct RegularFile {
  int fd;
  uint64_t size;
};

// A regular file read as a stream from its start, whatever the descriptor's
// offset (pread; the offset is left alone).
class FileFromStart : public ByteReader {
 public:
  explicit FileFromStart(const RegularFile& file) : file_(file) {}
  StatusOr<size_t> Read(char* buf, size_t n) override {
    n = static_cast<size_t>(std::min<uint64_t>(n, file_.size - std::min(pos_, file_.size)));
    while (n > 0) {
      const ssize_t r = ::pread(file_.fd, buf, n, static_cast<off_t>(pos_));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return Status::IoError(fmt::format("read failed at byte {}: {}", pos_, std::strerror(errno)));
      pos_ += static_cast<uint64_t>(r);
      return static_cast<size_t>(r);
    }
    return size_t{0};
  }

 private:
  RegularFile file_;
  uint64_t pos_ = 0;
};

// Decoding on `threads` threads: NDJSON in whole-line batches (ranges of
// `file`, when the input is that regular file, read by the decoders), any
// other framing through the framer.
Status ReadParallel(ByteReader& reader, const RegularFile* file, unsigned threads, const std::string& name,
                    const SourceOptions& options, SourceStats& stats, const EntryVisitor& visit,
                    const EntryPreparer& prepare) {
  PeekReader peek(reader);
  auto ndjson = LooksLikeNdjson(peek);
  if (!ndjson.ok()) return ndjson.status().WithContext(name);
  ParallelReader parallel(threads, name, options, stats, visit, prepare);
  if (*ndjson) {
    auto bytes = file ? parallel.ReadFile(file->fd, file->size) : parallel.ReadLines(peek);
    if (!bytes.ok()) return bytes.status();
    stats.bytes_read = *bytes;
    return Status::Ok();
  }
  JsonFramer framer(peek, name);
  LG_RETURN_IF_ERROR(parallel.Read(framer));
  stats.bytes_read = framer.bytes_read();
  return Status::Ok();
}

unsigned DecodeThreads(unsigned asked) {
  if (asked != 0) return asked;
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

}  // namespace

Status ReadEntries(ByteReader& reader, const std::string& name, const SourceOptions& options,
                   SourceStats& stats, const EntryVisitor& visit, const EntryPreparer& prepare) {
  // bytes_read is set only on success: how far a failed read got depends on
  // read-ahead, not on the input.
  const unsigned threads = DecodeThreads(options.threads);
  if (threads <= 1) {
    JsonFramer framer(reader, name);
    LG_RETURN_IF_ERROR(ReadSequential(framer, name, options, stats, visit, prepare));
    stats.bytes_read = framer.bytes_read();
    return Status::Ok();
  }
  return ReadParallel(reader, nullptr, threads, name, options, stats, visit, prepare);
}

std::optional<Status> ReadFileEntries(int fd, const std::string& name, const SourceOptions& options,
                                      SourceStats& stats, const EntryVisitor& visit, const EntryPreparer& prepare) {
  const unsigned threads = DecodeThreads(options.threads);
  if (threads <= 1) return std::nullopt;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  // The framing is told from the head of the file, read as a stream; the
  // decoders read their ranges by offset (pread), whatever that stream read.
  const RegularFile file{fd, static_cast<uint64_t>(st.st_size)};
  FileFromStart reader(file);
  return ReadParallel(reader, &file, threads, name, options, stats, visit, prepare);
}

}  // namespace lg
