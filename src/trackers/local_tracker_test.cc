#include "trackers/local_tracker.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <sys/stat.h>

#include "core/time.h"

namespace lg {
namespace {

class LocalTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("lg-tracker-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path() const { return (dir_ / "sub" / "t.db").string(); }
  std::filesystem::path dir_;
  FixedClock clock_{*ParseTimestamp("2025-09-15T16:00:00Z")};
};

TEST_F(LocalTrackerTest, CreatesFolderAndPrivateFile) {
  auto t = LocalTracker::Open(Path(), clock_);
  ASSERT_TRUE(t.ok()) << t.status().message();
  struct stat st {};
  ASSERT_EQ(::stat(Path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LocalTrackerTest, CreateListCommentShow) {
  auto t = LocalTracker::Open(Path(), clock_);
  ASSERT_TRUE(t.ok());
  auto a = (*t)->CreateIssue({"GCP-new-P1-Redis down", "body", {"log-gardener", "P1"}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->number, 1);
  auto b = (*t)->CreateIssue({"second", "b2", {}});
  EXPECT_EQ(b->number, 2);
  ASSERT_TRUE((*t)->AddComment(1, "update").ok());
  EXPECT_EQ((*t)->AddComment(9, "nope").status().code(), StatusCode::kNotFound);
  auto issues = (*t)->ListIssues();
  ASSERT_EQ(issues->size(), 2u);
  EXPECT_EQ((*issues)[0].labels, (std::vector<std::string>{"log-gardener", "P1"}));
  EXPECT_EQ((*issues)[0].created_at, "2025-09-15T16:00:00Z");
  EXPECT_TRUE((*issues)[0].is_open());
  auto comments = (*t)->ListComments(1);
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ((*comments)[0].body, "update");
}

TEST_F(LocalTrackerTest, ImportExportRoundTripAndNumbersContinue) {
  const std::string json = R"([
    {"number": 7, "title": "Closed one", "body": "fixed", "state": "closed", "labels": ["bug"],
     "created_at": "2025-08-01T00:00:00Z", "closed_at": "2025-08-02T00:00:00Z"},
    {"number": 3, "title": "Open one", "body": null, "state": "open", "labels": [{"name": "x"}],
     "created_at": "2025-08-01T00:00:00Z", "comments": [{"body": "c", "created_at": "2025-08-03T00:00:00Z"}]}
  ])";
  std::vector<Comment> comments;
  auto parsed = ParseIssuesJson(json, "issues.json", &comments);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  auto t = LocalTracker::Open(Path(), clock_);
  ASSERT_TRUE((*t)->Import(*parsed, comments).ok());
  ASSERT_TRUE((*t)->Import(*parsed, comments).ok());  // idempotent
  auto issues = (*t)->ListIssues();
  ASSERT_EQ(issues->size(), 2u);
  EXPECT_EQ((*issues)[0].number, 3);
  EXPECT_EQ((*issues)[0].labels[0], "x");
  EXPECT_EQ(*(*issues)[1].closed_at, "2025-08-02T00:00:00Z");
  EXPECT_EQ((*t)->ListComments(3)->size(), 1u);
  EXPECT_EQ((*t)->CreateIssue({"next", "", {}})->number, 8);

  std::vector<std::vector<Comment>> all;
  auto listed = (*t)->ListIssues();
  ASSERT_TRUE(listed.ok());
  for (const Issue& i : *listed) all.push_back(*(*t)->ListComments(i.number));
  std::string exported = IssuesToJson(*listed, all);
  std::vector<Comment> again_comments;
  auto again = ParseIssuesJson(exported, "export", &again_comments);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->size(), 3u);
  EXPECT_EQ(again_comments.size(), 1u);
}

TEST(ParseIssuesJson, ErrorsNameFileAndIndex) {
  auto bad = ParseIssuesJson(R"([{"number": 1, "title": "t", "state": "open", "created_at": "2025-01-01T00:00:00Z"},
                                {"number": -2, "title": "t"}])", "issues.json", nullptr);
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("issues.json: issue at index 1"), std::string::npos);
  EXPECT_FALSE(ParseIssuesJson("{}", "x", nullptr).ok());
  EXPECT_FALSE(ParseIssuesJson("[{\"number\":1", "x", nullptr).ok());
  EXPECT_FALSE(ParseIssuesJson(R"([{"number":1,"title":"t","state":"maybe","created_at":"2025-01-01T00:00:00Z"}])", "x", nullptr).ok());
}

}  // namespace
}  // namespace lg
