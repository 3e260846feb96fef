#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "database_test.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/errors.hpp"

namespace ferr::storage::postgres {
namespace {

class PipelineTest : public DatabaseTest {
 protected:
  void SetUp() override {
    conn_ = connect();
    ASSERT_TRUE(conn_);
    exec(*conn_,
         "CREATE TABLE items (id bigserial PRIMARY KEY, n bigint NOT NULL UNIQUE, label text)");
  }

  core::Result<std::vector<QueryResult>> pipeline(std::vector<Statement> statements) {
    return run<std::vector<QueryResult>>([&] { return conn_->pipeline(std::move(statements)); });
  }

  std::int64_t count() { return exec(*conn_, "SELECT count(*) FROM items").int64(0, 0).value(); }

  std::unique_ptr<Connection> conn_;
};

TEST_F(PipelineTest, AThousandInsertsTakeOneRoundTrip) {
  std::vector<Statement> statements;
  statements.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    statements.push_back({"INSERT INTO items (n, label) VALUES ($1, $2) RETURNING id, n",
                          {i, "item " + std::to_string(i)}});
  }
  const auto waits_before = conn_->socket_waits();
  auto results = pipeline(std::move(statements));
  const auto waits = conn_->socket_waits() - waits_before;
  ASSERT_TRUE(results) << results.error().log_detail;
  ASSERT_EQ(results->size(), 1000u);
  std::int64_t previous_id = 0;
  for (int i = 0; i < 1000; ++i) {
    const QueryResult& r = (*results)[i];
    ASSERT_EQ(r.rows(), 1);
    EXPECT_EQ(r.affected_rows(), 1);
    EXPECT_EQ(r.int64(0, 1).value(), i);  // in the order sent
    EXPECT_GT(r.int64(0, 0).value(), previous_id);
    previous_id = r.int64(0, 0).value();
  }
  // One statement at a time would wait for the socket at least once per statement.
  EXPECT_LT(waits, 100u) << waits << " socket waits";
  EXPECT_EQ(count(), 1000);
  EXPECT_EQ(exec(*conn_, "SELECT label FROM items WHERE n = 999").string(0, 0).value(), "item 999");
  EXPECT_TRUE(conn_->idle());
}

TEST_F(PipelineTest, OneFailureRollsBackTheWholePipeline) {
  std::vector<Statement> statements = {
      {"INSERT INTO items (n) VALUES ($1)", {1}},
      {"INSERT INTO items (n) VALUES ($1)", {2}},
      {"INSERT INTO items (n) VALUES ($1)", {1}},  // duplicate
      {"INSERT INTO items (n) VALUES ($1)", {4}},
  };
  auto results = pipeline(std::move(statements));
  ASSERT_FALSE(results);
  EXPECT_TRUE(is_unique_violation(results.error()));
  EXPECT_NE(results.error().log_detail.find("pipeline statement 3"), std::string::npos)
      << results.error().log_detail;
  EXPECT_EQ(count(), 0);
  // The connection left pipeline mode cleanly and serves again.
  EXPECT_TRUE(conn_->idle());
  auto retry = pipeline({{"INSERT INTO items (n) VALUES ($1)", {1}}});
  ASSERT_TRUE(retry) << retry.error().log_detail;
  EXPECT_EQ(count(), 1);
}

TEST_F(PipelineTest, MixesQueriesAndCommandsAndKeepsTheirOrder) {
  std::vector<Statement> statements;
  statements.reserve(100);
  for (int i = 0; i < 50; ++i) {
    statements.push_back({"INSERT INTO items (n) VALUES ($1)", {i}});
    statements.push_back({"SELECT count(*), $1::text FROM items", {"after " + std::to_string(i)}});
  }
  auto results = pipeline(std::move(statements));
  ASSERT_TRUE(results) << results.error().log_detail;
  ASSERT_EQ(results->size(), 100u);
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ((*results)[2 * i].command_tag(), "INSERT 0 1");
    EXPECT_EQ((*results)[2 * i + 1].int64(0, 0).value(), static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ((*results)[2 * i + 1].string(0, 1).value(), "after " + std::to_string(i));
  }
}

TEST_F(PipelineTest, AnEmptyPipelineSendsNothing) {
  auto results = pipeline({});
  ASSERT_TRUE(results);
  EXPECT_TRUE(results->empty());
}

TEST_F(PipelineTest, ABadParameterLeavesNothingQueued) {
  auto results = pipeline(
      {{"INSERT INTO items (n) VALUES ($1)", {1}},
       {"INSERT INTO items (n, label) VALUES ($1, $2)", {2, std::string("nul\0inside", 10)}}});
  ASSERT_FALSE(results);
  EXPECT_EQ(count(), 0);
  EXPECT_TRUE(conn_->idle());
}

TEST_F(PipelineTest, PreparesEachTextOnceInsideTheSamePipelineAndReusesItsName) {
  std::vector<Statement> statements;
  for (int i = 0; i < 10; ++i) {
    statements.push_back({"INSERT INTO items (n) VALUES ($1)", {i}});
    statements.push_back({"SELECT count(*) FROM items WHERE n <= $1", {i}});
  }
  const auto trips_before = conn_->round_trips();
  auto first = pipeline(std::move(statements));
  ASSERT_TRUE(first) << first.error().log_detail;
  EXPECT_EQ(conn_->round_trips() - trips_before, 1u);  // the preparations travelled along
  EXPECT_EQ((*first)[19].int64(0, 0).value(), 10);
  // Two texts, two server-side statements, whatever the repetitions.
  EXPECT_EQ(exec(*conn_, "SELECT count(*) FROM pg_prepared_statements").int64(0, 0).value(), 2);

  auto again = pipeline({{"INSERT INTO items (n) VALUES ($1)", {100}}});
  ASSERT_TRUE(again) << again.error().log_detail;
  EXPECT_EQ(exec(*conn_, "SELECT count(*) FROM pg_prepared_statements").int64(0, 0).value(), 2);
  EXPECT_EQ(count(), 11);
}

TEST_F(PipelineTest, APreparationSkippedByAnEarlierFailureIsMadeNextTime) {
  exec(*conn_, "INSERT INTO items (n) VALUES (1)");
  // The duplicate aborts the rest of the pipeline, the preparation of the second text included.
  auto failed = pipeline({{"INSERT INTO items (n) VALUES ($1)", {1}},
                          {"UPDATE items SET label = $1 WHERE n = $2", {"x", 1}}});
  ASSERT_FALSE(failed);
  auto retried = pipeline({{"UPDATE items SET label = $1 WHERE n = $2", {"y", 1}}});
  ASSERT_TRUE(retried) << retried.error().log_detail;
  EXPECT_EQ(exec(*conn_, "SELECT label FROM items WHERE n = 1").string(0, 0).value(), "y");
}

TEST_F(PipelineTest, APreparationOutlivesTheTransactionThatMadeItRolledBack) {
  exec(*conn_, "BEGIN");
  auto inside = pipeline({{"INSERT INTO items (n) VALUES ($1)", {1}}});
  ASSERT_TRUE(inside) << inside.error().log_detail;
  exec(*conn_, "ROLLBACK");
  auto after = pipeline({{"INSERT INTO items (n) VALUES ($1)", {2}}});
  ASSERT_TRUE(after) << after.error().log_detail;  // the name still exists on the server
  EXPECT_EQ(count(), 1);
}

TEST_F(PipelineTest, RunsThroughThePool) {
  Pool pool(pool_options(2));
  std::vector<Statement> statements;
  statements.reserve(10);
  for (int i = 0; i < 10; ++i) statements.push_back({"INSERT INTO items (n) VALUES ($1)", {i}});
  auto results =
      run<std::vector<QueryResult>>([&] { return pool.pipeline(std::move(statements)); });
  ASSERT_TRUE(results) << results.error().log_detail;
  EXPECT_EQ(results->size(), 10u);
  EXPECT_EQ(count(), 10);
}

}  // namespace
}  // namespace ferr::storage::postgres
