// Reconnection and outages, on clusters of the tests' own (the shared one is never disturbed).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "pg_test_support.hpp"
#include "run_on.hpp"
#include "storage/postgres/pool.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class OutageTest : public ::testing::Test {
 protected:
  PoolOptions options() const {
    PoolOptions o;
    o.connection.url = cluster_.url();
    o.connection.connect_timeout = 3s;
    o.connection.query_timeout = 10s;
    o.max_size = 2;
    o.acquire_timeout = 3s;
    return o;
  }
  core::Result<std::int64_t> backend_pid(Pool& pool) {
    return pgtest::run_on<std::int64_t>(io_.executor(0),
                                        [&]() -> asio::awaitable<core::Result<std::int64_t>> {
                                          auto r = co_await pool.query("SELECT pg_backend_pid()");
                                          if (!r) co_return core::fail(r.error());
                                          co_return r->int64(0, 0);
                                        });
  }

  pgtest::PrivateCluster cluster_;
  pgtest::IoThreads io_{2};
};

TEST_F(OutageTest, TheNextQueryAfterARestartSucceedsOnANewConnection) {
  Pool pool(options());
  auto before = backend_pid(pool);
  ASSERT_TRUE(before) << before.error().log_detail;
  const std::string url = cluster_.url();

  cluster_.restart();
  ASSERT_EQ(cluster_.url(), url);  // same port: the pool's settings still hold

  auto after = backend_pid(pool);  // same pool, nothing recreated
  ASSERT_TRUE(after) << after.error().log_detail;
  EXPECT_NE(*after, *before);
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST_F(OutageTest, WhileTheServerIsDownQueriesFailFastWithServiceUnavailable) {
  Pool pool(options());
  ASSERT_TRUE(backend_pid(pool));
  cluster_.stop();

  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto started = Clock::now();
    auto r = backend_pid(pool);
    const auto elapsed = Clock::now() - started;
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::service_unavailable);
    EXPECT_EQ(r.error().retry_after_seconds, 1);
    EXPECT_LT(elapsed, 3s) << "attempt " << attempt;  // within the connect timeout
  }
  EXPECT_EQ(pool.stats().open, 0u);

  // Many requests at once while it is down: every one answers, none hangs or crashes.
  constexpr int kRequests = 50;
  std::atomic<int> unavailable{0};
  std::atomic<int> finished{0};
  std::promise<void> all_finished;
  for (int i = 0; i < kRequests; ++i) {
    asio::co_spawn(
        io_.executor(i % 2),
        [&]() -> asio::awaitable<void> {
          auto r = co_await pool.query("SELECT 1");
          if (!r && r.error().code == core::ErrorCode::service_unavailable) ++unavailable;
          if (++finished == kRequests) all_finished.set_value();
        },
        asio::detached);
  }
  ASSERT_EQ(all_finished.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(unavailable.load(), kRequests);
  EXPECT_EQ(pool.stats().open, 0u);
  EXPECT_EQ(pool.stats().waiting, 0u);
}

TEST_F(OutageTest, APoolMadeWhileTheServerIsDownFailsFast) {
  PoolOptions o = options();
  cluster_.stop();
  Pool pool(o);
  const auto started = Clock::now();
  auto r = backend_pid(pool);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::service_unavailable);
  EXPECT_LT(Clock::now() - started, 3s);
}

}  // namespace
}  // namespace ferr::storage::postgres
