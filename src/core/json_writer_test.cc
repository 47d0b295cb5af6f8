#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <simdjson.h>

namespace lg {
namespace {

bool Valid(const std::string& json) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  return p.parse(json).get(e) == simdjson::SUCCESS;
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(AppendJsonString, EscapesWhatJsonRequiresAndKeepsTheRestAsIs) {
  EXPECT_EQ(Quoted(""), R"("")");
  EXPECT_EQ(Quoted("plain ASCII, {braces} and 'quotes'"), R"("plain ASCII, {braces} and 'quotes'")");
  EXPECT_EQ(Quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quoted("line\nnext\r\ttab"), R"("line\nnext\r\ttab")");
  EXPECT_EQ(Quoted(std::string("nul\0bel\x07" "del\x7f", 12)), R"("nul\u0000bel\u0007del\u007f")");
  // UTF-8 passes through whole; an invalid byte becomes U+FFFD, and runs of
  // plain text on either side of it are kept.
  EXPECT_EQ(Quoted("caf\xc3\xa9 \xe2\x86\x92 ok"), "\"caf\xc3\xa9 \xe2\x86\x92 ok\"");
  EXPECT_EQ(Quoted("ab\xff" "cd\xc3"), "\"ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD\"");
  for (const char* s : {"x\"y", "\\", "\x01\x1f", "\xc3\xa9\"\n"}) EXPECT_TRUE(Valid(Quoted(s))) << s;
}

TEST(PrettyJson, IndentsAndKeepsEmptyContainersOnOneLine) {
  EXPECT_EQ(PrettyJson(R"({"a":[1,2],"b":{},"c":"x, {y}"})"),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": \"x, {y}\"\n}");
  EXPECT_EQ(PrettyJson("{broken"), "{broken") << "unparseable text comes back unchanged";
}

TEST(PrettyJson, CutsLongStringsAtACharacterBoundary) {
  EXPECT_EQ(PrettyJson(R"({"a":"xxxxxxxxxx","b":"ok"})", 4),
            "{\n  \"a\": \"xxxx…[6 more bytes]\",\n  \"b\": \"ok\"\n}");
  // Two-byte é: a cut after its first byte drops the whole character.
  const std::string cut_utf8 = PrettyJson("{\"a\":\"\xc3\xa9\xc3\xa9\xc3\xa9\"}", 3);
  EXPECT_EQ(cut_utf8, "{\n  \"a\": \"\xc3\xa9…[4 more bytes]\"\n}");
  // A cut inside an escape drops the escape: never a lone backslash.
  const std::string cut_escape = PrettyJson(R"({"a":"ab\"cd"})", 3);
  EXPECT_EQ(cut_escape, "{\n  \"a\": \"ab…[4 more bytes]\"\n}");
  const std::string cut_unicode = PrettyJson(R"({"a":"\u00e9xyz"})", 4);
  EXPECT_EQ(cut_unicode, "{\n  \"a\": \"…[9 more bytes]\"\n}");
  for (const auto& s : {cut_utf8, cut_escape, cut_unicode}) EXPECT_TRUE(Valid(s)) << s;
  EXPECT_TRUE(Valid(PrettyJson(R"({"a":"\\\\\\\\"})", 3))) << "escaped backslashes are whole characters";
}

}  // namespace
}  // namespace lg
