#include "config/config.h"

#include <gtest/gtest.h>

namespace lg {
namespace {

TEST(Config, ExampleParsesToTheDefaults) {
  auto c = ParseConfig(ExampleConfig(), "example.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const Config defaults;
  EXPECT_EQ(c->triage.p1_min_errors, defaults.triage.p1_min_errors);
  EXPECT_EQ(c->triage.degraded_words, defaults.triage.degraded_words);
  EXPECT_EQ(c->triage.p0_min_severity, defaults.triage.p0_min_severity);
  EXPECT_DOUBLE_EQ(c->correlation.trace_share, defaults.correlation.trace_share);
  EXPECT_EQ(c->triage.impact.size(), 4u);
  // Every key is documented in the example.
  EXPECT_NE(ExampleConfig().find("# P0 (service down)"), std::string::npos);
  EXPECT_NE(ExampleConfig().find("deploy_window_s = 300"), std::string::npos);
}

TEST(Config, ValuesAreRead) {
  auto c = ParseConfig(
      "[triage]\np1_min_errors = 5\np0_min_severity = \"ERROR\"\nslow_words = [\"sluggish\"]\n"
      "[correlation]\ntrace_share = 0.75\ntiming_window_s = 30\n",
      "team.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->triage.p1_min_errors, 5u);
  EXPECT_EQ(c->triage.p0_min_severity, Severity::kError);
  EXPECT_EQ(c->triage.slow_words, std::vector<std::string>{"sluggish"});
  EXPECT_DOUBLE_EQ(c->correlation.trace_share, 0.75);
  EXPECT_DOUBLE_EQ(c->correlation.timing_window_s, 30);
  EXPECT_EQ(c->path, "team.toml");
}

TEST(Config, EveryProblemIsReportedWithFileLineAndColumn) {
  auto c = ParseConfig(
      "[triage]\n"
      "p1_min_errors = -3\n"
      "p1_min_erors = 5\n"
      "[correlation]\n"
      "trace_share = 1.5\n"
      "[sources]\n"
      "x = 1\n",
      "bad.toml");
  ASSERT_FALSE(c.ok());
  const std::string m(c.status().message());
  EXPECT_NE(m.find("bad.toml:2:"), std::string::npos) << m;
  EXPECT_NE(m.find("p1_min_errors must be a whole number"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.toml:3:1: unknown key 'p1_min_erors' in [triage]"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.toml:5:"), std::string::npos) << m;
  EXPECT_NE(m.find("trace_share must be a number from 0 to 1"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown table 'sources'"), std::string::npos) << m;
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
}

TEST(Config, SyntaxErrorsNameThePosition) {
  auto c = ParseConfig("[triage\np1_min_errors = 5\n", "broken.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(std::string(c.status().message()).find("broken.toml:1:"), std::string::npos) << c.status().message();
}

// fuzz/regressions/config/float-count-overflow-93b877b0: a float where a
// whole number belongs was converted unchecked (7.8e45 overflows int64).
TEST(Config, FloatForACountIsAnErrorNotAnOverflow) {
  for (const char* text : {"[correlation]\ndeploy_min_entries = 7.77777e45\n",
                           "[correlation]\ndeploy_min_entries = 3.5\n",
                           "[correlation]\ndeploy_min_entries = -1\n"}) {
    auto c = ParseConfig(text, "f.toml");
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_NE(c.status().message().find("deploy_min_entries"), std::string::npos) << c.status().message();
  }
  EXPECT_TRUE(ParseConfig("[correlation]\ndeploy_min_entries = 12\n", "f.toml").ok());
}

TEST(Config, ImpactNeedsFourLevels) {
  auto c = ParseConfig("[triage]\nimpact = [\"down\", \"broken\"]\n", "x.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(std::string(c.status().message()).find("four strings"), std::string::npos);
}

TEST(Config, RunDefaultsAliasesImpactAndScrubPatterns) {
  auto c = ParseConfig(
      "[run]\nperiod = \"last 2 hours\"\nmin_severity = \"ERROR\"\ntracker = \"github:acme/shop\"\n"
      "[services]\nbackend = \"netra-backend-staging\"\n"
      "[impact]\n\"netra-backend-staging\" = \"Chat is down for customers\"\n"
      "[scrub]\npatterns = [\"sk-[A-Za-z0-9]{20,}\"]\n",
      "team.toml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->run.period, "last 2 hours");
  EXPECT_EQ(c->run.tracker, "github:acme/shop");
  EXPECT_EQ(c->service_aliases.at("backend"), "netra-backend-staging");
  EXPECT_EQ(c->service_impact.at("netra-backend-staging"), "Chat is down for customers");
  ASSERT_EQ(c->scrub_patterns.size(), 1u);
  auto bad = ParseConfig("[scrub]\npatterns = [\"([unclosed\"]\n[run]\nmin_severity = \"LOUD\"\n[services]\nx = 3\n",
                         "bad.toml");
  ASSERT_FALSE(bad.ok());
  const std::string m(bad.status().message());
  EXPECT_NE(m.find("not a valid RE2 expression"), std::string::npos) << m;
  EXPECT_NE(m.find("'LOUD' is not a severity"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.toml:6:5: [services] x must be a string"), std::string::npos) << m;
}

}  // namespace
}  // namespace lg
