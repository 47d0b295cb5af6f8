#include "act/safe_text.h"

#include <gtest/gtest.h>

namespace lg {
namespace {

TEST(ScrubSecrets, RemovesEverySecretOnTheList) {
  const std::string secrets[] = {
      "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
      "AKIAIOSFODNN7EXAMPLE",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "s3cr3t-pa55",
      "tok_live_abcdef123456",
  };
  std::string text = std::string("auth with ") + secrets[0] + " and " + secrets[1] + "\n" +
                     "aws " + secrets[2] + " jwt " + secrets[3] + "\n" + "password=" + secrets[4] +
                     " Authorization: Bearer " + secrets[5] + "\n" +
                     "db postgres://app:" + secrets[4] + "@10.0.0.5:5432/main\n"
                     "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n"
                     "{\"api_key\": \"" + secrets[5] + "\"}";
  std::string out = ScrubSecrets(text);
  for (const auto& s : secrets) EXPECT_EQ(out.find(s), std::string::npos) << s << "\n" << out;
  EXPECT_EQ(out.find("MIIEow"), std::string::npos);
  EXPECT_NE(out.find("[REDACTED]"), std::string::npos);
  EXPECT_NE(out.find("10.0.0.5:5432"), std::string::npos);  // not a secret
}

TEST(ScrubSecrets, CardNumbersPassingLuhn) {
  EXPECT_EQ(ScrubSecrets("paid with 4111 1111 1111 1111 ok"), "paid with [REDACTED] ok");
  EXPECT_EQ(ScrubSecrets("card=5500-0000-0000-0004"), "card=[REDACTED]");
  // Long numbers that fail Luhn (ids, timestamps) stay.
  EXPECT_EQ(ScrubSecrets("order 1234567890123456 done"), "order 1234567890123456 done");
  EXPECT_EQ(ScrubSecrets("ts 1757350810123"), "ts 1757350810123");
}

TEST(ScrubSecrets, LeavesOrdinaryTextAlone) {
  const std::string text = "Redis connection refused at 10.0.0.1:6379; retry 3/10";
  EXPECT_EQ(ScrubSecrets(text), text);
}

TEST(NeutralizeMarkdown, MentionsRefsControlsAndBidi) {
  std::string out = NeutralizeMarkdown("ping @octocat about #12 and org/repo#34\x01 \xE2\x80\xAE" "evil");
  EXPECT_EQ(out.find("@octocat"), std::string::npos);
  EXPECT_NE(out.find("@\xE2\x80\x8Doctocat"), std::string::npos);
  EXPECT_EQ(out.find("#12"), std::string::npos);
  EXPECT_EQ(out.find("#34"), std::string::npos);
  EXPECT_EQ(out.find('\x01'), std::string::npos);
  EXPECT_EQ(out.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_EQ(NeutralizeMarkdown("email a@b and C# code"), "email a@\xE2\x80\x8D" "b and C# code");
}

TEST(FenceFor, IsLongerThanAnyBacktickRun) {
  EXPECT_EQ(FenceFor("plain"), "```");
  EXPECT_EQ(FenceFor("has ``` inside"), "````");
  EXPECT_EQ(FenceFor("has ````` inside"), "``````");
}

TEST(CapBytes, CutsOnUtf8Boundary) {
  std::string s(100, 'a');
  s += "\xC3\xBC";
  std::string out = CapBytes(s + std::string(100, 'b'), 120);
  EXPECT_LE(out.size(), 120u);
  EXPECT_NE(out.find("truncated"), std::string::npos);
  EXPECT_EQ(CapBytes("short", 100), "short");
}

}  // namespace
}  // namespace lg
