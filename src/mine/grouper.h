// What the `mine` stage hands on: templates, and the text it mines per entry.
#ifndef LOG_GARDENER_MINE_GROUPER_H_
#define LOG_GARDENER_MINE_GROUPER_H_

#include <cstdint>
#include <string>

#include "log_gardener/log_entry.h"
#include "mine/masker.h"

namespace lg {

// A mined template as the later stages see it.
struct Template {
  uint32_t index = 0;  // dense, position in RunOutput::templates
  std::string text;    // typed template, e.g. "Redis error <NUM> at <IP>:<NUM>"
  std::string log_id;  // "run.googleapis.com/stderr"
  std::string group;   // the miner's group: "service\x1flog id[\x1frequests]"
  // Stable identity (TemplateMiner::Id): the same template in every run.
  uint64_t id = 0;
};

// The text the miner sees for an entry: its message, or for a request log
// without payload "METHOD /route" (query string dropped), with its status
// kept apart: requests are mined per status, so `GET /a/<NUM> → 503` never
// merges with the 200s.
struct GroupingInput {
  std::string text;
  bool request = false;
  int status = 0;  // request logs only
};
GroupingInput GroupingText(const LogEntry& entry);

// Masking for a gardening pass: routes, file paths and host names stay
// (they name the problem: `GET /api/cart`, `tax-svc.internal:8080`); numbers,
// ids, addresses and times are masked. The `templates` tool masks paths and
// hosts too, as log-parsing benchmarks expect.
MaskOptions ServiceLogMaskOptions();

}  // namespace lg

#endif  // LOG_GARDENER_MINE_GROUPER_H_
