#include "core/json_writer.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/json_scan.h"

namespace lg {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if invalid.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    // A run of printable ASCII that needs no escape goes in at once.
    size_t j = i;
    while (j < s.size()) {
      const unsigned char p = static_cast<unsigned char>(s[j]);
      if (p < 0x20 || p >= 0x7f || p == '"' || p == '\\') break;
      ++j;
    }
    if (j > i) {
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", c);
      ++i;
      continue;
    }
    size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    out.append(s.data() + i, n);
    i += n;
  }
  out += '"';
}

void JsonWriter::Newline() {
  if (indent_ == 0) return;
  out_ += '\n';
  out_.append(stack_.size() * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!stack_.empty()) {
    if (!stack_.back().empty) out_ += ',';
    stack_.back().empty = false;
    Newline();
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  stack_.push_back({false, true});
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) Newline();
  out_ += '}';
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  stack_.push_back({true, true});
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) Newline();
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key);
  out_ += indent_ ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view v) {
  BeforeValue();
  AppendJsonString(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

namespace {

// Drops a cut-off escape sequence or UTF-8 sequence from the end of a string
// literal being shortened, back to no earlier than `start`.
void TrimToBoundary(std::string& out, size_t start) {
  // A partial UTF-8 sequence: continuation bytes and their lead byte.
  size_t end = out.size();
  size_t k = end;
  while (k > start && (static_cast<unsigned char>(out[k - 1]) & 0xC0) == 0x80) --k;
  if (k > start && static_cast<unsigned char>(out[k - 1]) >= 0xC0) {
    const unsigned char lead = static_cast<unsigned char>(out[k - 1]);
    const size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (end - (k - 1) < need) out.resize(k - 1);
  }
  // A partial escape: "\", or "\u" with fewer than four hex digits.
  end = out.size();
  for (size_t back = 1; back <= 5 && back <= end - start; ++back) {
    if (out[end - back] != '\\') continue;
    size_t run = 0;  // how many backslashes end there
    while (end - back - run > start && out[end - back - run - 1] == '\\') ++run;
    if (run % 2 == 1) continue;  // this backslash is itself escaped
    const bool unicode = back >= 2 && out[end - back + 1] == 'u';
    if (back == 1 || (unicode && back < 6)) out.resize(end - back);
    break;
  }
}

}  // namespace

std::string PrettyJson(std::string_view json, size_t max_string) {
  std::string out;
  out.reserve(std::min(json.size(), size_t{1} << 20) * 2);
  int depth = 0;
  JsonStringState strings;
  size_t string_start = 0;  // where the current literal's content begins in `out`
  size_t string_bytes = 0;
  bool cut = false;
  auto newline = [&] {
    out += '\n';
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    const bool was_inside = strings.in_string();
    if (!strings.Outside(c)) {
      if (!was_inside) {  // the opening quote
        out += c;
        string_start = out.size();
        string_bytes = 0;
        cut = false;
      } else if (!strings.in_string()) {  // the closing quote
        if (cut) {
          TrimToBoundary(out, string_start);
          out += fmt::format("…[{} more bytes]", string_bytes - (out.size() - string_start));
        }
        out += c;
      } else if (++string_bytes <= max_string) {
        out += c;
      } else {
        cut = true;
      }
      continue;
    }
    switch (c) {
      case ' ': case '\n': case '\r': case '\t': break;
      case '{': case '[': {
        // Keep empty containers on one line.
        size_t j = i + 1;
        while (j < json.size() && (json[j] == ' ' || json[j] == '\n' || json[j] == '\r' || json[j] == '\t')) ++j;
        if (j < json.size() && (json[j] == '}' || json[j] == ']')) {
          out += c;
          out += json[j];
          i = j;
          break;
        }
        out += c;
        ++depth;
        newline();
        break;
      }
      case '}': case ']':
        --depth;
        if (depth < 0) return std::string(json);
        newline();
        out += c;
        break;
      case ',': out += c; newline(); break;
      case ':': out += ": "; break;
      default: out += c;
    }
  }
  if (depth != 0 || strings.in_string()) return std::string(json);
  return out;
}

}  // namespace lg
