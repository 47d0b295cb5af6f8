#include "mine/masker.h"

#include <gtest/gtest.h>

#include "mine/grouper.h"

namespace lg {
namespace {

TEST(Masker, MasksVariableKinds) {
  EXPECT_EQ(MaskMessage("Error 111 connecting to 10.0.3.7:6379. Connection refused."),
            "Error <NUM> connecting to <IP>:<NUM>. Connection refused.");
  EXPECT_EQ(MaskMessage("run 3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b done"), "run <UUID> done");
  EXPECT_EQ(MaskMessage("at 2025-09-15T15:00:00.123Z and 2025-09-15 15:00:00"),
            "at <TS> and <DATE> <TIME>");
  EXPECT_EQ(MaskMessage("took 1532ms, then 1.5s"), "took <DURATION>, then <DURATION>");
  EXPECT_EQ(MaskMessage("Memory limit of 1024 MiB exceeded with 1031MiB used"),
            "Memory limit of <NUM> MiB exceeded with <SIZE> used");
  EXPECT_EQ(MaskMessage("commit 9fceb02d0ae598e95dc970b74767f19372d61af8"), "commit <HEX>");
  EXPECT_EQ(MaskMessage("addr 0x7ffd5e8c"), "addr <HEX>");
  EXPECT_EQ(MaskMessage("mail bob.smith@example.com now"), "mail <EMAIL> now");
  EXPECT_EQ(MaskMessage("at 15:04:05.999 local"), "at <TIME> local");
  EXPECT_EQ(MaskMessage("peer fe80::1ff:fe23:4567:890a left"), "peer <IP> left");
  EXPECT_EQ(MaskMessage("flag true or FALSE or null"), "flag <BOOL> or <BOOL> or <BOOL>");
}

TEST(Masker, NumbersInsideWordsKeepTheWords) {
  EXPECT_EQ(MaskMessage("generating core.1234"), "generating core.<NUM>");
  EXPECT_EQ(MaskMessage("node node-17 up"), "node node-<NUM> up");
  EXPECT_EQ(MaskMessage("block blk_-1608999687919862906"), "block blk_<NUM>");
  EXPECT_EQ(MaskMessage("revision netra-backend-00621-l0n"), "revision netra-backend-<NUM>-<ID>");
  EXPECT_EQ(MaskMessage("version 1.2.3 and -7"), "version <NUM> and <NUM>");
}

TEST(Masker, HostsUrlsAndPaths) {
  EXPECT_EQ(MaskMessage("open proxy.cse.example.hk:5070 HTTPS"), "open <HOST>:<NUM> HTTPS");
  EXPECT_EQ(MaskMessage("Resolved web-39.corp.example.com to x"), "Resolved <HOST> to x");
  // A source file and line is not a host and port; a word before a number neither.
  EXPECT_EQ(MaskMessage("[ib_sm_sweep.c:123]: sweep"), "[ib_sm_sweep.c:<NUM>]: sweep");
  EXPECT_EQ(MaskMessage("LIFO batch:1"), "LIFO batch:<NUM>");
  EXPECT_EQ(MaskMessage("GET https://api.example.com/v1/users?id=7 failed"),
            "GET https://<URL> failed");
  EXPECT_EQ(MaskMessage("driver spark://host-1:9000"), "driver spark://<HOST>:<NUM>");
  EXPECT_EQ(MaskMessage("open /var/log/app.log: denied"), "open <PATH>: denied");
  EXPECT_EQ(MaskMessage("read/write error"), "read/write error");
  MaskOptions keep_paths;
  keep_paths.mask_paths = false;
  EXPECT_EQ(MaskMessage("GET /api/threads/123/messages", keep_paths), "GET /api/threads/<NUM>/messages");
}

TEST(Masker, WrittenOutDatesAreOneVariable) {
  EXPECT_EQ(MaskMessage("at Fri Jun 17 07:07:00 2005"), "at <DATE> <DATE> <NUM> <TIME> <NUM>");
  MaskedLine line;
  MaskTokens("at Fri Jun 17 07:07:00 2005", line);
  ASSERT_EQ(line.tokens.size(), 6u);
  EXPECT_EQ(line.text(line.tokens[1]), "<DATE>");
  // A month name that is not a date stays a word.
  EXPECT_EQ(MaskMessage("May I help"), "May I help");
}

TEST(Masker, KeyValuesAndQuotedValues) {
  EXPECT_EQ(MaskMessage("user=alice request_id=ab12 ok"), "user=alice request_id=<ID> ok");
  MaskOptions kv;
  kv.mask_key_values = true;
  EXPECT_EQ(MaskMessage("user=alice ok", kv), "user=<VALUE> ok");
  EXPECT_EQ(MaskMessage("model='gpt-4o' key:\"abc\""), "model='<STR>' key:\"<STR>\"");
  // A quoted word that is not a value stays: it names the problem.
  EXPECT_EQ(MaskMessage("No module named 'auth_service'"), "No module named 'auth_service'");
}

TEST(Masker, TokensKeepTheirRawTextAndSoftness) {
  MaskedLine line;
  MaskTokens("Failed password for root from 1.2.3.4 port 22 ssh2\nnext line", line);
  ASSERT_EQ(line.tokens.size(), 11u);
  EXPECT_EQ(line.tokens[4].raw, "from");
  EXPECT_EQ(line.text(line.tokens[5]), "<IP>");
  EXPECT_FALSE(line.tokens[5].soft);
  EXPECT_EQ(line.text(line.tokens[8]), "<ID>");
  EXPECT_TRUE(line.tokens[8].soft);  // ssh2: a word with a digit, maybe a constant
  EXPECT_EQ(line.tokens[8].raw, "ssh2");
  EXPECT_TRUE(line.tokens[9].line_start);
  EXPECT_FALSE(line.tokens[8].line_start);
}

TEST(Masker, LongLinesEndInOneTailToken) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "w" + std::string(1, static_cast<char>('a' + i % 26)) + " ";
  MaskedLine line;
  MaskTokens(text, line, {}, 10);
  ASSERT_EQ(line.tokens.size(), 10u);
  EXPECT_EQ(line.text(line.tokens[9]), "<*>");
}

TEST(Masker, KeepsWordsAndPunctuation) {
  EXPECT_EQ(MaskMessage("Sentry SDK not available - install sentry-sdk[fastapi]"),
            "Sentry SDK not available - install sentry-sdk[fastapi]");
  EXPECT_EQ(MaskMessage(""), "");
  EXPECT_EQ(MaskMessage("[🔴] CRITICAL"), "[🔴] CRITICAL");
  EXPECT_EQ(MaskMessage("  two  spaces\tkept "), "  two  spaces\tkept ");
}

TEST(Masker, PlaceholdersAreRecognized) {
  EXPECT_TRUE(IsPlaceholder("<NUM>"));
  EXPECT_TRUE(IsPlaceholder("<HOST>"));
  EXPECT_TRUE(IsPlaceholder("<*>"));
  EXPECT_FALSE(IsPlaceholder("<html>"));
  // Masking a masked text changes nothing (templates can be mined again).
  std::string once = MaskMessage("user 42 at 10.0.0.1:80 took 5ms in /srv/app");
  EXPECT_EQ(MaskMessage(once), once);
}

TEST(Grouping, RequestLogsGroupByRouteAndStatus) {
  LogEntry r;
  r.http_request = HttpRequest{};
  r.http_request->method = "GET";
  r.http_request->url = "https://x.run.app/api/orders/123?x=1";
  r.http_request->status = 503;
  GroupingInput in = GroupingText(r);
  EXPECT_TRUE(in.request);
  EXPECT_EQ(in.text, "GET /api/orders/123");
  EXPECT_EQ(in.status, 503);
  EXPECT_EQ(MaskMessage(in.text, ServiceLogMaskOptions()), "GET /api/orders/<NUM>");
}

}  // namespace
}  // namespace lg
