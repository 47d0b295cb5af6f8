#include "sources/json_framer.h"

#include <cstring>

#include <fmt/format.h>

#include "core/json_scan.h"

namespace lg {
namespace {

constexpr size_t kChunk = 1 << 20;


}  // namespace

JsonFramer::JsonFramer(ByteReader& reader, std::string name, size_t chunk)
    : reader_(reader), name_(std::move(name)), chunk_(chunk == 0 ? kChunk : chunk) {}

Status JsonFramer::Error(std::string_view what) const {
  return Status::DataLoss(
      fmt::format("{}:{} (byte {}): {}", name_, line_, consumed_base_ + pos_, what));
}

void JsonFramer::Compact() {
  // Drop consumed bytes once they dominate the buffer; frames handed out
  // earlier are dead by now (valid only until the next Next()).
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    consumed_base_ += pos_;
    pos_ = 0;
  }
}

StatusOr<bool> JsonFramer::Fill() {
  if (eof_) return false;
  // Read into a scratch chunk and append what came: growing buf_ by a whole
  // chunk would zero 1 MiB for every short read (pipes give 64 KiB).
  if (!scratch_) scratch_ = std::make_unique<char[]>(chunk_);
  auto n = reader_.Read(scratch_.get(), chunk_);
  if (!n.ok()) return n.status().WithContext(name_);
  buf_.append(scratch_.get(), *n);
  if (*n == 0) eof_ = true;
  return *n > 0;
}

bool JsonFramer::SkipSpace() {
  while (true) {
    while (pos_ < buf_.size() && IsJsonSpace(buf_[pos_])) {
      if (buf_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ < buf_.size()) return true;
    auto more = Fill();
    if (!more.ok() || !*more) return false;
  }
}

Status JsonFramer::Detect() {
  if (!SkipSpace()) {
    if (!eof_) return Error("read failed");
    return Error("the input is empty: expected a JSON array or NDJSON LogEntries");
  }
  // A UTF-8 byte order mark is not part of the data. (Its three bytes may
  // arrive in separate reads.)
  while (buf_.size() - pos_ < 3 && static_cast<unsigned char>(buf_[pos_]) == 0xEF) {
    auto more = Fill();
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  if (buf_.compare(pos_, 3, "\xEF\xBB\xBF") == 0) {
    pos_ += 3;
    if (!SkipSpace()) return Error("the input holds only a byte order mark");
  }
  char c = buf_[pos_];
  if (c == '[') {
    framing_ = Framing::kArray;
    ++pos_;
    return Status::Ok();
  }
  if (c != '{') {
    return Error(fmt::format(
        "expected '[' (a gcloud JSON array) or '{{' (NDJSON LogEntries), found '{}'",
        (c >= 0x20 && c < 0x7f) ? std::string(1, c) : fmt::format("\\x{:02x}", static_cast<unsigned char>(c))));
  }
  // NDJSON unless the first line is a lone '{' (a pretty-printed object).
  size_t nl;
  while ((nl = buf_.find('\n', pos_)) == std::string::npos) {
    auto more = Fill();
    if (!more.ok()) return more.status();
    if (!*more) break;
  }
  std::string_view first(buf_.data() + pos_, (nl == std::string::npos ? buf_.size() : nl) - pos_);
  while (!first.empty() && IsJsonSpace(first.back())) first.remove_suffix(1);
  framing_ = first == "{" ? Framing::kConcatenated : Framing::kNdjson;
  return Status::Ok();
}

StatusOr<bool> JsonFramer::Next(Frame& frame) {
  Compact();
  if (framing_ == Framing::kUnknown) LG_RETURN_IF_ERROR(Detect());
  if (framing_ == Framing::kNdjson) return NextLine(frame);
  return NextValue(frame);
}

StatusOr<bool> JsonFramer::NextLine(Frame& frame) {
  while (true) {
    size_t search_from = pos_;
    size_t nl;
    while ((nl = buf_.find('\n', search_from)) == std::string::npos) {
      search_from = buf_.size();
      auto more = Fill();
      if (!more.ok()) return more.status();
      if (!*more) break;
    }
    size_t end = nl == std::string::npos ? buf_.size() : nl;
    if (end == pos_ && nl == std::string::npos) return false;  // end of input
    std::string_view text(buf_.data() + pos_, end - pos_);
    while (!text.empty() && IsJsonSpace(text.back())) text.remove_suffix(1);
    size_t lead = 0;
    while (lead < text.size() && IsJsonSpace(text[lead])) ++lead;
    frame.line = line_;
    frame.offset = consumed_base_ + pos_ + lead;
    frame.text = text.substr(lead);
    pos_ = nl == std::string::npos ? buf_.size() : nl + 1;
    ++line_;
    if (!frame.text.empty()) return true;
  }
}

StatusOr<bool> JsonFramer::NextValue(Frame& frame) {
  const bool array = framing_ == Framing::kArray;
  if (!SkipSpace()) {
    if (!eof_) return Error("read failed");
    if (array && !array_closed_) {
      return Error("unterminated JSON array: missing ']' (was the export cut short?)");
    }
    return false;
  }
  if (array) {
    if (array_closed_) return Error("unexpected content after the array's closing ']'");
    if (buf_[pos_] == ']') {
      ++pos_;
      array_closed_ = true;
      return NextValue(frame);
    }
    if (!first_in_array_) {
      if (buf_[pos_] != ',') return Error("expected ',' or ']' between array elements");
      ++pos_;
      if (!SkipSpace()) return Error("unterminated JSON array: missing ']' (was the export cut short?)");
    }
    first_in_array_ = false;
  }
  if (buf_[pos_] != '{') {
    return Error(fmt::format("expected a LogEntry object '{{', found '{}'",
                             (buf_[pos_] >= 0x20 && buf_[pos_] < 0x7f)
                                 ? std::string(1, buf_[pos_])
                                 : fmt::format("\\x{:02x}", static_cast<unsigned char>(buf_[pos_]))));
  }
  // Find the matching '}' outside strings.
  size_t start = pos_;
  uint64_t start_line = line_;
  uint64_t lines_inside = 0;
  int depth = 0;
  JsonStringState strings;
  size_t i = start;
  while (true) {
    for (; i < buf_.size(); ++i) {
      char c = buf_[i];
      if (c == '\n') ++lines_inside;
      if (!strings.Outside(c)) continue;
      if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) break;
      }
    }
    if (i < buf_.size()) break;
    auto more = Fill();
    if (!more.ok()) return more.status();
    if (!*more) {
      return Error(fmt::format("unterminated object starting at line {} (was the input cut short?)",
                               start_line));
    }
  }
  frame.text = std::string_view(buf_.data() + start, i + 1 - start);
  frame.line = start_line;
  frame.offset = consumed_base_ + start;
  pos_ = i + 1;
  line_ += lines_inside;
  return true;
}

}  // namespace lg
