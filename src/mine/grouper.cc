#include "mine/grouper.h"

#include <fmt/format.h>

namespace lg {

GroupingInput GroupingText(const LogEntry& entry) {
  if (entry.payload_kind == PayloadKind::kNone && entry.http_request) {
    const HttpRequest& r = *entry.http_request;
    std::string_view url = r.url;
    if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
      auto slash = url.find('/', scheme + 3);
      url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
    // The query string varies per request; the route is the problem.
    url = url.substr(0, url.find('?'));
    return {fmt::format("{} {}", r.method.empty() ? "REQUEST" : r.method, url.empty() ? "/" : url), true,
            r.status};
  }
  return {entry.message, false};
}

MaskOptions ServiceLogMaskOptions() {
  MaskOptions o;
  o.mask_paths = false;
  o.mask_hosts = false;
  return o;
}

}  // namespace lg
