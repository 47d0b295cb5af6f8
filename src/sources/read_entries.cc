// ReadEntries: LogEntries decoded from a JSON byte stream, on one thread or on
// several (ParallelReader), from a stream or straight from a mapped file.
#include "sources/read_entries.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <signal.h>
#include <sys/mman.h>
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
                      SourceStats& stats, const EntryVisitor& visit) {
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
    LG_RETURN_IF_ERROR(visit(SourcedEntry{entry, frame.text}));
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

// A regular file mapped read-only, so decoders parse its bytes where the
// page cache holds them instead of copies (a read() per batch costs as much
// as a tenth of the whole run). Pages already handed over are released
// (MADV_DONTNEED), so resident memory does not grow with the file.
//
// A mapped file that shrinks while it is read raises SIGBUS on the next
// access past its new end; the handler installed while reading says so,
// naming the file, and exits with status 3 (unreadable input, as for any
// other). The pass has written nothing by then: outputs come after reading.
class MappedFile {
 public:
  // Null when the file is not worth or not able to be mapped (not regular,
  // small, or mmap fails): the caller reads it instead.
  static std::unique_ptr<MappedFile> Map(int fd, size_t min_size) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    const auto size = static_cast<size_t>(st.st_size);
    if (size < min_size) return nullptr;
    void* at = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (at == MAP_FAILED) return nullptr;
    ::madvise(at, size, MADV_SEQUENTIAL);
    return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const char*>(at), size));
  }
  ~MappedFile() { ::munmap(const_cast<char*>(data_), size_); }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view view() const { return {data_, size_}; }
  // Gives back the whole pages before `offset` (their bytes are not read again).
  void Release(size_t offset) const {
    static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    const size_t upto = offset / page * page;
    if (upto <= released_) return;
    ::madvise(const_cast<char*>(data_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
  }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
  mutable size_t released_ = 0;
};

// SIGBUS while a mapped file is read: it shrank under us (see MappedFile).
char g_mapped_name[512];
extern "C" void OnMappedFileBus(int) {
  static constexpr char kBefore[] = "log-gardener: ";
  static constexpr char kAfter[] = ": the file shrank while it was being read (truncated or rewritten); this pass wrote nothing, run it again\n";
  [[maybe_unused]] ssize_t r = ::write(2, kBefore, sizeof kBefore - 1);
  r = ::write(2, g_mapped_name, ::strnlen(g_mapped_name, sizeof g_mapped_name));
  r = ::write(2, kAfter, sizeof kAfter - 1);
  ::_exit(3);
}

class BusGuard {
 public:
  explicit BusGuard(const std::string& name) {
    const size_t n = std::min(name.size(), sizeof g_mapped_name - 1);
    std::memcpy(g_mapped_name, name.data(), n);
    g_mapped_name[n] = '\0';
    struct sigaction sa {};
    sa.sa_handler = OnMappedFileBus;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, &old_);
  }
  ~BusGuard() { ::sigaction(SIGBUS, &old_, nullptr); }

 private:
  struct sigaction old_ {};
};

// Parallel decoding. The calling thread frames the input into batches of
// whole entries (framing is a byte scan; decoding is the work), decoder
// threads turn each batch into LogEntries, and the calling thread hands the
// batches' entries to the visitor strictly in input order. At most
// 2 x threads batches are in flight, so memory stays bounded however large
// the input. A decoding or visitor error stops the decoders and is returned
// exactly as the sequential reader would return it.
class ParallelReader {
 public:
  ParallelReader(unsigned threads, const std::string& name, const SourceOptions& options, SourceStats& stats,
                 const EntryVisitor& visit)
      : name_(name), options_(options), stats_(stats), visit_(visit), max_in_flight_(2 * threads) {
    for (unsigned k = 0; k < threads; ++k) workers_.emplace_back([this] { Work(); });
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

  // NDJSON in a mapped file: as ReadLines, but batches are stretches of the
  // mapping (no copy), cut after a '\n' near every batch_bytes_; the last
  // stretch, which lacks simdjson's padding after it, is copied. Pages of
  // delivered batches are given back as it goes, so resident memory stays
  // that of the batches in flight. Returns the bytes read.
  StatusOr<uint64_t> ReadMapped(const MappedFile& file) {
    const std::string_view all = file.view();
    size_t pos = 0;
    while (pos < all.size()) {
      std::unique_ptr<Batch> batch = NewBatch();
      batch->lines = true;
      size_t end = std::min(all.size(), pos + batch_bytes_);
      if (end < all.size()) {
        const size_t nl = all.find('\n', end - 1);
        end = nl == std::string_view::npos ? all.size() : nl + 1;
      }
      if (all.size() - end >= Bytes::kPadding) {
        batch->mapped = all.substr(pos, end - pos);
      } else {
        end = all.size();
        batch->bytes.Append(all.substr(pos));
      }
      batch->base_offset = pos;
      pos = end;
      Submit(std::move(batch), Framing::kNdjson);
      LG_RETURN_IF_ERROR(Drain(max_in_flight_, &file));
    }
    LG_RETURN_IF_ERROR(Drain(0, &file));
    return uint64_t{all.size()};
  }

 private:

  static constexpr size_t kBatchEntries = 2048;
  static constexpr size_t kBatchBytes = size_t{1} << 20;

  struct Item {
    size_t begin, size;
    uint64_t line, offset;
  };
  struct Batch {
    Bytes bytes;
    // What the decoders read: `bytes`, or a stretch of a mapped file with at
    // least kPadding readable bytes after it (see ReadMapped).
    std::string_view data;
    std::string_view mapped;
    // NDJSON read in whole lines: the decoder splits the lines itself, and
    // item lines count from the batch's first line (see Deliver).
    bool lines = false;
    uint64_t base_offset = 0;  // stream offset of bytes[0]
    uint64_t newlines = 0;     // '\n' in bytes
    std::vector<Item> items;
    std::vector<LogEntry> entries;                 // parallel to items once decoded
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
    b->mapped = {};
    b->data = {};
    b->items.clear();
    b->errors.clear();
    b->decoded = false;
    b->lines = false;
    return b;
  }

  void Submit(std::unique_ptr<Batch> batch, Framing framing) {
    if (batch->mapped.empty()) {
      batch->bytes.Pad();
      batch->data = batch->bytes.view();
    } else {
      batch->data = batch->mapped;
    }
    if (batch->lines ? batch->data.empty() : batch->items.empty()) return;
    batch->framing = framing;
    {
      std::lock_guard lock(mu_);
      todo_.push_back(batch.get());
      order_.push_back(std::move(batch));
    }
    work_cv_.notify_one();
  }

  // Hands over decoded batches in order until at most `keep` are in flight.
  Status Drain(size_t keep, const MappedFile* file = nullptr) {
    while (true) {
      std::unique_ptr<Batch> head;
      {
        std::unique_lock lock(mu_);
        if (order_.empty()) return Status::Ok();
        if (order_.size() <= keep && !order_.front()->decoded) return Status::Ok();
        done_cv_.wait(lock, [&] { return order_.front()->decoded; });
        head = std::move(order_.front());
        order_.pop_front();
      }
      Status s = Deliver(*head);
      if (file && !head->mapped.empty()) file->Release(head->base_offset + head->mapped.size());
      {
        std::lock_guard lock(mu_);
        free_.push_back(std::move(head));
      }
      LG_RETURN_IF_ERROR(s);
    }
  }

  Status Deliver(const Batch& b) {
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
      LG_RETURN_IF_ERROR(visit_(SourcedEntry{b.entries[k], b.data.substr(it.begin, it.size)}));
    }
    return Status::Ok();
  }

  void Work() {
    EntryDecoder decoder;
    decoder.set_detail_from(options_.detail_from);
    while (true) {
      Batch* b = nullptr;
      {
        std::unique_lock lock(mu_);
        work_cv_.wait(lock, [&] { return stop_ || !todo_.empty(); });
        if (stop_) return;
        b = todo_.front();
        todo_.pop_front();
      }
      if (b->lines) SplitLines(*b);
      if (b->entries.size() < b->items.size()) b->entries.resize(b->items.size());
      for (size_t k = 0; k < b->items.size(); ++k) {
        const Item& it = b->items[k];
        // Padded (see Bytes): parsed in place.
        Status s = decoder.Decode(b->data.substr(it.begin, it.size), b->entries[k], /*padded=*/true);
        if (!s.ok()) b->errors.emplace_back(k, std::move(s));
      }
      {
        std::lock_guard lock(mu_);
        b->decoded = true;
      }
      done_cv_.notify_all();
    }
  }

  const std::string& name_;
  const SourceOptions& options_;
  SourceStats& stats_;
  const EntryVisitor& visit_;
  const size_t max_in_flight_;
  const size_t batch_bytes_ = options_.batch_bytes ? options_.batch_bytes : kBatchBytes;  // after options_
  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Batch*> todo_;                    // submitted, not yet taken by a decoder
  std::deque<std::unique_ptr<Batch>> order_;   // submitted, not yet handed over, in input order
  std::vector<std::unique_ptr<Batch>> free_;   // handed over; reused for their capacity
  bool stop_ = false;
  std::vector<std::thread> workers_;
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

// Decoding on `threads` threads: NDJSON in whole-line batches (stretches of
// `file` when the input is that mapped file), any other framing through the
// framer.
Status ReadParallel(ByteReader& reader, const MappedFile* file, unsigned threads, const std::string& name,
                    const SourceOptions& options, SourceStats& stats, const EntryVisitor& visit) {
  PeekReader peek(reader);
  auto ndjson = LooksLikeNdjson(peek);
  if (!ndjson.ok()) return ndjson.status().WithContext(name);
  ParallelReader parallel(threads, name, options, stats, visit);
  if (*ndjson) {
    auto bytes = file ? parallel.ReadMapped(*file) : parallel.ReadLines(peek);
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
                   SourceStats& stats, const EntryVisitor& visit) {
  // bytes_read is set only on success: how far a failed read got depends on
  // read-ahead, not on the input.
  const unsigned threads = DecodeThreads(options.threads);
  if (threads <= 1) {
    JsonFramer framer(reader, name);
    LG_RETURN_IF_ERROR(ReadSequential(framer, name, options, stats, visit));
    stats.bytes_read = framer.bytes_read();
    return Status::Ok();
  }
  return ReadParallel(reader, nullptr, threads, name, options, stats, visit);
}

std::optional<Status> ReadMappedEntries(int fd, const std::string& name, const SourceOptions& options,
                                        SourceStats& stats, const EntryVisitor& visit) {
  const unsigned threads = DecodeThreads(options.threads);
  if (threads <= 1) return std::nullopt;
  // Small files are read: mapping costs more than it saves there. Tests map
  // small files by asking for small batches.
  const size_t min_size = options.batch_bytes ? 2 * options.batch_bytes : size_t{16} << 20;
  std::unique_ptr<MappedFile> file = MappedFile::Map(fd, min_size);
  if (!file) return std::nullopt;
  BusGuard guard(name);
  MemoryReader memory(file->view());
  return ReadParallel(memory, file.get(), threads, name, options, stats, visit);
}

}  // namespace lg
