#include "storage/postgres/transaction.hpp"

#include <gtest/gtest.h>

#include <string>

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

  Pool pool_{pool_options(2)};
};

TEST_F(TransactionTest, CommitsWhenTheBodySucceeds) {
  auto r = run<std::int64_t>([&] {
    return in_transaction(pool_, [](Connection& c) -> asio::awaitable<core::Result<std::int64_t>> {
      if (auto a = co_await c.query("INSERT INTO ledger VALUES ($1, $2)", "a", 1); !a) {
        co_return core::fail(a.error());
      }
      auto b = co_await c.query("INSERT INTO ledger VALUES ($1, $2) RETURNING v", "b", 2);
      if (!b) co_return core::fail(b.error());
      co_return b->int64(0, 0);
    });
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(*r, 2);
  EXPECT_EQ(rows(), "2");
  EXPECT_EQ(pool_.stats().idle, 1u);  // back in the pool, outside any transaction
}

TEST_F(TransactionTest, RollsBackWhenTheBodyFails) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Connection& c) -> asio::awaitable<core::Result<void>> {
      if (auto a = co_await c.query("INSERT INTO ledger VALUES ($1, $2)", "a", 1); !a) {
        co_return core::fail(a.error());
      }
      co_return core::fail(core::Error::make(core::ErrorCode::org_last_owner, "refused"));
    });
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::org_last_owner);  // the body's own error
  EXPECT_EQ(rows(), "0");
  EXPECT_EQ(pool_.stats().idle, 1u);
}

TEST_F(TransactionTest, AConstraintViolationRollsBackAndKeepsItsSqlstate) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Connection& c) -> asio::awaitable<core::Result<void>> {
      for (const char* key : {"a", "b", "a"}) {
        if (auto inserted = co_await c.query("INSERT INTO ledger VALUES ($1, 0)", key); !inserted) {
          co_return core::fail(inserted.error());
        }
      }
      co_return core::Result<void>{};
    });
  });
  ASSERT_FALSE(r);
  EXPECT_TRUE(is_unique_violation(r.error()));
  EXPECT_EQ(constraint_of(r.error()), "ledger_pkey");
  EXPECT_EQ(rows(), "0");
}

TEST_F(TransactionTest, ABodyThatIgnoresAFailedStatementCannotCommit) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Connection& c) -> asio::awaitable<core::Result<void>> {
      co_await c.query("INSERT INTO ledger VALUES ($1, 0)", "a");
      co_await c.query("INSERT INTO ledger VALUES ($1, 0)", "a");  // fails, ignored
      co_return core::Result<void>{};
    });
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(rows(), "0");
}

TEST_F(TransactionTest, UsesTheRequestedIsolationLevel) {
  auto r = run<std::string>([&] {
    return in_transaction(
        pool_,
        [](Connection& c) -> asio::awaitable<core::Result<std::string>> {
          auto level = co_await c.query("SHOW transaction_isolation");
          if (!level) co_return core::fail(level.error());
          co_return level->string(0, 0);
        },
        Isolation::serializable);
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(*r, "serializable");
}

TEST_F(TransactionTest, PipelinesInsideATransactionCommitTogether) {
  auto r = run<void>([&] {
    return in_transaction(pool_, [](Connection& c) -> asio::awaitable<core::Result<void>> {
      std::vector<Statement> batch;
      batch.reserve(20);
      for (int i = 0; i < 20; ++i) {
        batch.push_back({"INSERT INTO ledger VALUES ($1, $2)", {"k" + std::to_string(i), i}});
      }
      auto done = co_await c.pipeline(std::move(batch));
      if (!done) co_return core::fail(done.error());
      co_return core::Result<void>{};
    });
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(rows(), "20");
}

}  // namespace
}  // namespace ferr::storage::postgres
