// ReadEntries and ReadFileEntries: on any number of threads, from a stream
// or from ranges of a regular file, they hand over exactly what the
// sequential reader does — the same entries in the same order, the same
// errors and skips — and the preparer's note with each entry.
#include "sources/read_entries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "sources/file_source.h"
#include "testing/temp_dir.h"

namespace lg {
namespace {

// ---- ReadEntries: the parallel decoder hands over exactly what the
// sequential one does, in the same order, with the same errors.

std::string Entry(int k) {
  return fmt::format(
      R"({{"insertId":"id-{}","timestamp":"2025-09-15T15:{:02}:{:02}.{:06}Z","severity":"ERROR",)"
      R"("textPayload":"request {} failed after {} ms","resource":{{"labels":{{"service_name":"api"}}}}}})",
      k, (k / 60) % 60, k % 60, k, k, k % 977);
}

// `bad`: line numbers (1-based) that get an undecodable entry instead.
std::string Ndjson(int n, const std::vector<int>& bad = {}) {
  std::string out;
  for (int k = 1; k <= n; ++k) {
    if (std::find(bad.begin(), bad.end(), k) != bad.end()) {
      out += k % 2 ? R"({"timestamp":"2025-13-45T00:00:00Z"})" : R"({"insertId": "cut)";
    } else {
      out += Entry(k);
    }
    out += '\n';
  }
  return out;
}

struct ReadResult {
  std::vector<std::string> seen;  // insertId|message|raw size, in visit order
  Status status;
  SourceStats stats;
};

ReadResult ReadAll(const std::string& input, unsigned threads, bool skip, size_t stop_after = 0,
                   size_t step = 65536, size_t batch_bytes = 0) {
  MemoryReader reader(input, step);  // small pieces: refills mid-entry
  SourceOptions options;
  options.threads = threads;
  options.batch_bytes = batch_bytes;
  options.skip_bad_entries = skip;
  ReadResult r;
  r.status = ReadEntries(reader, "in.ndjson", options, r.stats, [&](const SourcedEntry& s) {
    r.seen.push_back(s.entry.insert_id + "|" + s.entry.message + "|" + std::to_string(s.raw.size()));
    if (stop_after && r.seen.size() == stop_after) return Status::Internal("visitor stops here");
    return Status::Ok();
  });
  return r;
}

void ExpectSame(const ReadResult& a, const ReadResult& b, unsigned threads) {
  EXPECT_EQ(a.seen, b.seen) << threads << " threads";
  EXPECT_EQ(a.status.ok(), b.status.ok()) << threads << " threads";
  EXPECT_EQ(a.status.message(), b.status.message()) << threads << " threads";
  EXPECT_EQ(a.stats.entries_read, b.stats.entries_read) << threads << " threads";
  EXPECT_EQ(a.stats.skipped, b.stats.skipped) << threads << " threads";
  EXPECT_EQ(a.stats.skip_messages, b.stats.skip_messages) << threads << " threads";
  if (a.status.ok()) {
    EXPECT_EQ(a.stats.bytes_read, b.stats.bytes_read) << threads << " threads";
  }
}

TEST(ReadEntries, ThreadCountChangesNothingOnGoodInput) {
  const std::string input = Ndjson(9000);  // several batches
  const ReadResult one = ReadAll(input, 1, false);
  ASSERT_TRUE(one.status.ok()) << one.status.message();
  ASSERT_EQ(one.seen.size(), 9000u);
  EXPECT_EQ(one.seen.front().substr(0, 5), "id-1|");
  for (unsigned t : {2u, 3u, 8u}) ExpectSame(one, ReadAll(input, t, false), t);
}

TEST(ReadEntries, ThreadCountChangesNothingWhenSkippingBadEntries) {
  const std::string input = Ndjson(7000, {1, 2047, 2048, 2049, 5001, 7000});
  const ReadResult one = ReadAll(input, 1, true);
  ASSERT_TRUE(one.status.ok()) << one.status.message();
  EXPECT_EQ(one.stats.skipped, 6u);
  ASSERT_EQ(one.stats.skip_messages.size(), 6u);
  EXPECT_NE(one.stats.skip_messages[1].find("in.ndjson:2047"), std::string::npos) << one.stats.skip_messages[1];
  for (unsigned t : {2u, 8u}) ExpectSame(one, ReadAll(input, t, true), t);
}

TEST(ReadEntries, FirstBadEntryStopsTheReadAtTheSamePlace) {
  const std::string input = Ndjson(8000, {4097, 6000});
  const ReadResult one = ReadAll(input, 1, false);
  EXPECT_FALSE(one.status.ok());
  EXPECT_NE(one.status.message().find("in.ndjson:4097"), std::string::npos) << one.status.message();
  EXPECT_EQ(one.seen.size(), 4096u);
  for (unsigned t : {2u, 8u}) ExpectSame(one, ReadAll(input, t, false), t);
}

TEST(ReadEntries, VisitorErrorStopsEveryDecoder) {
  const std::string input = Ndjson(10000);
  const ReadResult one = ReadAll(input, 1, false, 3001);
  EXPECT_EQ(one.status.message(), "visitor stops here");
  EXPECT_EQ(one.seen.size(), 3001u);
  for (unsigned t : {2u, 8u}) {
    const ReadResult many = ReadAll(input, t, false, 3001);
    EXPECT_EQ(many.seen, one.seen) << t;
    EXPECT_EQ(many.status.message(), one.status.message()) << t;
  }
}

TEST(ReadEntries, FramingErrorAfterGoodEntriesHandsThemOverFirst) {
  // A gcloud array cut in the middle of its 5000th entry.
  std::string input = "[\n";
  for (int k = 1; k < 5000; ++k) input += Entry(k) + ",\n";
  input += R"({"insertId": "x", "textPayload": "cut)";
  for (size_t step : {size_t{7}, size_t{65536}}) {
    const ReadResult one = ReadAll(input, 1, false, 0, step);
    EXPECT_FALSE(one.status.ok());
    EXPECT_EQ(one.seen.size(), 4999u);
    for (unsigned t : {2u, 8u}) ExpectSame(one, ReadAll(input, t, false, 0, step), t);
  }
}

TEST(ReadEntries, NdjsonLineSplittingMatchesTheFramer) {
  // Blank and whitespace-only lines, CRLF, indentation, a huge entry (larger
  // than a batch), bad lines, and a last line without '\n'.
  std::string input = "\n\n  \r\n";
  for (int k = 1; k <= 5000; ++k) {
    if (k == 77) input += "   \t\r\n";
    if (k == 1500) {
      input += R"({"insertId":"big","textPayload":")" + std::string(3 << 20, 'x') + "\"}\r\n";
      continue;
    }
    if (k == 2600) {
      input += "{broken\n";
      continue;
    }
    input += (k % 3 ? "" : "  ") + Entry(k) + (k % 5 ? "\n" : "\r\n");
  }
  input += Entry(5001);  // no final newline
  for (size_t step : {size_t{7}, size_t{4096}, size_t{1} << 20}) {
    const ReadResult one = ReadAll(input, 1, true, 0, step);
    ASSERT_TRUE(one.status.ok()) << one.status.message();
    ASSERT_EQ(one.seen.size(), 5000u);
    ASSERT_EQ(one.stats.skip_messages.size(), 1u);
    EXPECT_NE(one.stats.skip_messages[0].find("in.ndjson:2604:"), std::string::npos) << one.stats.skip_messages[0];
    for (unsigned t : {2u, 8u}) ExpectSame(one, ReadAll(input, t, true, 0, step), t);
    // Tiny batches: most lines meet a batch boundary.
    for (size_t batch : {size_t{1}, size_t{100}, size_t{4096}}) ExpectSame(one, ReadAll(input, 2, true, 0, step, batch), 2);
  }
}

TEST(ReadEntries, OtherFramingsAndBadStartsGoThroughTheFramerWithAnyThreadCount) {
  const std::string pretty = "{\n  \"insertId\": \"a\",\n  \"textPayload\": \"x\"\n}\n{\n  \"insertId\": \"b\"\n}\n";
  const std::string bom = "\xEF\xBB\xBF" + Entry(1) + "\n" + Entry(2) + "\n";
  std::string array = "[\n";
  for (int k = 1; k <= 3000; ++k) array += Entry(k) + (k < 3000 ? ",\n" : "\n");
  array += "]\n";
  const std::string inputs[] = {pretty, bom, array, "", "   \n\n", "\xEF\xBB\xBF", "hello\n", "[1, 2]", "{\"a\":1}{\"b\":2}\n"};
  for (const std::string& input : inputs) {
    for (size_t step : {size_t{3}, size_t{65536}}) {
      const ReadResult one = ReadAll(input, 1, false, 0, step);
      for (unsigned t : {2u, 8u}) ExpectSame(one, ReadAll(input, t, false, 0, step), t);
      ExpectSame(one, ReadAll(input, 3, false, 0, step, 50), 3);
    }
  }
  EXPECT_EQ(ReadAll(array, 2, false).seen.size(), 3000u);
  EXPECT_EQ(ReadAll(pretty, 2, false).seen.size(), 2u);
  EXPECT_EQ(ReadAll(bom, 2, false).seen.size(), 2u);
}

// ---- ReadFileEntries: decoders reading ranges of a regular file hand over
// exactly what reading it as a stream does.

ReadResult ReadFile(const std::string& path, unsigned threads, size_t batch_bytes) {
  auto in = InputFile::Open(path);
  EXPECT_TRUE(in.ok()) << in.status().message();
  SourceOptions options;
  options.threads = threads;
  options.batch_bytes = batch_bytes;
  options.skip_bad_entries = true;
  ReadResult r;
  auto status = ReadFileEntries((*in)->fd(), "in.ndjson", options, r.stats, [&](const SourcedEntry& s) {
    r.seen.push_back(s.entry.insert_id + "|" + s.entry.message + "|" + std::to_string(s.raw.size()));
    return Status::Ok();
  });
  EXPECT_TRUE(status.has_value()) << "the file was not read in ranges";
  if (status) r.status = *status;
  return r;
}

TEST(ReadFileEntries, HandsOverWhatReadingDoesWhereverRangesAndTheFileEnd) {
  TempDir dir;
  const std::string path = dir.path() + "/in.ndjson";
  // Lines cut by range ends everywhere, a line longer than many ranges (and
  // than a range's read-ahead), a '\n' exactly before a range start, bad and
  // blank lines, CRLF; files ending with and without '\n' and with blank lines.
  std::string body;
  for (int k = 1; k <= 3000; ++k) {
    if (k == 10) body += "\n  \r\n";
    if (k == 700) body += R"({"insertId":"long","textPayload":")" + std::string(70000, 'y') + "\"}\n";
    if (k == 1200) body += "{broken\n";
    body += Entry(k) + (k % 4 ? "\n" : "\r\n");
  }
  std::string at_boundary = Entry(1);
  at_boundary.append(999 - at_boundary.size(), ' ');
  at_boundary += "\n" + Entry(2) + "\n" + Entry(3);  // byte 999 is '\n': range 2 starts a line at 1000
  const std::string inputs[] = {body, body + Entry(3001), body + "\n\n\n", "   " + body, at_boundary, Entry(1)};
  for (const std::string& input : inputs) {
    WriteText(path, input);
    const ReadResult one = ReadAll(input, 1, true);
    ASSERT_TRUE(one.status.ok()) << one.status.message();
    for (size_t batch : {size_t{64}, size_t{999}, size_t{1000}, size_t{65536}, size_t{0}}) {
      for (unsigned t : {2u, 8u}) ExpectSame(one, ReadFile(path, t, batch), t);
    }
  }
}

TEST(ReadFileEntries, OtherFramingsGoThroughTheFramerAndPipesAndOneThreadAreNotReadInRanges) {
  TempDir dir;
  const std::string path = dir.path() + "/in.json";
  std::string array = "[\n";
  for (int k = 1; k <= 3000; ++k) array += Entry(k) + (k < 3000 ? ",\n" : "\n");
  array += "]\n";
  WriteText(path, array);
  const ReadResult one = ReadAll(array, 1, true);
  ExpectSame(one, ReadFile(path, 2, 1000), 2);
  EXPECT_EQ(ReadFile(path, 2, 1000).seen.size(), 3000u);

  SourceStats stats;
  auto visit = [](const SourcedEntry&) { return Status::Ok(); };
  auto in = InputFile::Open(path);
  ASSERT_TRUE(in.ok());
  SourceOptions options;
  options.threads = 1;
  EXPECT_FALSE(ReadFileEntries((*in)->fd(), path, options, stats, visit).has_value()) << "one thread reads";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  options.threads = 2;
  options.batch_bytes = 1;
  EXPECT_FALSE(ReadFileEntries(fds[0], "pipe", options, stats, visit).has_value()) << "a pipe is read";
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_EQ(stats.entries_read, 0u);
}

TEST(ReadFileEntries, AFileThatShrinksWhileReadFailsTheReadNamingItAfterTheEntriesBefore) {
  TempDir dir;
  const std::string path = dir.path() + "/shrinks.ndjson";
  WriteText(path, Ndjson(20000));
  auto in = InputFile::Open(path);
  ASSERT_TRUE(in.ok());
  SourceOptions options;
  options.threads = 2;
  options.batch_bytes = 4096;
  SourceStats stats;
  std::vector<std::string> seen;
  auto status = ReadFileEntries((*in)->fd(), "shrinks.ndjson", options, stats, [&](const SourcedEntry& s) {
    if (seen.empty() && ::truncate(path.c_str(), 0) != 0) std::abort();
    seen.push_back(s.entry.insert_id);
    return Status::Ok();
  });
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code(), StatusCode::kDataLoss);
  EXPECT_NE(status->message().find("shrinks.ndjson: the file shrank while it was being read"), std::string::npos)
      << status->message();
  ASSERT_FALSE(seen.empty());
  EXPECT_LT(seen.size(), 20000u);
  for (size_t k = 0; k < seen.size(); ++k) ASSERT_EQ(seen[k], fmt::format("id-{}", k + 1)) << "in order, none lost";
}

// ---- The preparer runs for every entry, on whichever thread decodes it,
// and its note reaches the visitor with that entry.

TEST(ReadEntries, ThePreparersNoteComesWithItsEntryOnAnyNumberOfThreads) {
  TempDir dir;
  const std::string path = dir.path() + "/in.ndjson";
  const std::string input = Ndjson(5000, {17, 2000});
  WriteText(path, input);
  const EntryPreparer prepare = [](const LogEntry& e, std::string_view raw, EntryNote& note) {
    note.set = true;
    note.key = raw.size();
    note.lane = static_cast<uint32_t>(std::hash<std::string>()(e.insert_id));
    note.keep = e.insert_id.back() != '7';
  };
  for (unsigned t : {1u, 2u, 8u}) {
    for (bool file : {false, true}) {
     for (size_t batch : {size_t{1000}, size_t{1} << 16}) {
      SourceOptions options;
      options.threads = t;
      options.batch_bytes = batch;
      options.skip_bad_entries = true;
      SourceStats stats;
      size_t visited = 0, kept = 0;
      std::vector<uint32_t> lanes;                             // in visit order
      std::vector<std::pair<size_t, uint32_t>> aheads;         // (visit index, ahead's lane)
      auto visit = [&](const SourcedEntry& s) {
        ++visited;
        lanes.push_back(s.note.lane);
        if (s.ahead && s.ahead->set) aheads.emplace_back(lanes.size() - 1, s.ahead->lane);  // (unset: a bad entry)
        EXPECT_TRUE(s.note.set);
        EXPECT_EQ(s.note.key, s.raw.size());
        EXPECT_EQ(s.note.lane, static_cast<uint32_t>(std::hash<std::string>()(s.entry.insert_id)));
        EXPECT_EQ(s.note.keep, s.entry.insert_id.back() != '7');
        if (s.note.keep) ++kept;
        return Status::Ok();
      };
      Status status;
      if (file) {
        auto in = InputFile::Open(path);
        ASSERT_TRUE(in.ok());
        auto read = ReadFileEntries((*in)->fd(), path, options, stats, visit, prepare);
        if (t == 1) {
          ASSERT_FALSE(read.has_value());
          continue;
        }
        ASSERT_TRUE(read.has_value());
        status = *read;
      } else {
        MemoryReader reader(input, 4096);
        status = ReadEntries(reader, "in.ndjson", options, stats, visit, prepare);
      }
      ASSERT_TRUE(status.ok()) << status.message();
      EXPECT_EQ(visited, 4998u) << t << " threads, file " << file;
      EXPECT_EQ(kept, 4998u - 499u) << t << " threads, file " << file;  // ids ending in 7, less id-17
      // A look-ahead note is the note of an entry a few places further on.
      for (const auto& [at, lane] : aheads) {
        bool found = false;
        for (size_t d = 1; d <= 16 && at + d < lanes.size(); ++d) found |= lanes[at + d] == lane;
        EXPECT_TRUE(found) << "entry " << at;
      }
      if (t > 1 && batch > 1000) {
        EXPECT_GT(aheads.size(), 1000u) << t << " threads, file " << file;
      }
     }
    }
  }
}

// An entry the preparer says the visitor does not need may come as an empty
// entry (marked, its text in raw); every other entry is whole, however the
// decoders' reused entries were swapped around before.
TEST(ReadEntries, EntriesNotNeededMayComeEmptyAndTheRestWhole) {
  TempDir dir;
  const std::string path = dir.path() + "/in.ndjson";
  const std::string input = Ndjson(5000, {17, 2000});
  WriteText(path, input);
  const auto needed = [](std::string_view id) { return id.size() % 2 == 0 || id.back() == '3'; };
  const EntryPreparer prepare = [&](const LogEntry& e, std::string_view, EntryNote& note) {
    note.set = true;
    note.entry_needed = needed(e.insert_id);
  };
  for (unsigned t : {1u, 2u, 8u}) {
    for (bool file : {false, true}) {
      SourceOptions options;
      options.threads = t;
      options.batch_bytes = 1000;
      options.skip_bad_entries = true;
      SourceStats stats;
      size_t visited = 0, dropped = 0;
      auto visit = [&](const SourcedEntry& s) {
        ++visited;
        const size_t at = s.raw.find("\"id-") + 1;  // the insertId's text, read from raw
        const std::string id(s.raw.substr(at, s.raw.find('"', at) - at));
        if (s.entry_dropped) {
          ++dropped;
          EXPECT_FALSE(needed(id)) << id;
          EXPECT_TRUE(s.entry.insert_id.empty() && s.entry.labels.empty() && !s.entry.timestamp);
        } else {
          EXPECT_EQ(s.entry.insert_id, id);
        }
        return Status::Ok();
      };
      Status status;
      if (file) {
        auto in = InputFile::Open(path);
        ASSERT_TRUE(in.ok());
        auto read = ReadFileEntries((*in)->fd(), path, options, stats, visit, prepare);
        if (t == 1) continue;
        ASSERT_TRUE(read.has_value());
        status = *read;
      } else {
        MemoryReader reader(input, 4096);
        status = ReadEntries(reader, "in.ndjson", options, stats, visit, prepare);
      }
      ASSERT_TRUE(status.ok()) << status.message();
      EXPECT_EQ(visited, 4998u) << t << " threads, file " << file;
      if (t > 1) {
        EXPECT_GT(dropped, 1000u) << t << " threads, file " << file;
      }
    }
  }
}

TEST(ReadEntries, ZeroThreadsMeansOnePerCoreAndEmptyInputIsAnError) {
  const std::string input = Ndjson(100);
  ExpectSame(ReadAll(input, 1, false), ReadAll(input, 0, false), 0);
  const ReadResult empty1 = ReadAll("", 1, false), empty8 = ReadAll("", 8, false);
  ExpectSame(empty1, empty8, 8);
}

}  // namespace
}  // namespace lg
