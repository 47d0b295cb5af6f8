// Decoding cost on one core: simdjson's DOM parse of every NDJSON line alone
// (the floor any DOM-based decoder pays), against EntryDecoder (the same
// parse, plus reading the fields into a LogEntry), with and without building
// messages for entries below a minimum severity. Prints MB/s and ratios, all
// in one command, on the same bytes from memory.
//
//   build/bench/decode_bench FILE.ndjson [REPEATS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <simdjson.h>

#include "decode/entry_decoder.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: decode_bench FILE.ndjson [REPEATS]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "decode_bench: cannot open %s\n", argv[1]);
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  const size_t bytes = data.size();
  data.append(simdjson::SIMDJSON_PADDING, ' ');  // every line is parsed in place
  std::vector<std::pair<size_t, size_t>> lines;
  for (size_t pos = 0; pos < bytes;) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string::npos || nl > bytes) nl = bytes;
    if (nl > pos) lines.emplace_back(pos, nl - pos);
    pos = nl + 1;
  }
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  auto best = [&](auto&& body) {
    double t = 1e300;
    for (int r = 0; r < repeats; ++r) {
      const auto start = std::chrono::steady_clock::now();
      body();
      t = std::min(t, Seconds(start));
    }
    return t;
  };
  size_t sink = 0;
  simdjson::dom::parser parser;
  const double parse = best([&] {
    for (auto [at, n] : lines) {
      simdjson::dom::element e;
      if (parser.parse(data.data() + at, n, false).get(e) == simdjson::SUCCESS) ++sink;
    }
  });
  lg::LogEntry entry;
  lg::EntryDecoder full;
  const double decode = best([&] {
    for (auto [at, n] : lines) sink += full.Decode(std::string_view(data).substr(at, n), entry, true).ok();
  });
  lg::EntryDecoder light;
  light.set_detail_from(lg::Severity::kWarning);
  const double decode_light = best([&] {
    for (auto [at, n] : lines) sink += light.Decode(std::string_view(data).substr(at, n), entry, true).ok();
  });
  std::printf("%zu entries, %.0f MB, best of %d\n", lines.size(), bytes / 1e6, repeats);
  std::printf("%-44s %8.3f s %8.0f MB/s  1.00x\n", "simdjson DOM parse only", parse, bytes / 1e6 / parse);
  std::printf("%-44s %8.3f s %8.0f MB/s  %.2fx the parse\n", "EntryDecoder, every message", decode,
              bytes / 1e6 / decode, decode / parse);
  std::printf("%-44s %8.3f s %8.0f MB/s  %.2fx the parse\n", "EntryDecoder, messages from WARNING", decode_light,
              bytes / 1e6 / decode_light, decode_light / parse);
  return sink == 0 ? 1 : 0;
}
