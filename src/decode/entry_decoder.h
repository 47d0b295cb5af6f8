// Decodes one LogEntry JSON object (REST / gcloud / export shape) into LogEntry.
#ifndef LOG_GARDENER_DECODE_ENTRY_DECODER_H_
#define LOG_GARDENER_DECODE_ENTRY_DECODER_H_

#include <string_view>

#include <simdjson.h>

#include "log_gardener/log_entry.h"
#include "log_gardener/status.h"

namespace lg {

// Reuses one simdjson parser across entries, so decoding allocates only when
// an entry is larger than any seen before. Not thread-safe: one per thread.
class EntryDecoder {
 public:
  // Decodes `json` (one object) into `out`, replacing its contents.
  // Errors are kDataLoss and name the offending field ("field 'timestamp': ...");
  // the caller adds the file and line.
  Status Decode(std::string_view json, LogEntry& out);
  // With `padded`, simdjson::SIMDJSON_PADDING readable bytes follow `json`
  // (any content): it is parsed in place, without a copy.
  Status Decode(std::string_view json, LogEntry& out, bool padded);

  // Entries below `s` are decoded and checked whole, but get no `message` or
  // `logger` (building those is most of the work): for readers that only
  // count and correlate them, as the gardener does below --min-severity.
  // Default: every entry gets its message.
  void set_message_from(Severity s) { message_from_ = s; }

 private:
  simdjson::dom::parser parser_;
  Severity message_from_ = Severity::kDefault;
  HttpRequest spare_request_;  // storage reused by the next request log
};

// Builds the human message of an entry from its payload (see LogEntry::message).
// Exposed for tests and for the plain-text reader.
std::string SummarizeRequest(const HttpRequest& req);

}  // namespace lg

#endif  // LOG_GARDENER_DECODE_ENTRY_DECODER_H_
