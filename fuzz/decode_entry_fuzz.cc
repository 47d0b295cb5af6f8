// LogEntry decoding: any bytes give a LogEntry or a Status, never a crash.
// Differential too: decoding that keeps only the counted fields (below
// detail_from) must accept and reject exactly what whole decoding does, with
// the same message, and keep those fields equal.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "decode/entry_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static lg::EntryDecoder whole;
  static lg::EntryDecoder light = [] {
    lg::EntryDecoder d;
    d.set_detail_from(lg::Severity::kEmergency);  // every entry light, except EMERGENCY
    return d;
  }();
  static lg::LogEntry a, b;  // reused, as readers do: stale storage must not leak
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const lg::Status sa = whole.Decode(json, a);
  const lg::Status sb = light.Decode(json, b);
  if (sa.ok() != sb.ok() || sa.message() != sb.message()) std::abort();
  if (sa.ok()) {
    if (a.insert_id != b.insert_id || a.timestamp != b.timestamp || a.receive_timestamp != b.receive_timestamp ||
        a.severity != b.severity || a.log_name != b.log_name || a.labels != b.labels ||
        a.resource_labels != b.resource_labels || a.http_request.has_value() != b.http_request.has_value() ||
        (a.http_request && a.http_request->status != b.http_request->status)) {
      std::abort();
    }
  }
  return 0;
}
