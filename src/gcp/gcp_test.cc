#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "gcp/credentials.h"
#include "gcp/filter.h"
#include "gcp/query.h"

namespace lg::gcp {
namespace {

TEST(Filter, QuotesAndEscapes) {
  EXPECT_EQ(QuoteValue("plain"), "\"plain\"");
  EXPECT_EQ(QuoteValue("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(QuoteValue("line\nbreak"), "\"line\\nbreak\"");
}

TEST(Filter, ScopeBecomesTheDocumentedSubset) {
  LogScope s;
  s.service = "netra-backend-staging";
  s.window = {*ParseTimestamp("2025-09-15T15:00:00Z"), *ParseTimestamp("2025-09-15T16:00:00Z")};
  s.min_severity = Severity::kWarning;
  EXPECT_EQ(BuildFilter(s),
            "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"netra-backend-staging\" AND "
            "severity>=WARNING AND timestamp>=\"2025-09-15T15:00:00Z\" AND timestamp<\"2025-09-15T16:00:00Z\"");
  s.service.clear();
  s.extra = "textPayload:\"Traceback\" OR jsonPayload.level=\"error\"";
  s.min_severity = Severity::kDefault;
  EXPECT_EQ(BuildFilter(s),
            "resource.type=\"cloud_run_revision\" AND timestamp>=\"2025-09-15T15:00:00Z\" AND "
            "timestamp<\"2025-09-15T16:00:00Z\" AND (textPayload:\"Traceback\" OR jsonPayload.level=\"error\")");
}

TEST(Filter, ContextQueryAsksOnlyForSignalLogsBelowTheMinimum) {
  LogScope s;
  s.service = "say \"hi\"";
  s.window = {*ParseTimestamp("2025-09-15T17:00:00+02:00"), *ParseTimestamp("2025-09-15T16:00:00.5Z")};
  s.min_severity = Severity::kError;
  EXPECT_EQ(BuildContextFilter(s, "p-1"),
            "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"say \\\"hi\\\"\" AND "
            "severity<ERROR AND timestamp>=\"2025-09-15T15:00:00Z\" AND timestamp<\"2025-09-15T16:00:00.5Z\" AND "
            "logName=(\"projects/p-1/logs/run.googleapis.com%2Frequests\" OR "
            "\"projects/p-1/logs/run.googleapis.com%2Fvarlog%2Fsystem\" OR "
            "\"projects/p-1/logs/cloudaudit.googleapis.com%2Factivity\" OR "
            "\"projects/p-1/logs/cloudaudit.googleapis.com%2Fsystem_event\")");
  s.min_severity = Severity::kDefault;
  EXPECT_EQ(BuildContextFilter(s, "p-1"), "") << "the main query already has every severity";
}

constexpr const char* kEntry = R"({"insertId":"a1","severity":"ERROR","timestamp":"2025-09-15T15:30:00.5Z",
  "logName":"projects/p/logs/run.googleapis.com%2Fstderr","labels":{"k8s-pod/app":"web","instanceId":"i-1"},
  "resource":{"type":"cloud_run_revision","labels":{"service_name":"netra-backend-staging"}},
  "httpRequest":{"status":503,"latency":"1.5s"},
  "jsonPayload":{"message":"Redis operation failed: Error 111 connecting","attempt":3}})";

bool M(std::string_view q, std::string_view entry = kEntry) {
  auto parsed = Query::Parse(q);
  EXPECT_TRUE(parsed.ok()) << q << ": " << parsed.status().message();
  return parsed.ok() && parsed->Matches(entry);
}

TEST(Query, ComparesTheWayCloudLoggingDoes) {
  EXPECT_TRUE(M("severity>=WARNING"));
  EXPECT_TRUE(M("severity>=500"));
  EXPECT_FALSE(M("severity>ERROR"));
  EXPECT_TRUE(M(R"(severity<WARNING)", R"({"severity":"INFO"})"));
  EXPECT_TRUE(M("severity<WARNING", "{}")) << "no severity is DEFAULT";
  EXPECT_TRUE(M(R"(resource.labels.service_name="NETRA-backend-staging")")) << "= is case-insensitive";
  EXPECT_TRUE(M(R"(jsonPayload.message:"error 111")"));
  EXPECT_FALSE(M(R"(jsonPayload.message:"error 112")"));
  EXPECT_TRUE(M(R"(jsonPayload.message=~"Error \d+ connecting")"));
  EXPECT_TRUE(M(R"(jsonPayload.message!~"^Timeout")"));
  EXPECT_TRUE(M(R"(timestamp>="2025-09-15T17:30:00+02:00" AND timestamp<"2025-09-15T15:30:01Z")"));
  EXPECT_FALSE(M(R"(timestamp<"2025-09-15T15:30:00.5Z")"));
  EXPECT_TRUE(M("httpRequest.status>=500 httpRequest.status<600")) << "adjacent terms are ANDed";
  EXPECT_TRUE(M("jsonPayload.attempt>2"));
  EXPECT_TRUE(M(R"(labels."k8s-pod/app"="web")"));
  EXPECT_TRUE(M("httpRequest:*"));
  EXPECT_FALSE(M("protoPayload:*"));
  EXPECT_TRUE(M(R"(resource.type=("gce_instance" OR "cloud_run_revision"))"));
  EXPECT_TRUE(M("Redis")) << "a bare word searches the whole entry";
  EXPECT_TRUE(M(R"("operation failed")"));
  EXPECT_TRUE(M("jsonPayload.missing!=x")) << "an absent field differs from everything";
  EXPECT_FALSE(M("jsonPayload.missing=x"));
}

TEST(Query, NotThenOrThenAnd) {
  // Documented precedence: NOT, then OR, then AND. So "a AND b OR c" is
  // "a AND (b OR c)": false here, where (a AND b) OR c would be true.
  EXPECT_FALSE(M(R"(severity=INFO AND httpRequest.status=503 OR jsonPayload.attempt=3)"));
  EXPECT_TRUE(M(R"(severity=ERROR AND httpRequest.status=200 OR jsonPayload.attempt=3)"));
  EXPECT_TRUE(M("NOT severity=INFO OR severity=INFO"));
  EXPECT_FALSE(M("-severity=ERROR"));
  EXPECT_TRUE(M("NOT (severity=INFO AND httpRequest.status=503)"));
}

TEST(Query, RejectsWhatItCannotParseWithThePosition) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (const Case& c : {Case{"severity>=", "position 11"}, Case{"(severity=ERROR", "expected ')'"},
                        Case{"severity=ERROR and x=1", "must be upper-case"},
                        Case{R"(jsonPayload.message="unterminated)", "unterminated string"},
                        Case{R"(jsonPayload.message=~"(")", "bad regular expression"}, Case{"", "empty"},
                        Case{"a=(1 2)", "expected OR or ')'"}}) {
    auto q = Query::Parse(c.text);
    ASSERT_FALSE(q.ok()) << c.text;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(q.status().message().find(c.expected), std::string::npos) << c.text << " → " << q.status().message();
  }
  EXPECT_FALSE(Query::Parse("severity=ERROR")->Matches("not json"));
}

TEST(Jwt, Base64Url) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
}

std::string Base64UrlDecode(std::string_view s) {
  std::string out;
  int val = 0, bits = -8;
  for (char c : s) {
    int d = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '-' ? 62 : 63;
    val = (val << 6) | d;
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

TEST(Jwt, SignsRs256ThatTheKeysPublicHalfVerifies) {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
  ASSERT_TRUE(kctx && EVP_PKEY_keygen_init(kctx) == 1 && EVP_PKEY_CTX_set_rsa_keygen_bits(kctx, 2048) == 1 &&
              EVP_PKEY_keygen(kctx, &key) == 1);
  EVP_PKEY_CTX_free(kctx);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);

  auto jwt = SignJwt(pem, "kid-1", "sa@p.iam.gserviceaccount.com", "https://www.googleapis.com/auth/logging.read",
                     "http://127.0.0.1:1/token", 1700000000);
  ASSERT_TRUE(jwt.ok()) << jwt.status().message();
  const size_t d1 = jwt->find('.'), d2 = jwt->rfind('.');
  ASSERT_NE(d1, d2);
  const std::string claims = Base64UrlDecode(jwt->substr(d1 + 1, d2 - d1 - 1));
  EXPECT_NE(claims.find("\"iss\":\"sa@p.iam.gserviceaccount.com\""), std::string::npos) << claims;
  EXPECT_NE(claims.find("\"aud\":\"http://127.0.0.1:1/token\""), std::string::npos) << claims;
  EXPECT_NE(claims.find("\"exp\":1700003600"), std::string::npos) << claims;
  EXPECT_NE(Base64UrlDecode(jwt->substr(0, d1)).find("\"alg\":\"RS256\""), std::string::npos);
  const std::string signed_part = jwt->substr(0, d2);
  const std::string sig = Base64UrlDecode(jwt->substr(d2 + 1));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()),
            1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  EXPECT_FALSE(SignJwt("not a key", "", "a", "b", "c", 0).ok());
}

}  // namespace
}  // namespace lg::gcp
