// The filter builder's quoting (a quoted value must stay one value) and the
// query-language parser and evaluator used for --filter on files.
#include <cstdint>
#include <string>
#include <string_view>

#include "gcp/filter.h"
#include "gcp/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Quoting: the value comes back out of the quotes unchanged.
  const std::string quoted = lg::gcp::QuoteValue(text);
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') __builtin_trap();
  std::string unquoted;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 2 < quoted.size()) {
      ++i;
      unquoted += quoted[i] == 'n' ? '\n' : quoted[i];
    } else if (quoted[i] == '"') {
      __builtin_trap();  // an unescaped quote would end the value early
    } else {
      unquoted += quoted[i];
    }
  }
  if (unquoted != text) __builtin_trap();
  lg::gcp::LogScope scope;
  scope.service = std::string(text);
  (void)lg::gcp::BuildFilter(scope);
  auto query = lg::gcp::Query::Parse(text);
  if (query.ok()) {
    (void)query->Matches(R"({"severity":"ERROR","timestamp":"2025-09-15T15:00:00Z","jsonPayload":{"a":[1,"b"]}})");
  }
  return 0;
}
