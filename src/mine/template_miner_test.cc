#include "mine/template_miner.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mine/template_text.h"

namespace lg {
namespace {

// Mines `lines` (one group) and returns each line's template text.
std::vector<std::string> Mine(const std::vector<std::string>& lines, MinerOptions options = {}) {
  TemplateMiner m(options);
  uint32_t g = m.Group("");
  std::vector<uint32_t> shapes;
  for (const auto& l : lines) shapes.push_back(m.Add(g, l));
  m.Finish();
  std::vector<std::string> out;
  for (uint32_t s : shapes) out.push_back(m.Text(m.TemplateOf(s)));
  return out;
}

TEST(TemplateText, FollowsLoghubConventions) {
  EXPECT_EQ(WildcardTemplate("Received block blk_<NUM> of size <NUM> from <IP>:<NUM>"),
            "Received block <*> of size <*> from <*>:<*>");
  EXPECT_EQ(WildcardTemplate("generating core.<NUM>"), "generating core.<*>");
  EXPECT_EQ(WildcardTemplate("version <NUM>.<NUM>.<NUM>"), "version <*>");
  EXPECT_EQ(WildcardTemplate("took <NUM><NUM>  ms"), "took <*> ms");
  EXPECT_EQ(WildcardTemplate("File: hdfs://<URL>"), "File: hdfs://<*>");
  EXPECT_EQ(WildcardTemplate("a\nb <*>"), "a b <*>");
  EXPECT_EQ(WildcardTemplate("<html> stays"), "<html> stays");
}

TEST(TemplateMiner, SameShapeIsOneTemplate) {
  auto t = Mine({"Got assigned task 5", "Got assigned task 17", "Got assigned task 3"});
  EXPECT_EQ(t[0], "Got assigned task <NUM>");
  EXPECT_EQ(t[1], t[0]);
  EXPECT_EQ(t[2], t[0]);
}

TEST(TemplateMiner, WordVariablesMergeWithStructureKept) {
  std::vector<std::string> lines;
  const char* users[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
  for (int i = 0; i < 40; ++i) {
    lines.push_back(std::string("session opened for user ") + users[i % 8] + " by (uid=" +
                    std::to_string(i) + ")");
  }
  lines.push_back("connect rhost=web.example.org ok");
  lines.push_back("connect rhost=10.1.2.3 ok");
  auto t = Mine(lines);
  EXPECT_EQ(t[0], "session opened for user <*> by (uid=<NUM>)");
  EXPECT_EQ(t[39], t[0]);
  EXPECT_EQ(t[40], "connect rhost=<*> ok");
  EXPECT_EQ(t[41], t[40]);
}

TEST(TemplateMiner, DifferentEventsStayApart) {
  auto t = Mine({"cupsd startup succeeded", "cupsd shutdown succeeded", "cupsd startup succeeded"});
  EXPECT_NE(t[0], t[1]);
  EXPECT_EQ(t[0], t[2]);
}

TEST(TemplateMiner, AFewEventWordsSplitATemplate) {
  std::vector<std::string> lines;
  const char* events[] = {"Paused", "Resumed", "Started", "Stopped"};
  for (int i = 0; i < 80; ++i) {
    lines.push_back("[instance: 6a1f2b3c-0000-4000-8000-0000000000" + std::to_string(10 + i % 40) +
                    "] VM " + events[i % 4] + " (Lifecycle Event)");
  }
  auto t = Mine(lines);
  EXPECT_EQ(t[0], "[instance: <UUID>] VM Paused (Lifecycle Event)");
  EXPECT_EQ(t[1], "[instance: <UUID>] VM Resumed (Lifecycle Event)");
  EXPECT_EQ(t[4], t[0]);
  // Without refinement they are one template.
  MinerOptions no_split;
  no_split.max_split_values = 0;
  auto u = Mine(lines, no_split);
  EXPECT_EQ(u[0], "[instance: <UUID>] VM <*> (Lifecycle Event)");
  EXPECT_EQ(u[1], u[0]);
}

TEST(TemplateMiner, UsersThatVaryElsewhereDoNotSplit) {
  std::vector<std::string> lines;
  const char* users[] = {"cyrus", "news", "test"};
  for (int i = 0; i < 60; ++i) {
    lines.push_back(std::string("session opened for user ") + users[i % 3] + " by (uid=0)");
    lines.push_back(std::string("session closed for user ") + users[i % 3]);
  }
  auto t = Mine(lines);
  EXPECT_EQ(t[0], "session opened for user <*> by (uid=<NUM>)");
  EXPECT_EQ(t[2], t[0]);
  EXPECT_EQ(t[1], "session closed for user <*>");
}

TEST(TemplateMiner, SoftWordsShowAsWrittenWhenConstant) {
  auto t = Mine({"Failed password for root from 1.2.3.4 port 22 ssh2",
                 "Failed password for admin from 1.2.3.5 port 2200 ssh2",
                 "Failed password for guest from 1.2.3.6 port 2201 ssh2"});
  EXPECT_EQ(t[0], "Failed password for <*> from <IP> port <NUM> ssh2");
  EXPECT_EQ(WildcardTemplate(t[0]), "Failed password for <*> from <*> port <*> ssh2");
}

TEST(TemplateMiner, GroupsNeverMix) {
  TemplateMiner m;
  uint32_t a = m.Group("svc-a"), b = m.Group("svc-b");
  uint32_t sa = m.Add(a, "Redis error 111 at 10.0.0.1:6379");
  uint32_t sb = m.Add(b, "Redis error 111 at 10.0.0.1:6379");
  m.Finish();
  EXPECT_NE(m.TemplateOf(sa), m.TemplateOf(sb));
  EXPECT_EQ(m.Text(m.TemplateOf(sa)), m.Text(m.TemplateOf(sb)));
  EXPECT_NE(m.Id(m.TemplateOf(sa)), m.Id(m.TemplateOf(sb)));
}

TEST(TemplateMiner, MultiLineMessagesKeepTheirLines) {
  auto t = Mine({"Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\nValueError: bad 1"});
  EXPECT_EQ(t[0], "Traceback (most recent call last):\nFile \"<PATH>\", line <NUM>, in <module>\nValueError: bad <NUM>");
}

TEST(TemplateMiner, ParametersAreTheVariableTokens) {
  TemplateMiner m;
  uint32_t g = m.Group("");
  uint32_t s = m.Add(g, "user alice logged in from 10.0.0.1");
  m.Add(g, "user bob logged in from 10.0.0.2");
  m.Finish();
  uint32_t t = m.TemplateOf(s);
  EXPECT_EQ(m.Parameters(t, "user carol logged in from 10.9.9.9"),
            (std::vector<std::string>{"carol", "10.9.9.9"}));
  EXPECT_TRUE(m.Parameters(t, "user carol logged out from 10.9.9.9").empty());
  EXPECT_TRUE(m.Parameters(t, "something else").empty());
}

TEST(TemplateMiner, DeferredModeDoesNotDependOnInputOrder) {
  std::vector<std::string> lines;
  const char* words[] = {"alpha", "beta", "gamma", "delta", "eps"};
  for (int i = 0; i < 100; ++i) {
    lines.push_back("job " + std::string(words[i % 5]) + " finished in " + std::to_string(i) + "ms");
    lines.push_back("cache miss for key " + std::string(words[(i * 3) % 5]) + "-" + std::to_string(i));
    lines.push_back("worker " + std::to_string(i % 7) + " state " + words[i % 2]);
  }
  MinerOptions deferred;
  deferred.deferred = true;
  auto sorted_texts = [&](std::vector<std::string> in) {
    TemplateMiner m(deferred);
    uint32_t g = m.Group("");
    for (const auto& l : in) m.Add(g, l);
    m.Finish();
    std::vector<std::pair<std::string, uint64_t>> out;
    for (uint32_t t = 0; t < m.template_count(); ++t) {
      if (m.Count(t) > 0) out.emplace_back(m.Text(t), m.Count(t));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto base = sorted_texts(lines);
  std::mt19937 rng(7);
  for (int k = 0; k < 5; ++k) {
    std::shuffle(lines.begin(), lines.end(), rng);
    EXPECT_EQ(sorted_texts(lines), base);
  }
}

TEST(TemplateMiner, SeededTemplatesKeepTheirIds) {
  // Run 1 mines and remembers; run 2 is seeded and sees the same template,
  // even one that grew more general.
  TemplateMiner one;
  uint32_t g1 = one.Group("svc");
  uint32_t s1 = one.Add(g1, "Cache warmed in 120 ms for region eu");
  one.Add(g1, "Cache warmed in 80 ms for region eu");
  one.Finish();
  const uint32_t t1 = one.TemplateOf(s1);
  const uint64_t id = one.Id(t1);
  const std::string text = one.Text(t1);

  TemplateMiner two;
  uint32_t g2 = two.Group("svc");
  two.Seed(g2, text, id);
  uint32_t s2 = two.Add(g2, "Cache warmed in 99 ms for region us");
  uint32_t s3 = two.Add(g2, "Cache warmed in 5 ms for region eu");
  two.Finish();
  EXPECT_EQ(two.TemplateOf(s2), two.TemplateOf(s3));
  EXPECT_EQ(two.Id(two.TemplateOf(s2)), id);
  EXPECT_TRUE(two.Seeded(two.TemplateOf(s2)));
  EXPECT_EQ(two.Count(two.TemplateOf(s2)), 2u);
  // The example is a message, never the remembered template text.
  EXPECT_EQ(two.Example(two.TemplateOf(s2)).find('<'), std::string::npos);

  // Unseeded, the id is a function of group and text: the same in any run.
  TemplateMiner three;
  uint32_t g3 = three.Group("svc");
  uint32_t s4 = three.Add(g3, "Cache warmed in 7 ms for region eu");
  three.Finish();
  EXPECT_EQ(three.Id(three.TemplateOf(s4)), id);
}

TEST(TemplateMiner, MemoryIsBoundedByShapesAndTemplates) {
  MinerOptions small;
  small.max_shapes = 50;
  small.max_templates = 20;
  TemplateMiner m(small);
  uint32_t g = m.Group("");
  for (int i = 0; i < 5000; ++i) {
    // Every line a new shape: a distinct word in a distinct position count.
    std::string line = "event w" + std::string(1, static_cast<char>('a' + i % 26)) +
                       std::string(1, static_cast<char>('a' + (i / 26) % 26)) + " happened";
    for (int k = 0; k < i % 9; ++k) line += " x";
    m.Add(g, line);
  }
  m.Finish();
  EXPECT_LE(m.shape_count(), 50u + 20u + 20u);
  EXPECT_LE(m.template_count(), 20u + 9u);
  uint64_t total = 0;
  for (uint32_t t = 0; t < m.template_count(); ++t) total += m.Count(t);
  EXPECT_EQ(total, 5000u);
}

}  // namespace
}  // namespace lg
