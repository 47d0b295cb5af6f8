#include "mine/stack_trace.h"

#include <gtest/gtest.h>

namespace lg {
namespace {

const char* kPythonChained =
    "Traceback (most recent call last):\n"
    "  File \"/usr/local/lib/python3.11/site-packages/asyncpg/connect_utils.py\", line 1032, in _create_ssl_connection\n"
    "    await fut\n"
    "asyncio.exceptions.CancelledError\n"
    "\n"
    "The above exception was the direct cause of the following exception:\n"
    "\n"
    "Traceback (most recent call last):\n"
    "  File \"/app/netra_backend/app/db/postgres.py\", line 88, in initialize\n"
    "    await engine.connect()\n"
    "  File \"/app/netra_backend/app/smd.py\", line 412, in _initialize_database\n"
    "    await asyncio.wait_for(init(), timeout=20.0)\n"
    "  File \"/usr/local/lib/python3.11/asyncio/tasks.py\", line 489, in wait_for\n"
    "    raise exceptions.TimeoutError() from exc\n"
    "TimeoutError: database initialization timed out\n";

TEST(StackTrace, PythonChainedExceptions) {
  auto st = ParseStackTrace(kPythonChained);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->language, "python");
  EXPECT_EQ(st->exception_type, "TimeoutError");
  EXPECT_EQ(st->message, "database initialization timed out");
  EXPECT_EQ(st->chain, (std::vector<std::string>{"asyncio.exceptions.CancelledError", "TimeoutError"}));
  ASSERT_EQ(st->frames.size(), 3u);
  EXPECT_EQ(st->frames[0].function, "wait_for");  // innermost first
  EXPECT_FALSE(st->frames[0].in_app);
  EXPECT_TRUE(st->frames[1].in_app);
  EXPECT_EQ(st->TopAppFrame()->function, "_initialize_database");
  EXPECT_EQ(st->TopAppFrame()->line, 412);
}

TEST(StackTrace, PythonDuringHandling) {
  auto st = ParseStackTrace(
      "Exception in ASGI application\n"
      "Traceback (most recent call last):\n"
      "  File \"/app/routes/threads.py\", line 57, in post_message\n"
      "    items = list(payload.items)\n"
      "TypeError: 'NoneType' object is not iterable\n"
      "\nDuring handling of the above exception, another exception occurred:\n\n"
      "Traceback (most recent call last):\n"
      "  File \"/app/middleware/errors.py\", line 12, in __call__\n"
      "    raise HTTPError(500)\n"
      "app.errors.HTTPError: 500\n");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->exception_type, "app.errors.HTTPError");
  EXPECT_EQ(st->chain.front(), "TypeError");
}

const char* kJava =
    "java.lang.IllegalStateException: Failed to execute CommandLineRunner\n"
    "\tat org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:771)\n"
    "\tat com.acme.billing.BillingApplication.main(BillingApplication.java:12)\n"
    "Caused by: java.lang.NullPointerException: Cannot invoke \"Invoice.total()\" because \"inv\" is null\n"
    "\tat com.acme.billing.InvoiceService.lambda$close$0(InvoiceService.java:88)\n"
    "\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1511)\n"
    "\tat com.acme.billing.InvoiceService.close(InvoiceService.java:85)\n"
    "\t... 5 more\n";

TEST(StackTrace, JavaCausedByAndMore) {
  auto st = ParseStackTrace(kJava);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->language, "java");
  EXPECT_EQ(st->exception_type, "java.lang.NullPointerException");
  EXPECT_EQ(st->chain, (std::vector<std::string>{"java.lang.IllegalStateException", "java.lang.NullPointerException"}));
  ASSERT_EQ(st->frames.size(), 3u);
  EXPECT_EQ(st->frames[0].function, "com.acme.billing.InvoiceService.lambda$close$0");
  EXPECT_EQ(st->frames[0].file, "InvoiceService.java");
  EXPECT_EQ(st->frames[0].line, 88);
  EXPECT_FALSE(st->frames[1].in_app);
}

TEST(StackTrace, KotlinFrames) {
  auto st = ParseStackTrace(
      "kotlin.KotlinNullPointerException\n"
      "\tat com.acme.app.Sync.run(Sync.kt:41)\n"
      "\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:106)\n");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->exception_type, "kotlin.KotlinNullPointerException");
  EXPECT_TRUE(st->frames[0].in_app);
  EXPECT_FALSE(st->frames[1].in_app);
}

const char* kGo =
    "panic: runtime error: index out of range [5] with length 3\n"
    "\n"
    "goroutine 42 [running]:\n"
    "main.(*Batcher).flush(0xc0001a2000, {0xc000112000, 0x3, 0x4})\n"
    "\t/app/internal/ingest/batcher.go:118 +0x1d4\n"
    "main.handleBatch.func1()\n"
    "\t/app/cmd/ingest/main.go:64 +0x65\n"
    "net/http.HandlerFunc.ServeHTTP(0x0?, {0x7f1c, 0xc0000f6000}, 0x0?)\n"
    "\t/usr/local/go/src/net/http/server.go:2136 +0x29\n"
    "created by net/http.(*Server).Serve in goroutine 1\n"
    "\t/usr/local/go/src/net/http/server.go:3086 +0x4db\n";

TEST(StackTrace, GoPanic) {
  auto st = ParseStackTrace(kGo);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->language, "go");
  EXPECT_EQ(st->exception_type, "panic");
  EXPECT_EQ(st->message, "runtime error: index out of range [5] with length 3");
  ASSERT_EQ(st->frames.size(), 3u);
  EXPECT_EQ(st->frames[0].function, "main.(*Batcher).flush");
  EXPECT_EQ(st->frames[0].file, "/app/internal/ingest/batcher.go");
  EXPECT_EQ(st->frames[0].line, 118);
  EXPECT_TRUE(st->frames[1].in_app);
  EXPECT_FALSE(st->frames[2].in_app);
}

const char* kNode =
    "TypeError: Cannot read properties of undefined (reading 'messages')\n"
    "    at ChatPage (/app/.next/server/app/chat/[id]/page.js:1:2345)\n"
    "    at renderWithHooks (/app/node_modules/react-dom/cjs/react-dom-server.node.production.min.js:9:1)\n"
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n";

TEST(StackTrace, Node) {
  auto st = ParseStackTrace(kNode);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->language, "node");
  EXPECT_EQ(st->exception_type, "TypeError");
  EXPECT_EQ(st->message, "Cannot read properties of undefined (reading 'messages')");
  ASSERT_EQ(st->frames.size(), 3u);
  EXPECT_EQ(st->frames[0].function, "ChatPage");
  EXPECT_TRUE(st->frames[0].in_app);
  EXPECT_FALSE(st->frames[1].in_app);
  EXPECT_FALSE(st->frames[2].in_app);
  // A prefix before the error line is fine.
  auto prefixed = ParseStackTrace(std::string("Unhandled error rendering /chat/[id]: ") + kNode);
  ASSERT_TRUE(prefixed);
  EXPECT_EQ(prefixed->exception_type, "TypeError");
}

TEST(StackTrace, Dotnet) {
  auto st = ParseStackTrace(
      "System.InvalidOperationException: Sequence contains no elements\n"
      "   at System.Linq.ThrowHelper.ThrowNoElementsException()\n"
      "   at Acme.Orders.OrderService.GetLatest(Int32 id) in /src/Orders/OrderService.cs:line 42\n"
      "   at Acme.Orders.OrdersController.Get(Int32 id) in /src/Orders/OrdersController.cs:line 17\n");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->language, "dotnet");
  EXPECT_EQ(st->exception_type, "System.InvalidOperationException");
  ASSERT_EQ(st->frames.size(), 3u);
  EXPECT_FALSE(st->frames[0].in_app);
  EXPECT_EQ(st->frames[1].function, "Acme.Orders.OrderService.GetLatest");
  EXPECT_EQ(st->frames[1].line, 42);
  EXPECT_EQ(st->TopAppFrame()->file, "/src/Orders/OrderService.cs");
}

TEST(StackTrace, FingerprintIgnoresLinesAndAddressesButNotTheException) {
  auto a = ParseStackTrace(kJava);
  std::string moved = kJava;
  moved.replace(moved.find("InvoiceService.java:88"), 22, "InvoiceService.java:97");
  moved.replace(moved.find("lambda$close$0"), 14, "lambda$close$3");
  auto b = ParseStackTrace(moved);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->fingerprint, b->fingerprint);
  std::string other = kJava;
  other.replace(other.find("java.lang.NullPointerException"), 30, "java.lang.ArithmeticException");
  auto c = ParseStackTrace(other);
  ASSERT_TRUE(c);
  EXPECT_NE(a->fingerprint, c->fingerprint);
  // Go: other addresses and arguments, same fingerprint; another function, another.
  std::string go2 = kGo;
  go2.replace(go2.find("+0x1d4"), 6, "+0x2a0");
  go2.replace(go2.find("batcher.go:118"), 14, "batcher.go:131");
  EXPECT_EQ(ParseStackTrace(kGo)->fingerprint, ParseStackTrace(go2)->fingerprint);
  std::string go3 = kGo;
  go3.replace(go3.find("(*Batcher).flush"), 16, "(*Batcher).close");
  EXPECT_NE(ParseStackTrace(kGo)->fingerprint, ParseStackTrace(go3)->fingerprint);
  EXPECT_EQ(a->FingerprintText().substr(0, 4), "st1-");
}

TEST(StackTrace, NoTraceNoResult) {
  EXPECT_FALSE(ParseStackTrace("Redis operation failed: Error 111 connecting to 10.0.0.1:6379"));
  EXPECT_FALSE(ParseStackTrace(""));
  EXPECT_FALSE(ParseStackTrace("Traceback (most recent call last):\n  File \"x.py\", line"));
  EXPECT_FALSE(ParseStackTrace("we met at noon\n    at the station"));
}

}  // namespace
}  // namespace lg
