#include "storage/sqlite/wal_write_gathering.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace ferr::storage::sqlite {
namespace {

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

/// A connection through `vfs` (nullptr: the platform's default VFS, as another process would).
Db open(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  EXPECT_EQ(rc, SQLITE_OK) << (db ? sqlite3_errmsg(db) : "no connection");
  return Db(db);
}

void exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
  sqlite3_free(message);
}

std::int64_t scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sqlite3_errmsg(db);
  const std::int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

/// Opens `path` through the gathering VFS in WAL mode, with checkpoints left to the test.
Db open_gathering(const std::string& path) {
  Db db = open(path, wal_write_gathering_vfs());
  exec(db.get(),
       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; "
       "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  return db;
}

std::string insert_rows(int first, int count) {
  std::string sql = "BEGIN; ";
  for (int i = first; i < first + count; ++i)
    sql +=
        "INSERT INTO t (id, body) VALUES (" + std::to_string(i) + ", printf('%.*c', 1500, 'x'));";
  return sql + " COMMIT;";
}

TEST(WalWriteGathering, EachCommitIsOnTheFileForAConnectionOfTheDefaultVfs) {
  ferr::testing::TempDir dir("wal");
  const std::string path = dir.file("gather.db");
  Db writer = open_gathering(path);
  // The reader reads the log from the disk through a handle of its own: a frame kept back in
  // the writer's memory would be missing or torn for it.
  Db reader = open(path, nullptr);
  int rows = 0;
  for (int commit = 1; commit <= 20; ++commit) {
    exec(writer.get(), insert_rows(rows, commit));
    rows += commit;
    EXPECT_EQ(scalar(reader.get(), "SELECT count(*) FROM t"), rows) << "after commit " << commit;
    EXPECT_EQ(scalar(reader.get(), "SELECT sum(length(body)) FROM t"), rows * 1500);
  }
}

TEST(WalWriteGathering, AFramesHeaderAndPageGoOutInOneWrite) {
  ferr::testing::TempDir dir("wal");
  Db writer = open_gathering(dir.file("gather.db"));
  exec(writer.get(), insert_rows(0, 1));  // the log's header is written once, beforehand
  const WalWriteCounts before = wal_write_counts();
  exec(writer.get(), insert_rows(1, 40));  // about twenty pages
  const WalWriteCounts after = wal_write_counts();
  const auto asked = after.asked - before.asked;
  const auto written = after.written - before.written;
  EXPECT_GE(asked, 20u);
  EXPECT_EQ(written, 1u) << asked << " writes asked";
}

TEST(WalWriteGathering, ACommitLargerThanTheBoundGoesOutInSeveralWrites) {
  ferr::testing::TempDir dir("wal");
  const std::string path = dir.file("gather.db");
  Db writer = open_gathering(path);
  exec(writer.get(), insert_rows(0, 1));
  const WalWriteCounts before = wal_write_counts();
  exec(writer.get(), insert_rows(1, 400));  // about 600 KiB of pages
  const WalWriteCounts after = wal_write_counts();
  EXPECT_GE(after.written - before.written, 5u);
  EXPECT_LT(after.written - before.written, (after.asked - before.asked) / 10);
  EXPECT_EQ(scalar(open(path, nullptr).get(), "SELECT count(*) FROM t"), 401);
}

TEST(WalWriteGathering, ACheckpointAndARestartedLogKeepEveryRow) {
  ferr::testing::TempDir dir("wal");
  const std::string path = dir.file("gather.db");
  int next_id = 0;
  std::int64_t rows = 0;
  {
    Db writer = open_gathering(path);
    for (int round = 0; round < 5; ++round) {
      exec(writer.get(), insert_rows(next_id, 30));
      next_id += 30;
      // TRUNCATE empties the log, so the next commit writes it again from its header.
      EXPECT_EQ(scalar(writer.get(), "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
      exec(writer.get(), "DELETE FROM t WHERE id % 7 = 0");
    }
    rows = scalar(writer.get(), "SELECT count(*) FROM t");
  }
  Db reopened = open(path, nullptr);
  EXPECT_EQ(scalar(reopened.get(), "SELECT count(*) FROM t"), rows);
  sqlite3_stmt* check = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(reopened.get(), "PRAGMA integrity_check", -1, &check, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok");
  sqlite3_finalize(check);
}

TEST(WalWriteGathering, ARolledBackTransactionThatSpilledLeavesNoTrace) {
  ferr::testing::TempDir dir("wal");
  const std::string path = dir.file("gather.db");
  Db writer = open_gathering(path);
  exec(writer.get(), insert_rows(0, 10));
  // A cache of ten pages makes a large transaction spill frames into the log before it ends.
  exec(writer.get(), "PRAGMA cache_size=10");
  exec(writer.get(), "BEGIN");
  for (int i = 100; i < 400; ++i)
    exec(writer.get(),
         "INSERT INTO t (id, body) VALUES (" + std::to_string(i) + ", printf('%.*c', 1500, 'y'))");
  EXPECT_EQ(scalar(writer.get(), "SELECT count(*) FROM t"), 310);  // read back through the log
  exec(writer.get(), "ROLLBACK");
  exec(writer.get(), insert_rows(10, 5));
  Db reader = open(path, nullptr);
  EXPECT_EQ(scalar(reader.get(), "SELECT count(*) FROM t"), 15);
  EXPECT_EQ(scalar(reader.get(), "SELECT count(*) FROM t WHERE body LIKE 'y%'"), 0);
}

TEST(WalWriteGathering, OtherFilesAreTheDefaultVfsOwn) {
  ferr::testing::TempDir dir("wal");
  const std::string path = dir.file("plain.db");
  Db db = open(path, wal_write_gathering_vfs());
  // A rollback journal, not a log: nothing is gathered.
  exec(db.get(), "PRAGMA journal_mode=DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY)");
  const WalWriteCounts before = wal_write_counts();
  exec(db.get(), "INSERT INTO t VALUES (1)");
  const WalWriteCounts after = wal_write_counts();
  EXPECT_EQ(after.asked, before.asked);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(scalar(open(path, nullptr).get(), "SELECT count(*) FROM t"), 1);
}

}  // namespace
}  // namespace ferr::storage::sqlite
