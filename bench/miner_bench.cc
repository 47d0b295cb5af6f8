// miner_bench: throughput and memory of the template miner, single thread.
//
//   miner_bench --mode miner|naive --lines N FILE...
//
// Reads the messages of FILE... (one per line) once, then feeds them to the
// miner over and over until N lines have been mined, and prints one line of
// `key=value` figures: lines/s and MB/s of the mining loop, the lines/s of the
// first pass over the distinct input (every shape new), templates, and the
// process's peak RSS. `--mode naive` runs the reference instead: a dictionary
// counter keyed by the line with digit runs replaced by '#', the simplest
// thing that groups log lines at all. bench/miner_bench.sh runs both and
// prints the ratios.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "mine/template_miner.h"

namespace {

double PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

class NaiveCounter {
 public:
  void Add(std::string_view line) {
    key_.clear();
    bool in_digits = false;
    for (char c : line) {
      if (c >= '0' && c <= '9') {
        if (!in_digits) key_ += '#';
        in_digits = true;
      } else {
        key_ += c;
        in_digits = false;
      }
    }
    ++counts_[key_];
  }
  size_t size() const { return counts_.size(); }

 private:
  std::string key_;
  std::unordered_map<std::string, uint64_t> counts_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "miner";
  uint64_t want = 1000000;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--mode" && i + 1 < argc) {
      mode = argv[++i];
    } else if (a == "--lines" && i + 1 < argc) {
      want = std::strtoull(argv[++i], nullptr, 10);
    } else {
      files.push_back(a);
    }
  }
  if (files.empty() || (mode != "miner" && mode != "naive")) {
    std::cerr << "usage: miner_bench --mode miner|naive --lines N FILE...\n";
    return 2;
  }
  // The corpus: every line of every file, and the group each belongs to
  // (one group per file, as `templates` would mine separate logs).
  std::vector<std::string> lines;
  std::vector<uint32_t> file_of;
  for (size_t f = 0; f < files.size(); ++f) {
    std::ifstream in(files[f]);
    if (!in) {
      std::cerr << files[f] << ": cannot open\n";
      return 3;
    }
    std::string l;
    while (std::getline(in, l)) {
      lines.push_back(l);
      file_of.push_back(static_cast<uint32_t>(f));
    }
  }
  if (lines.empty()) {
    std::cerr << "no input lines\n";
    return 3;
  }
  uint64_t corpus_bytes = 0;
  for (const auto& l : lines) corpus_bytes += l.size() + 1;

  lg::TemplateMiner miner;
  NaiveCounter naive;
  std::vector<uint32_t> groups;
  for (const auto& f : files) groups.push_back(miner.Group(f));
  auto feed = [&](size_t k) {
    if (mode == "miner") {
      miner.Add(groups[file_of[k]], lines[k]);
    } else {
      naive.Add(lines[k]);
    }
  };

  using Clock = std::chrono::steady_clock;
  // First pass: every line once, shapes and templates being created.
  auto t0 = Clock::now();
  for (size_t k = 0; k < lines.size(); ++k) feed(k);
  const double first_s = std::chrono::duration<double>(Clock::now() - t0).count();
  // Steady state: the same logs again and again, as a service's hour is.
  uint64_t done = lines.size(), bytes = corpus_bytes;
  auto t1 = Clock::now();
  size_t k = 0;
  while (done < want) {
    feed(k);
    bytes += lines[k].size() + 1;
    ++done;
    if (++k == lines.size()) k = 0;
  }
  if (mode == "miner") miner.Finish();
  const double loop_s = std::chrono::duration<double>(Clock::now() - t1).count();
  const double total_s = first_s + loop_s;
  std::printf(
      "mode=%s lines=%llu bytes=%llu seconds=%.3f lines_per_s=%.0f MB_per_s=%.1f first_pass_lines=%zu "
      "first_pass_lines_per_s=%.0f groups=%zu peak_rss_mib=%.1f\n",
      mode.c_str(), static_cast<unsigned long long>(done), static_cast<unsigned long long>(bytes), total_s,
      static_cast<double>(done) / total_s, static_cast<double>(bytes) / 1e6 / total_s, lines.size(),
      static_cast<double>(lines.size()) / first_s, mode == "miner" ? miner.template_count() : naive.size(),
      PeakRssMiB());
  return 0;
}
