// Grouper: the `mine` stage. Assigns each entry a template.
//
// This first version groups by masked message plus log id; the Drain-class
// miner replaces it behind the same interface.
#ifndef LOG_GARDENER_MINE_GROUPER_H_
#define LOG_GARDENER_MINE_GROUPER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "log_gardener/log_entry.h"

namespace lg {

struct Template {
  uint32_t index = 0;  // dense, in order of first arrival (not stable across inputs)
  std::string text;    // masked message, e.g. "Redis error <NUM> connecting to <IP>"
  std::string log_id;  // "run.googleapis.com/stderr"
  // Stable identity: hash of log id and text, independent of input order.
  uint64_t id = 0;
};

// Pure: no I/O, no clock. Not thread-safe.
class Grouper {
 public:
  virtual ~Grouper() = default;
  // Returns the index of the template `entry` belongs to.
  virtual uint32_t Assign(const LogEntry& entry) = 0;
  virtual const Template& Get(uint32_t index) const = 0;
  virtual size_t size() const = 0;
};

// The text a grouper should see for an entry: its message, or for a request
// log without payload "METHOD <masked path> → STATUS" (latency dropped).
std::string GroupingText(const LogEntry& entry);

class MaskGrouper : public Grouper {
 public:
  // Longest masked text kept as a template; the tail of a huge message does
  // not make it a different problem.
  static constexpr size_t kMaxTemplateBytes = 2048;

  uint32_t Assign(const LogEntry& entry) override;
  const Template& Get(uint32_t index) const override { return templates_[index]; }
  size_t size() const override { return templates_.size(); }

 private:
  std::unordered_map<std::string, uint32_t> by_key_;
  std::vector<Template> templates_;
};

}  // namespace lg

#endif  // LOG_GARDENER_MINE_GROUPER_H_
