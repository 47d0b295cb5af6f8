#include "sources/json_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>


namespace lg {
namespace {

struct Framed {
  std::vector<std::string> texts;
  std::vector<uint64_t> lines;
  Status status;
  Framing framing = Framing::kUnknown;
};

Framed FrameAll(const std::string& input, size_t step = 7) {
  MemoryReader reader(input, step);  // small pieces: refills mid-entry
  JsonFramer framer(reader, "in.json");
  Framed out;
  Frame f;
  while (true) {
    auto more = framer.Next(f);
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!*more) break;
    out.texts.emplace_back(f.text);
    out.lines.push_back(f.line);
  }
  out.framing = framer.framing();
  return out;
}

TEST(JsonFramer, PrettyPrintedGcloudArray) {
  Framed r = FrameAll("[\n  {\n    \"a\": \"}\\\"{\"\n  },\n  {\n    \"b\": [1, {\"c\": 2}]\n  }\n]\n");
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.framing, Framing::kArray);
  ASSERT_EQ(r.texts.size(), 2u);
  EXPECT_EQ(r.texts[0], "{\n    \"a\": \"}\\\"{\"\n  }");
  EXPECT_EQ(r.lines[0], 2u);
  EXPECT_EQ(r.lines[1], 5u);
}

TEST(JsonFramer, EmptyArrayIsValid) {
  Framed r = FrameAll("[ ]\n");
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.texts.empty());
}

TEST(JsonFramer, NdjsonLinesWithBlankLinesAndCrLf) {
  Framed r = FrameAll("{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.framing, Framing::kNdjson);
  ASSERT_EQ(r.texts.size(), 3u);
  EXPECT_EQ(r.texts[0], "{\"a\":1}");
  EXPECT_EQ(r.lines[1], 3u);
  EXPECT_EQ(r.texts[2], "{\"c\":3}");
}

TEST(JsonFramer, NdjsonBadLineIsOneFrame) {
  // The framer hands the bad line over; the decoder rejects it alone.
  Framed r = FrameAll("{\"a\":1}\n{\"a\":\n{\"c\":3}\n");
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.texts.size(), 3u);
  EXPECT_EQ(r.texts[1], "{\"a\":");
}

TEST(JsonFramer, ConcatenatedPrettyObjects) {
  Framed r = FrameAll("{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.framing, Framing::kConcatenated);
  EXPECT_EQ(r.texts.size(), 2u);
  EXPECT_EQ(r.lines[1], 4u);
}

TEST(JsonFramer, ByteOrderMarkIsSkipped) {
  Framed r = FrameAll("\xEF\xBB\xBF[{\"a\":1}]");
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.texts.size(), 1u);
  // Its bytes split over reads (found by the read_entries fuzz target), also
  // after leading blank lines.
  for (const char* input : {"\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n", "\n\xEF\xBB\xBF  {\"a\":1}\n{\"b\":2}\n"}) {
    for (size_t step : {size_t{1}, size_t{2}}) {
      Framed split = FrameAll(input, step);
      ASSERT_TRUE(split.status.ok()) << split.status.message();
      EXPECT_EQ(split.framing, Framing::kNdjson);
      EXPECT_EQ(split.texts.size(), 2u);
    }
  }
}

TEST(JsonFramer, ErrorsNameFileLineAndByte) {
  Framed cut = FrameAll("[\n  {\"a\": 1},\n  {\"b\": ");
  EXPECT_EQ(cut.status.code(), StatusCode::kDataLoss);
  EXPECT_NE(cut.status.message().find("in.json:3"), std::string::npos) << cut.status.message();
  EXPECT_NE(cut.status.message().find("unterminated object"), std::string::npos);
  EXPECT_EQ(cut.texts.size(), 1u);

  Framed no_close = FrameAll("[{\"a\":1}\n");
  EXPECT_NE(no_close.status.message().find("missing ']'"), std::string::npos);

  Framed empty = FrameAll("  \n");
  EXPECT_NE(empty.status.message().find("empty"), std::string::npos);

  Framed text = FrameAll("hello world\n");
  EXPECT_NE(text.status.message().find("found 'h'"), std::string::npos);
  EXPECT_NE(text.status.message().find("in.json:1 (byte 0)"), std::string::npos);

  Framed trailing = FrameAll("[{\"a\":1}] x");
  EXPECT_NE(trailing.status.message().find("after the array"), std::string::npos);

  Framed not_object = FrameAll("[{\"a\":1}, 42]");
  EXPECT_NE(not_object.status.message().find("expected a LogEntry object"), std::string::npos);
}

TEST(JsonFramer, LargeEntrySpanningManyReads) {
  std::string big(3 << 20, 'x');
  Framed r = FrameAll("[{\"m\":\"" + big + "\"}]", 1 << 16);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.texts.size(), 1u);
  EXPECT_EQ(r.texts[0].size(), big.size() + 8);
}

}  // namespace
}  // namespace lg
