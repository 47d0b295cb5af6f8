#include "decode/entry_decoder.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace lg {
namespace {

LogEntry Decode(std::string_view json) {
  EntryDecoder d;
  LogEntry e;
  Status s = d.Decode(json, e);
  EXPECT_TRUE(s.ok()) << s.message();
  return e;
}

Status DecodeError(std::string_view json) {
  EntryDecoder d;
  LogEntry e;
  return d.Decode(json, e);
}

TEST(EntryDecoder, CloudRunTextPayload) {
  LogEntry e = Decode(R"({"insertId":"abc","logName":"projects/p/logs/run.googleapis.com%2Fstderr",
    "resource":{"type":"cloud_run_revision","labels":{"service_name":"api","revision_name":"api-001"}},
    "severity":"ERROR","textPayload":"boom\n","timestamp":"2025-09-15T15:00:00.123456789Z",
    "receiveTimestamp":"2025-09-15T15:00:01Z","labels":{"instanceId":"00ab"},
    "trace":"projects/p/traces/0123","spanId":"00f0"})");
  EXPECT_EQ(e.insert_id, "abc");
  EXPECT_EQ(e.severity, Severity::kError);
  EXPECT_EQ(e.message, "boom");  // trailing newline is framing
  EXPECT_EQ(e.payload_kind, PayloadKind::kText);
  EXPECT_EQ(ServiceOf(e), "api");
  EXPECT_EQ(e.timestamp->nanos, 123456789);
  ASSERT_TRUE(e.receive_timestamp.has_value());
  EXPECT_EQ(*FindLabel(e.labels, "instanceId"), "00ab");
  EXPECT_EQ(e.trace, "projects/p/traces/0123");
}

TEST(EntryDecoder, HugeMessagesAreCutAtACharacterBoundary) {
  // 70,000 two-byte characters: 140,000 bytes, cut to 64 KiB without splitting one.
  std::string text;
  for (int i = 0; i < 70000; ++i) text += "\xc3\xa9";
  LogEntry e = Decode(R"({"textPayload":")" + text + R"("})");
  ASSERT_EQ(e.message.find("\xc3\xa9"), 0u);
  const size_t marker = e.message.find(" …[");
  ASSERT_NE(marker, std::string::npos);
  EXPECT_LE(marker, 64u * 1024);
  EXPECT_EQ(marker % 2, 0u) << "no half character";
  EXPECT_EQ(e.message.substr(marker), " …[" + std::to_string(140000 - marker) + " more bytes]");
}

TEST(EntryDecoder, MissingSeverityIsDefaultEvenIfTextSaysError) {
  LogEntry e = Decode(R"({"textPayload":"[ERROR] Worker failed","timestamp":"2025-09-15T15:00:00Z"})");
  EXPECT_EQ(e.severity, Severity::kDefault);
}

TEST(EntryDecoder, NumericSeverityMapsToNearestLevel) {
  EXPECT_EQ(Decode(R"({"severity":500})").severity, Severity::kError);
  EXPECT_EQ(Decode(R"({"severity":"400"})").severity, Severity::kWarning);
  EXPECT_EQ(Decode(R"({"severity":500.0})").severity, Severity::kError);
}

TEST(EntryDecoder, RequestLogWithoutPayloadGetsASummary) {
  LogEntry e = Decode(R"({"httpRequest":{"requestMethod":"GET","requestUrl":"https://x.run.app/api/x?q=1",
    "status":503,"latency":"2.4s","requestSize":"12","responseSize":123},"severity":"ERROR"})");
  EXPECT_EQ(e.message, "GET /api/x?q=1 → 503 (2.4 s)");
  EXPECT_EQ(e.http_request->status, 503);
  EXPECT_EQ(e.http_request->response_size, "123");
  EXPECT_EQ(Decode(R"({"httpRequest":{"requestMethod":"POST","requestUrl":"/a","status":200,"latency":"0.0019s"}})").message,
            "POST /a → 200 (1.9 ms)");
}

TEST(EntryDecoder, JsonPayloadMessageAndStack) {
  LogEntry e = Decode(R"J({"jsonPayload":{"message":"Failed to sync","stack_trace":"at a.b(C.java:1)","error":{"message":"Missing field"}}})J");
  EXPECT_EQ(e.message, "Failed to sync\nat a.b(C.java:1)");
  EXPECT_EQ(Decode(R"({"jsonPayload":{"msg":"pino says hi"}})").message, "pino says hi");
  EXPECT_EQ(Decode(R"({"jsonPayload":{"error":"only error"}})").message, "only error");
  EXPECT_EQ(Decode(R"({"jsonPayload":{"error":{"message":"nested"}}})").message, "nested");
  // Neither: the payload itself, compact.
  EXPECT_EQ(Decode(R"({"jsonPayload":{"a": 1, "b": [true, null]}})").message, R"({"a":1,"b":[true,null]})");
}

TEST(EntryDecoder, EmbeddedJsonStaysText) {
  LogEntry e = Decode(R"({"jsonPayload":{"message":"{\"error\": {\"code\": 429}}"}})");
  EXPECT_EQ(e.message, R"({"error": {"code": 429}})");
}

TEST(EntryDecoder, ProtoPayloadMethodAndStatus) {
  LogEntry e = Decode(R"({"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog",
    "methodName":"v1.compute.instances.insert","resourceName":"projects/p/zones/z/instances/vm",
    "status":{"code":7,"message":"PERMISSION_DENIED"}},"severity":"ERROR"})");
  EXPECT_EQ(e.payload_kind, PayloadKind::kProto);
  EXPECT_EQ(e.message, "v1.compute.instances.insert projects/p/zones/z/instances/vm: status 7 PERMISSION_DENIED");
  EXPECT_EQ(Decode(R"({"protoPayload":{"methodName":"jobservice.jobcompleted","status":{}}})").message,
            "jobservice.jobcompleted");
}

TEST(EntryDecoder, NonAsciiAndSurrogatePairs) {
  LogEntry e = Decode(R"({"textPayload":"[\uD83D\uDD34] CRITICAL — Grüße","severity":"CRITICAL"})");
  EXPECT_EQ(e.message, "[\xF0\x9F\x94\xB4] CRITICAL \xE2\x80\x94 Gr\xC3\xBC\xC3\x9F" "e");
}

TEST(EntryDecoder, LowerCasedAliasesFromSiemExports) {
  LogEntry e = Decode(R"({"insertid":"x1","logname":"projects/p/logs/a","receivetimestamp":"2023-03-08 18:52:52.114"})");
  EXPECT_EQ(e.insert_id, "x1");
  EXPECT_EQ(e.log_name, "projects/p/logs/a");
  EXPECT_TRUE(e.receive_timestamp.has_value());
}

// Fields are found in one walk over the keys; the result is what a lookup
// per field gives: the first of repeated keys, the alias only when the key
// itself is absent (a null key hides it), and keys in any order.
TEST(EntryDecoder, RepeatedKeysAndAliasesResolveAsLookupsWould) {
  LogEntry e = Decode(R"({"severity":"ERROR","insertId":"a","severity":"INFO","insertid":"b",)"
                      R"("httpRequest":{"status":503,"status":200},"logName":null,"logname":"projects/p/logs/x"})");
  EXPECT_EQ(e.severity, Severity::kError);
  EXPECT_EQ(e.insert_id, "a");
  EXPECT_EQ(e.http_request->status, 503);
  EXPECT_EQ(e.log_name, "");  // present and null: absent, and the alias is not consulted
  LogEntry alias = Decode(R"({"insertid":"b","insertId":null})");
  EXPECT_EQ(alias.insert_id, "");
  EXPECT_EQ(Decode(R"({"insertid":"b"})").insert_id, "b");
  // The first field in error is named, in the fixed order fields are read, whatever the key order.
  EXPECT_NE(DecodeError(R"({"logName":5,"insertId":7})").message().find("'insertId'"), std::string::npos);
  EXPECT_TRUE(DecodeError(R"({"severity":"ERROR","severity":{}})").ok());  // the second is never read
}

TEST(EntryDecoder, ErrorGroupsAndSourceLocation) {
  LogEntry e = Decode(R"({"errorGroups":[{"id":"CKx"}],"sourceLocation":{"file":"main.go","line":"42","function":"main.run"}})");
  ASSERT_EQ(e.error_groups.size(), 1u);
  EXPECT_EQ(e.error_groups[0], "CKx");
  EXPECT_EQ(e.source_location->line, "42");
}

TEST(EntryDecoder, WrongTypesNameTheField) {
  EXPECT_NE(DecodeError(R"({"severity":{"x":1}})").message().find("'severity'"), std::string::npos);
  EXPECT_NE(DecodeError(R"({"timestamp":12})").message().find("'timestamp'"), std::string::npos);
  EXPECT_NE(DecodeError(R"({"timestamp":"soon"})").message().find("'timestamp'"), std::string::npos);
  EXPECT_NE(DecodeError(R"({"textPayload":["a"]})").message().find("'textPayload'"), std::string::npos);
  EXPECT_NE(DecodeError(R"({"jsonPayload":"text"})").message().find("'jsonPayload'"), std::string::npos);
  EXPECT_NE(DecodeError(R"({"resource":{"labels":{"a":{}}}})").message().find("resource"), std::string::npos);
  EXPECT_NE(DecodeError(R"({"httpRequest":{"status":"abc"}})").message().find("httpRequest"), std::string::npos);
  EXPECT_EQ(DecodeError(R"([1,2])").code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecodeError(R"({"a":)").code(), StatusCode::kDataLoss);
  EXPECT_EQ(DecodeError("{\"textPayload\":\"\xff\"}").code(), StatusCode::kDataLoss);  // invalid UTF-8
}

TEST(EntryDecoder, NullMeansAbsent) {
  LogEntry e = Decode(R"({"severity":null,"textPayload":null,"jsonPayload":{"message":"m"},"trace":null})");
  EXPECT_EQ(e.severity, Severity::kDefault);
  EXPECT_EQ(e.message, "m");
}

// Below detail_from only what the gardener counts and correlates by is kept;
// every field is still checked, so bad input fails the same way.
TEST(EntryDecoder, BelowDetailFromKeepsTheCountedFieldsAndChecksTheRest) {
  const std::string entry =
      R"({"insertId":"r1","timestamp":"2025-09-15T15:00:00Z","receiveTimestamp":"2025-09-15T15:00:01Z",)"
      R"("severity":"INFO","logName":"projects/p/logs/run.googleapis.com%2Frequests","trace":"projects/p/traces/t1",)"
      R"("spanId":"s1","labels":{"instanceId":"i-1"},"resource":{"type":"cloud_run_revision","labels":)"
      R"({"service_name":"api","revision_name":"api-1"}},"httpRequest":{"requestMethod":"GET","requestUrl":)"
      R"("https://x/a","status":503,"remoteIp":"1.2.3.4","latency":"0.5s","responseSize":"10"},)"
      R"("sourceLocation":{"file":"a.py","line":3},"errorGroups":[{"id":"g1"}],"jsonPayload":{"message":"m","logger":"l"}})";
  EntryDecoder light;
  light.set_detail_from(Severity::kWarning);
  LogEntry e;
  // A whole entry first: the kept storage must not leak into the light one.
  ASSERT_TRUE(light.Decode(std::string(R"({"severity":"ERROR","trace":"old","textPayload":"x",)") +
                               R"("httpRequest":{"requestUrl":"old","status":200}})", e).ok());
  EXPECT_EQ(e.trace, "old");
  ASSERT_TRUE(light.Decode(entry, e).ok());
  EXPECT_EQ(e.insert_id, "r1");
  ASSERT_TRUE(e.timestamp && e.receive_timestamp);
  EXPECT_EQ(e.severity, Severity::kInfo);
  EXPECT_EQ(e.log_name, "projects/p/logs/run.googleapis.com%2Frequests");
  EXPECT_EQ(*FindLabel(e.labels, "instanceId"), "i-1");
  EXPECT_EQ(ServiceOf(e), "api");
  EXPECT_EQ(*FindLabel(e.resource_labels, "revision_name"), "api-1");
  ASSERT_TRUE(e.http_request);
  EXPECT_EQ(e.http_request->status, 503);
  EXPECT_TRUE(e.http_request->url.empty());
  EXPECT_TRUE(e.http_request->remote_ip.empty());
  EXPECT_TRUE(e.trace.empty());
  EXPECT_TRUE(e.span_id.empty());
  EXPECT_TRUE(e.resource_type.empty());
  EXPECT_TRUE(e.message.empty());
  EXPECT_TRUE(e.logger.empty());
  EXPECT_FALSE(e.source_location);
  EXPECT_TRUE(e.error_groups.empty());
  // The same entry at WARNING is whole.
  std::string warning = entry;
  warning.replace(warning.find("\"INFO\""), 6, "\"WARNING\"");
  ASSERT_TRUE(light.Decode(warning, e).ok());
  EXPECT_EQ(e.trace, "projects/p/traces/t1");
  EXPECT_EQ(e.http_request->url, "https://x/a");
  EXPECT_EQ(e.message, "m");
  EXPECT_EQ(e.error_groups.size(), 1u);
  // Wrong types are errors below detail_from too, naming the same field.
  for (const char* bad : {R"({"severity":"INFO","trace":5})", R"({"severity":"INFO","spanId":[]})",
                          R"({"severity":"INFO","resource":{"type":1}})",
                          R"({"severity":"INFO","httpRequest":{"requestUrl":7}})",
                          R"({"severity":"INFO","httpRequest":{"responseSize":{}}})",
                          R"({"severity":"INFO","sourceLocation":{"line":[]}})",
                          R"({"severity":"INFO","errorGroups":[{"x":1}]})",
                          R"({"severity":"INFO","receiveTimestamp":"yesterday"})"}) {
    LogEntry out;
    const Status whole = DecodeError(bad);
    const Status checked = light.Decode(bad, out);
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_EQ(checked.message(), whole.message()) << bad;
  }
}

}  // namespace
}  // namespace lg
