#include "storage/postgres/transaction.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/try.hpp"
#include "database_test.hpp"
#include "storage/postgres/errors.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;

class TransactionTest : public DatabaseTest {
 protected:
  void SetUp() override {
    auto conn = connect();
    ASSERT_TRUE(conn);
    exec(*conn, "CREATE TABLE ledger (k text PRIMARY KEY, v bigint NOT NULL)");
  }
  std::string rows() { return pgtest::admin_scalar(db_.url(), "SELECT count(*) FROM ledger"); }
  std::uint64_t round_trips() const { return pool_.stats().round_trips; }

  static std::vector<Statement> insert(const char* key, int value) {
    std::vector<Statement> statements;
    statements.push_back({"INSERT INTO ledger VALUES ($1, $2) RETURNING v", {key, value}});
    return statements;
  }

  Pool pool_{pool_options(2)};
};

TEST_F(TransactionTest, ReadThenCommitWithTheWritesIsTwoRoundTrips) {
  const auto before = round_trips();
  auto r = run<std::int64_t>([&] {
    return in_transaction(
        pool_, [](Transaction& tx) -> asio::awaitable<core::Result<std::int64_t>> {
          // BEGIN travels with this statement…
          FERR_CO_TRY(auto read, co_await tx.query("SELECT count(*) FROM ledger WHERE v > $1", 0));
          FERR_CO_TRY(const std::int64_t count, read.int64(0, 0));
          // … and COMMIT with these.
          FERR_CO_TRY(auto written, co_await tx.commit_with(insert("a", 1)));
          FERR_CO_TRY(const std::int64_t v, written[0].int64(0, 0));
          co_return count + v;
        });
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(*r, 1);
  EXPECT_EQ(rows(), "1");
  EXPECT_EQ(round_trips() - before, 2u);
  EXPECT_EQ(pool_.stats().idle, 1u);  // back in the pool, outside any transaction
}

TEST_F(TransactionTest, ATransactionSentWholeIsOneRoundTrip) {
  const auto before = round_trips();
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
      std::vector<Statement> all = insert("a", 1);
      all.push_back({"INSERT INTO ledger VALUES ($1, $2) RETURNING v", {"b", 2}});
      FERR_CO_CHECK(co_await tx.commit_with(std::move(all)));  // BEGIN, both, COMMIT
      co_return core::Result<void>{};
    });
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(rows(), "2");
  EXPECT_EQ(round_trips() - before, 1u);
}

TEST_F(TransactionTest, ABodyThatCommitsNothingItselfIsCommitted) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
      FERR_CO_CHECK(co_await tx.query("INSERT INTO ledger VALUES ($1, $2)", "a", 1));
      co_return core::Result<void>{};
    });
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(rows(), "1");
  EXPECT_EQ(pool_.stats().idle, 1u);
}

TEST_F(TransactionTest, RollsBackWhenTheBodyFails) {
  const auto before = round_trips();
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
      FERR_CO_CHECK(co_await tx.query("INSERT INTO ledger VALUES ($1, $2)", "a", 1));
      co_return core::fail(core::Error::make(core::ErrorCode::org_last_owner, "refused"));
    });
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::org_last_owner);  // the body's own error
  EXPECT_EQ(rows(), "0");
  EXPECT_EQ(round_trips() - before, 2u);  // BEGIN + insert | ROLLBACK
  EXPECT_EQ(pool_.stats().idle, 1u);      // rolled back, so the connection is reused
}

TEST_F(TransactionTest, ABodyThatFailsBeforeSendingAnythingSendsNothing) {
  const auto before = round_trips();
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction&) -> asio::awaitable<core::Result<void>> {
      co_return core::fail(core::Error::make(core::ErrorCode::org_last_owner, "refused"));
    });
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(round_trips() - before, 0u);
}

TEST_F(TransactionTest, AFailureInTheCommittingPipelineRollsBackEverything) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
      FERR_CO_CHECK(co_await tx.query("INSERT INTO ledger VALUES ($1, $2)", "a", 1));
      std::vector<Statement> writes = insert("b", 2);
      writes.push_back({"INSERT INTO ledger VALUES ($1, $2) RETURNING v", {"a", 3}});  // taken
      FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));
      co_return core::Result<void>{};
    });
  });
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_unique_violation(r.error()));
  EXPECT_EQ(constraint_of(r.error()), "ledger_pkey");
  EXPECT_EQ(rows(), "0");
  EXPECT_EQ(pool_.stats().idle, 1u);  // ROLLBACK sent: reusable
}

TEST_F(TransactionTest, ABodyThatIgnoresAFailedStatementCannotCommit) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
      co_await tx.query("INSERT INTO ledger VALUES ($1, 0)", "a");
      co_await tx.query("INSERT INTO ledger VALUES ($1, 0)", "a");  // fails, ignored
      co_return core::Result<void>{};
    });
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(rows(), "0");
}

TEST_F(TransactionTest, ABodyThatThrowsLeavesTheConnectionToBeClosedByItsLease) {
  EXPECT_THROW(run<void>([&] {
                 return in_transaction(
                     pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
                       FERR_CO_CHECK(co_await tx.query("INSERT INTO ledger VALUES ($1, 0)", "a"));
                       throw std::runtime_error("boom");
                     });
               }),
               std::runtime_error);
  EXPECT_EQ(rows(), "0");
  EXPECT_EQ(pool_.stats().idle, 0u);  // closed, which rolled back on the server
  EXPECT_EQ(pool_.stats().open, 0u);
}

TEST_F(TransactionTest, UsesTheRequestedIsolationLevel) {
  auto r = run<std::string>([&] {
    return in_transaction(
        pool_,
        [](Transaction& tx) -> asio::awaitable<core::Result<std::string>> {
          FERR_CO_TRY(auto level, co_await tx.query("SHOW transaction_isolation"));
          co_return level.string(0, 0);
        },
        Isolation::serializable);
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(*r, "serializable");
}

TEST_F(TransactionTest, PipelinesInsideATransactionCommitTogether) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
      std::vector<Statement> batch;
      batch.reserve(20);
      for (int i = 0; i < 20; ++i) {
        batch.push_back({"INSERT INTO ledger VALUES ($1, $2)", {"k" + std::to_string(i), i}});
      }
      FERR_CO_CHECK(co_await tx.pipeline(std::move(batch)));
      co_return core::Result<void>{};
    });
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(rows(), "20");
}

}  // namespace
}  // namespace ferr::storage::postgres
