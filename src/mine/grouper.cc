#include "mine/grouper.h"

#include <xxhash.h>

#include <fmt/format.h>

#include "mine/masker.h"

namespace lg {

std::string GroupingText(const LogEntry& entry) {
  if (entry.payload_kind == PayloadKind::kNone && entry.http_request) {
    const HttpRequest& r = *entry.http_request;
    std::string_view url = r.url;
    if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
      auto slash = url.find('/', scheme + 3);
      url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
    }
    // The query string varies per request; the route is the problem.
    url = url.substr(0, url.find('?'));
    return fmt::format("{} {} → {}", r.method.empty() ? "REQUEST" : r.method,
                       MaskMessage(url.empty() ? "/" : url), r.status);
  }
  return MaskMessage(entry.message);
}

uint32_t MaskGrouper::Assign(const LogEntry& entry) {
  std::string text = GroupingText(entry);
  if (text.size() > kMaxTemplateBytes) {
    size_t cut = kMaxTemplateBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  std::string log_id = LogId(entry.log_name);
  std::string key = log_id;
  key += '\x1f';
  key += text;
  auto [it, inserted] = by_key_.try_emplace(key, static_cast<uint32_t>(templates_.size()));
  if (inserted) {
    Template t;
    t.index = it->second;
    t.text = std::move(text);
    t.log_id = std::move(log_id);
    t.id = XXH3_64bits(key.data(), key.size());
    templates_.push_back(std::move(t));
  }
  return it->second;
}

}  // namespace lg
