#include "storage/sqlite_db.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "testing/temp_dir.h"

namespace lg {
namespace {

class SqliteDbTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_ / "s.db"; }
  static bool HasTable(SqliteDb& db, const char* name) {
    auto st = db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    EXPECT_TRUE(st.ok());
    st->Bind(1, std::string_view(name));
    auto row = st->Step();
    return row.ok() && *row;
  }
  TempDir dir_;
};

TEST_F(SqliteDbTest, OpensInWriteAheadModeWithPrivateFiles) {
  auto db = SqliteDb::Open(Path());
  ASSERT_TRUE(db.ok()) << db.status().message();
  {
    auto mode = (*db)->Prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    ASSERT_TRUE(*mode->Step());
    EXPECT_EQ(mode->ColumnText(0), "wal");
  }
  Status made = (*db)->ExecAtomically("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);");
  ASSERT_TRUE(made.ok()) << made.message();
  // The log holds the commit until a checkpoint: it must be as private as
  // the database (issue text may be in it).
  for (const std::string& p : {Path(), Path() + "-wal"}) {
    struct stat st {};
    ASSERT_EQ(::stat(p.c_str(), &st), 0) << p;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << p;
  }
  // A second connection (another worker) sees the commit.
  auto other = SqliteDb::Open(Path());
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(HasTable(**other, "t"));
}

TEST_F(SqliteDbTest, AFailingStatementUndoesTheWholeBatch) {
  auto db = SqliteDb::Open(Path());
  ASSERT_TRUE(db.ok());
  Status s = (*db)->ExecAtomically("CREATE TABLE a (x INTEGER); CREATE TABLE b (;");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(Path()), std::string::npos) << s.message();
  EXPECT_FALSE(HasTable(**db, "a"));
  // Not left inside a transaction: the next batch works.
  ASSERT_TRUE((*db)->ExecAtomically("CREATE TABLE a (x INTEGER);").ok());
  EXPECT_TRUE(HasTable(**db, "a"));
}

}  // namespace
}  // namespace lg
