#include "storage/postgres/sync_bridge.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include <stdexcept>
#include <thread>

#include "database_test.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;

class SyncBridgeTest : public DatabaseTest {};

TEST_F(SyncBridgeTest, RunsTheCoroutineOnTheIoThreadAndReturnsItsValue) {
  Pool pool(pool_options(2));
  std::thread::id ran_on;
  // What a synchronous repository method on the blocking pool would do.
  core::Result<std::int64_t> r =
      run_sync<std::int64_t>(io_.executor(1), [&]() -> asio::awaitable<core::Result<std::int64_t>> {
        ran_on = std::this_thread::get_id();
        auto q = co_await pool.query("SELECT $1::bigint * 2", 21);
        if (!q) co_return core::fail(q.error());
        co_return q->int64(0, 0);
      });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(*r, 42);
  EXPECT_EQ(ran_on, io_.thread_id(1));
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST_F(SyncBridgeTest, ReturnsErrorsAsValues) {
  Pool pool(pool_options(1));
  auto r = run_sync<QueryResult>(io_.executor(0), [&] { return pool.query("SELEC"); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_database);
}

TEST_F(SyncBridgeTest, WorksForResultsWithoutAValue) {
  auto r = run_sync<void>(io_.executor(0), []() -> asio::awaitable<core::Result<void>> {
    co_return core::Result<void>{};
  });
  EXPECT_TRUE(r);
}

TEST_F(SyncBridgeTest, TurnsAnEscapingExceptionIntoAnInternalError) {
  auto r = run_sync<int>(io_.executor(0), []() -> asio::awaitable<core::Result<int>> {
    throw std::runtime_error("boom");
    co_return 1;
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_server_error);
  EXPECT_NE(r.error().log_detail.find("boom"), std::string::npos);
}

TEST_F(SyncBridgeTest, FromManyBlockingThreadsAtOnce) {
  Pool pool(pool_options(3));
  std::vector<std::thread> callers;
  callers.reserve(8);
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    callers.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto r = run_sync<QueryResult>(io_.executor(static_cast<std::size_t>(t % 2)),
                                       [&] { return pool.query("SELECT $1::int", i); });
        if (r && r->int64(0, 0).value_or(-1) == i) ++ok;
      }
    });
  }
  for (auto& c : callers) c.join();
  EXPECT_EQ(ok.load(), 160);
  EXPECT_LE(pool.stats().peak_open, 3u);
}

#ifndef NDEBUG
TEST(SyncBridgeDeathTest, AssertsWhenCalledFromAnIoThread) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        asio::io_context io;
        asio::post(io, [&] {
          run_sync<int>(io.get_executor(),
                        []() -> asio::awaitable<core::Result<int>> { co_return 1; });
        });
        io.run();
      },
      "I/O thread");
}
#endif

}  // namespace
}  // namespace ferr::storage::postgres
