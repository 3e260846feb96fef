#include "storage/postgres/query_result.hpp"

#include <gtest/gtest.h>

#include "database_test.hpp"

namespace ferr::storage::postgres {
namespace {

class QueryResultTest : public DatabaseTest {
 protected:
  void SetUp() override {
    conn_ = connect();
    ASSERT_TRUE(conn_);
    result_ = exec(*conn_,
                   "SELECT 'text' AS s, 12::int4 AS i, NULL::text AS n, true AS b, "
                   "2.5::float8 AS d, 'abc'::text AS bad, 9223372036854775807::int8 AS big");
  }
  std::unique_ptr<Connection> conn_;
  QueryResult result_;
};

TEST_F(QueryResultTest, ReadsTypedValues) {
  ASSERT_EQ(result_.rows(), 1);
  ASSERT_EQ(result_.columns(), 7);
  EXPECT_EQ(result_.column_name(1), "i");
  EXPECT_EQ(result_.string(0, 0).value(), "text");
  EXPECT_EQ(result_.int64(0, 1).value(), 12);
  EXPECT_TRUE(result_.boolean(0, 3).value());
  EXPECT_EQ(result_.real(0, 4).value(), 2.5);
  EXPECT_EQ(result_.int64(0, 6).value(), 9223372036854775807);
  EXPECT_EQ(result_.text(0, 0), "text");
}

TEST_F(QueryResultTest, NullIsAnErrorUnlessAskedAsOptional) {
  EXPECT_TRUE(result_.is_null(0, 2));
  EXPECT_FALSE(result_.is_null(0, 0));
  EXPECT_FALSE(result_.string(0, 2));
  EXPECT_FALSE(result_.int64(0, 2));
  EXPECT_EQ(result_.optional_string(0, 2).value(), std::nullopt);
  EXPECT_EQ(result_.optional_int64(0, 2).value(), std::nullopt);
  EXPECT_EQ(result_.optional_int64(0, 1).value(), 12);
  EXPECT_EQ(result_.optional_string(0, 0).value(), "text");
}

TEST_F(QueryResultTest, MalformedOrMissingValuesAreErrorsNamingTheColumn) {
  auto bad = result_.int64(0, 5);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, core::ErrorCode::internal_database);
  EXPECT_NE(bad.error().log_detail.find("(bad)"), std::string::npos) << bad.error().log_detail;
  EXPECT_FALSE(result_.boolean(0, 0));
  EXPECT_FALSE(result_.real(0, 5));
  EXPECT_FALSE(result_.string(1, 0));   // no such row
  EXPECT_FALSE(result_.string(0, 99));  // no such column
  EXPECT_FALSE(result_.optional_string(0, 99));
  EXPECT_TRUE(result_.is_null(5, 5));
}

TEST_F(QueryResultTest, CountsAffectedRowsAndKeepsTheCommandTag) {
  exec(*conn_, "CREATE TABLE t (x int)");
  QueryResult inserted = exec(*conn_, "INSERT INTO t SELECT generate_series(1, 5)");
  EXPECT_EQ(inserted.affected_rows(), 5);
  EXPECT_EQ(inserted.command_tag(), "INSERT 0 5");
  EXPECT_EQ(exec(*conn_, "SELECT 1").affected_rows(), 1);  // SELECT reports its row count
  EXPECT_EQ(exec(*conn_, "CREATE TABLE u (y int)").affected_rows(), 0);
  QueryResult empty;
  EXPECT_EQ(empty.rows(), 0);
  EXPECT_EQ(empty.affected_rows(), 0);
}

}  // namespace
}  // namespace ferr::storage::postgres
