#include "report/markdown_report.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace lg {
namespace {

RunReport OneCluster(std::vector<std::string> evidence) {
  RunReport r;
  r.service = "checkout-api";
  r.period = "last 1 hour";
  Cluster c;
  c.id = "c1";
  c.fingerprint = "lg1-0123456789abcdef";
  c.name = c.title = "Database pool exhausted";
  c.count = 40;
  c.evidence = std::move(evidence);
  r.clusters.push_back(std::move(c));
  return r;
}

// The worklog gives the evidence for every merge, the first dozen in the
// open and the rest folded away.
TEST(Worklog, ShowsEveryMergeFoldingPastTheFirstDozen) {
  std::vector<std::string> evidence;
  for (int i = 1; i <= 15; ++i) evidence.push_back(fmt::format("timing: merge number {}", i));
  const std::string md = RenderWorklog(OneCluster(evidence), {}, {});
  for (int i = 1; i <= 15; ++i) {
    EXPECT_NE(md.find(fmt::format("merge number {}\n", i)), std::string::npos) << i;
  }
  const size_t fold = md.find("<details><summary>3 more merges</summary>");
  ASSERT_NE(fold, std::string::npos) << md;
  EXPECT_LT(md.find("merge number 12\n"), fold);
  EXPECT_GT(md.find("merge number 13\n"), fold);
  EXPECT_NE(md.find("</details>", fold), std::string::npos);
  // Twelve or fewer: nothing folded.
  evidence.resize(12);
  EXPECT_EQ(RenderWorklog(OneCluster(evidence), {}, {}).find("<details>"), std::string::npos);
}

// Log text in the evidence shows its placeholders and cannot open a tag
// (nor close the fold).
TEST(Worklog, EvidenceCannotOpenHtmlTags) {
  std::vector<std::string> evidence(13, "content: «QueuePool limit of size <NUM> reached»");
  evidence.back() = "content: «</details><script>alert(1)</script>»";
  const std::string md = RenderWorklog(OneCluster(evidence), {}, {});
  EXPECT_NE(md.find("QueuePool limit of size &lt;NUM> reached"), std::string::npos) << md;
  EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
  EXPECT_NE(md.find("&lt;/details>&lt;script>"), std::string::npos) << md;
}

}  // namespace
}  // namespace lg
