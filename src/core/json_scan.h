// JsonStringState: tells, byte by byte, whether JSON text is inside a string
// literal, so that scanners (the entry framer, the pretty-printer) can find
// braces and commas without parsing.
#ifndef LOG_GARDENER_CORE_JSON_SCAN_H_
#define LOG_GARDENER_CORE_JSON_SCAN_H_

namespace lg {

class JsonStringState {
 public:
  // Feeds the next byte. Returns true when `c` lies outside every string
  // literal (so a '{' is structural); the quotes themselves count as inside.
  bool Outside(char c) {
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return false;
    }
    if (c == '"') {
      in_string_ = true;
      return false;
    }
    return true;
  }
  bool in_string() const { return in_string_; }

 private:
  bool in_string_ = false;
  bool escape_ = false;
};

}  // namespace lg

#endif  // LOG_GARDENER_CORE_JSON_SCAN_H_
