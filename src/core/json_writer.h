// JsonWriter: a small streaming JSON writer with stable, pretty output.
// Used for reports and exports so their bytes are deterministic (golden tests).
#ifndef LOG_GARDENER_CORE_JSON_WRITER_H_
#define LOG_GARDENER_CORE_JSON_WRITER_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace lg {

// Appends `s` to `out` as a JSON string literal (quotes included). Control
// characters are escaped; invalid UTF-8 bytes become U+FFFD so the output is
// always valid JSON.
void AppendJsonString(std::string& out, std::string_view s);

class JsonWriter {
 public:
  // indent 0 writes compact JSON.
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();

  // Convenience: Key(k).String(v) etc.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& Field(std::string_view k, uint64_t v) { return Key(k).Uint(v); }
  JsonWriter& Field(std::string_view k, int v) { return Key(k).Int(v); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void Newline();

  std::string out_;
  int indent_;
  struct Level {
    bool array;
    bool empty;
  };
  std::vector<Level> stack_;
  bool after_key_ = false;
};

// Pretty-prints a JSON document (indent 2). Returns `json` unchanged when it
// does not parse. String values longer than `max_string` bytes are cut (at a
// character boundary) and end in "…[N more bytes]".
std::string PrettyJson(std::string_view json, size_t max_string = std::numeric_limits<size_t>::max());

}  // namespace lg

#endif  // LOG_GARDENER_CORE_JSON_WRITER_H_
