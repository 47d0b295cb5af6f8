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

  // Entries below `s` are decoded and every field is checked (bad input is
  // rejected the same way at any severity), but only what the gardener counts
  // and correlates them by is kept: insertId, timestamp, receiveTimestamp,
  // severity, logName, labels, resource labels and httpRequest.status; the
  // rest (message, logger, trace, spanId, resource type, the request's other
  // fields, sourceLocation, errorGroups) stays empty. Copying fields is most
  // of decoding's cost (bench/decode_bench). Default: every entry whole.
  void set_detail_from(Severity s) { detail_from_ = s; }

 private:
  simdjson::dom::parser parser_;
  Severity detail_from_ = Severity::kDefault;
  HttpRequest spare_request_;  // storage reused by the next request log
};

// Builds the human message of an entry from its payload (see LogEntry::message).
// Exposed for tests and for the plain-text reader.
std::string SummarizeRequest(const HttpRequest& req);

}  // namespace lg

#endif  // LOG_GARDENER_DECODE_ENTRY_DECODER_H_
