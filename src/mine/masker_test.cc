#include "mine/masker.h"

#include <gtest/gtest.h>

#include "mine/grouper.h"

namespace lg {
namespace {

TEST(Masker, MasksVariableKinds) {
  EXPECT_EQ(MaskMessage("Error 111 connecting to 10.0.3.7:6379. Connection refused."),
            "Error <NUM> connecting to <IP>. Connection refused.");
  EXPECT_EQ(MaskMessage("run 3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b done"), "run <UUID> done");
  EXPECT_EQ(MaskMessage("at 2025-09-15T15:00:00.123Z and 2025-09-15 15:00:00"), "at <TS> and <TS>");
  EXPECT_EQ(MaskMessage("took 1532ms, then 1.5s"), "took <DURATION>, then <DURATION>");
  EXPECT_EQ(MaskMessage("Memory limit of 1024 MiB exceeded with 1031MiB used"),
            "Memory limit of <NUM> MiB exceeded with <SIZE> used");
  EXPECT_EQ(MaskMessage("commit 9fceb02d0ae598e95dc970b74767f19372d61af8"), "commit <HEX>");
  EXPECT_EQ(MaskMessage("addr 0x7ffd5e8c"), "addr <HEX>");
  EXPECT_EQ(MaskMessage("mail bob.smith@example.com now"), "mail <EMAIL> now");
  EXPECT_EQ(MaskMessage("GET /api/threads/123/messages"), "GET /api/threads/<NUM>/messages");
  EXPECT_EQ(MaskMessage("revision netra-backend-00621-l0n"), "revision <ID>");
  EXPECT_EQ(MaskMessage("at 15:04:05.999 local"), "at <TIME> local");
}

TEST(Masker, KeyValuesAndQuotedValues) {
  EXPECT_EQ(MaskMessage("user=alice request_id=ab12 ok"), "user=<VALUE> request_id=<ID> ok");
  EXPECT_EQ(MaskMessage("model='gpt-4o' key: \"abc def\""), "model='<STR>' key: \"<STR>\"");
  // A quoted word that is not a value stays: it names the problem.
  EXPECT_EQ(MaskMessage("No module named 'auth_service'"), "No module named 'auth_service'");
}

TEST(Masker, KeepsWordsAndPunctuation) {
  EXPECT_EQ(MaskMessage("Sentry SDK not available - install sentry-sdk[fastapi]"),
            "Sentry SDK not available - install sentry-sdk[fastapi]");
  EXPECT_EQ(MaskMessage(""), "");
  EXPECT_EQ(MaskMessage("[🔴] CRITICAL"), "[🔴] CRITICAL");
}

TEST(Masker, PlaceholdersAreRecognized) {
  EXPECT_TRUE(IsPlaceholder("<NUM>"));
  EXPECT_TRUE(IsPlaceholder("<*>"));
  EXPECT_FALSE(IsPlaceholder("<html>"));
}

TEST(Grouper, SameShapeSameTemplateDifferentLogDifferentTemplate) {
  MaskGrouper g;
  LogEntry a, b, c;
  a.log_name = b.log_name = "projects/p/logs/run.googleapis.com%2Fstderr";
  c.log_name = "projects/p/logs/run.googleapis.com%2Fstdout";
  a.message = "Redis error 111 at 10.0.0.1:6379";
  b.message = "Redis error 104 at 10.0.0.2:6379";
  c.message = a.message;
  uint32_t ta = g.Assign(a), tb = g.Assign(b), tc = g.Assign(c);
  EXPECT_EQ(ta, tb);
  EXPECT_NE(ta, tc);
  EXPECT_EQ(g.Get(ta).text, "Redis error <NUM> at <IP>");
  EXPECT_NE(g.Get(ta).id, g.Get(tc).id);
}

TEST(Grouper, RequestLogsGroupByRouteAndStatus) {
  LogEntry r;
  r.http_request = HttpRequest{};
  r.http_request->method = "GET";
  r.http_request->url = "https://x.run.app/api/orders/123?x=1";
  r.http_request->status = 503;
  EXPECT_EQ(GroupingText(r), "GET /api/orders/<NUM> → 503");
}

}  // namespace
}  // namespace lg
