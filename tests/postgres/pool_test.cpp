#include "storage/postgres/pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/task.hpp"
#include "database_test.hpp"
#include "storage/postgres/transaction.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class PoolTest : public DatabaseTest {
 protected:
  core::Result<Lease> acquire(Pool& pool, std::size_t thread = 0) {
    return run<Lease>([&] { return pool.acquire(); }, thread);
  }
  std::int64_t pid_of(Lease& lease) {
    auto r = run<QueryResult>([&] { return lease->query("SELECT pg_backend_pid()"); });
    EXPECT_TRUE(r) << r.error().log_detail;
    return r ? r->int64(0, 0).value() : -1;
  }
  std::string sessions_of_this_test() {
    return pgtest::admin_scalar(db_.url(),
                                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" +
                                    application_name_ + "'");
  }
};

TEST_F(PoolTest, ManyConcurrentQueriesFromTwoIoThreadsStayWithinTheBound) {
  Pool pool(pool_options(4));
  constexpr int kQueries = 200;
  std::mutex mutex;
  std::vector<std::int64_t> sessions_seen;
  std::vector<std::string> failures;
  std::set<std::thread::id> threads;
  std::atomic<int> finished{0};
  std::promise<void> all_finished;

  for (int i = 0; i < kQueries; ++i) {
    asio::co_spawn(
        io_.executor(i % 2),
        [&]() -> asio::awaitable<void> {
          // Each query counts, on the server, the sessions of this pool while it runs.
          auto r = co_await pool.query(
              "SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = $1), "
              "pg_sleep(0.002)",
              application_name_);
          {
            std::lock_guard lock(mutex);
            threads.insert(std::this_thread::get_id());
            if (r) {
              sessions_seen.push_back(r->int64(0, 0).value_or(-1));
            } else {
              failures.push_back(r.error().log_detail);
            }
          }
          if (++finished == kQueries) all_finished.set_value();
        },
        asio::detached);
  }
  ASSERT_EQ(all_finished.get_future().wait_for(60s), std::future_status::ready);

  EXPECT_TRUE(failures.empty()) << failures.front();
  ASSERT_EQ(sessions_seen.size(), static_cast<std::size_t>(kQueries));
  EXPECT_LE(*std::max_element(sessions_seen.begin(), sessions_seen.end()), 4);
  EXPECT_EQ(threads.size(), 2u);
  PoolStats stats = pool.stats();
  EXPECT_EQ(stats.peak_open, 4u);  // 200 waiting queries fill the pool, and never more
  EXPECT_EQ(stats.open, 4u);
  EXPECT_EQ(stats.idle, 4u);
  EXPECT_EQ(stats.waiting, 0u);
  EXPECT_EQ(sessions_of_this_test(), "4");
}

TEST_F(PoolTest, TransactionsFromTwoIoThreadsShareTwoConnections) {
  // Each connection is leased on one thread and handed, when its lease ends, to a waiter of
  // either thread; its socket waits register with whichever thread awaits it.
  {
    auto conn = connect();
    ASSERT_TRUE(conn);
    exec(*conn, "CREATE TABLE counter (id int PRIMARY KEY, n bigint NOT NULL)");
    exec(*conn, "INSERT INTO counter VALUES (1, 0)");
  }
  Pool pool(pool_options(2));
  constexpr int kTransactions = 100;
  std::atomic<int> finished{0};
  std::atomic<int> failed{0};
  std::promise<void> all_finished;
  for (int i = 0; i < kTransactions; ++i) {
    asio::co_spawn(
        io_.executor(i % 2),
        [&]() -> asio::awaitable<void> {
          auto r = co_await in_transaction(
              pool, [](Transaction& tx) -> asio::awaitable<core::Result<void>> {
                auto read = co_await tx.query("SELECT n FROM counter WHERE id = $1 FOR UPDATE", 1);
                if (!read) co_return core::fail(read.error());
                std::vector<Statement> write;
                write.push_back({"UPDATE counter SET n = $1 WHERE id = 1",
                                 {read->int64(0, 0).value_or(-1000) + 1}});
                auto written = co_await tx.commit_with(std::move(write));
                if (!written) co_return core::fail(written.error());
                co_return core::Result<void>{};
              });
          if (!r) ++failed;
          if (++finished == kTransactions) all_finished.set_value();
        },
        asio::detached);
  }
  ASSERT_EQ(all_finished.get_future().wait_for(60s), std::future_status::ready);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(pgtest::admin_scalar(db_.url(), "SELECT n FROM counter"),
            std::to_string(kTransactions));
  EXPECT_EQ(pool.stats().peak_open, 2u);
  EXPECT_EQ(pool.stats().idle, 2u);  // every transaction ended: both connections reusable
  EXPECT_EQ(pool.stats().round_trips, 2u * kTransactions);
}

TEST_F(PoolTest, WaitersOnLoopsThatEndRightAfterThemAreWokenSafely) {
  // Each thread awaits queries on an event loop of its own that ends, and is destroyed, as
  // soon as its query is done, while the thread that handed it the connection may still be
  // inside the hand-over: no reference to a waiter may outlive its loop elsewhere (ASan).
  Pool pool(pool_options(1));
  constexpr int kThreads = 8;
  constexpr int kQueriesEach = 40;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kQueriesEach; ++i) {
        if (!core::run_to_completion(pool.query("SELECT 1"))) ++failed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(pool.stats().waiting, 0u);
  EXPECT_EQ(pool.stats().idle, 1u);
}

TEST_F(PoolTest, ReusesAnIdleConnection) {
  Pool pool(pool_options(4));
  std::int64_t first = 0;
  {
    auto lease = acquire(pool);
    ASSERT_TRUE(lease) << lease.error().log_detail;
    first = pid_of(*lease);
  }
  auto again = acquire(pool, 1);  // from the other I/O thread
  ASSERT_TRUE(again);
  EXPECT_EQ(pid_of(*again), first);
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST_F(PoolTest, AcquireTimesOutWhenEveryConnectionIsBusy) {
  PoolOptions options = pool_options(1);
  options.acquire_timeout = 200ms;
  Pool pool(options);
  auto held = acquire(pool);
  ASSERT_TRUE(held) << held.error().log_detail;

  const auto started = Clock::now();
  auto second = acquire(pool, 1);
  const auto elapsed = Clock::now() - started;
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(second.error().retry_after_seconds, 1);
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 5s);
  EXPECT_EQ(pool.stats().waiting, 0u);  // the timed-out waiter left the queue

  // The lease ends on this (non-I/O) thread; the connection is then available again.
  const auto pid = pid_of(*held);
  { Lease ending = std::move(*held); }
  auto third = acquire(pool);
  ASSERT_TRUE(third) << third.error().log_detail;
  EXPECT_EQ(pid_of(*third), pid);
}

TEST_F(PoolTest, AWaitingAcquireGetsTheConnectionWhenALeaseEnds) {
  Pool pool(pool_options(1));
  auto held = acquire(pool);
  ASSERT_TRUE(held);
  const auto pid = pid_of(*held);

  auto waiting = std::async(std::launch::async, [&] { return acquire(pool, 1); });
  ASSERT_TRUE(eventually([&] { return pool.stats().waiting == 1; }));
  { Lease ending = std::move(*held); }
  auto handed = waiting.get();
  ASSERT_TRUE(handed) << handed.error().log_detail;
  EXPECT_EQ(pid_of(*handed), pid);
  EXPECT_EQ(pool.stats().peak_open, 1u);
}

TEST_F(PoolTest, ABrokenConnectionIsReplacedByTheNextAcquire) {
  Pool pool(pool_options(1));
  auto lease = acquire(pool);
  ASSERT_TRUE(lease);
  const auto pid = pid_of(*lease);
  // The server ends the session under our feet (and the call waits until it has ended).
  pgtest::admin_scalar(db_.url(),
                       "SELECT pg_terminate_backend(" + std::to_string(pid) + ", 10000)");
  auto r = run<QueryResult>([&] { return (*lease)->query("SELECT 1"); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::service_unavailable);
  EXPECT_FALSE((*lease)->usable());
  { Lease ending = std::move(*lease); }
  EXPECT_EQ(pool.stats().open, 0u);

  auto fresh = acquire(pool);
  ASSERT_TRUE(fresh) << fresh.error().log_detail;
  EXPECT_NE(pid_of(*fresh), pid);
}

TEST_F(PoolTest, AnIdleConnectionClosedByTheServerIsNotHandedOut) {
  Pool pool(pool_options(1));
  std::int64_t pid = 0;
  {
    auto lease = acquire(pool);
    ASSERT_TRUE(lease);
    pid = pid_of(*lease);
  }
  pgtest::admin_scalar(db_.url(), "SELECT pg_terminate_backend(" + std::to_string(pid) +
                                      ", 10000)");  // waits until the session has ended
  auto r = run<QueryResult>([&] { return pool.query("SELECT pg_backend_pid()"); });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_NE(r->int64(0, 0).value(), pid);
}

TEST_F(PoolTest, ALeaseEndingInsideATransactionClosesItsConnection) {
  Pool pool(pool_options(2));
  exec(*connect(), "CREATE TABLE t (x int)");
  {
    auto lease = acquire(pool);
    ASSERT_TRUE(lease);
    ASSERT_TRUE(run<QueryResult>([&] { return (*lease)->query("BEGIN"); }));
    ASSERT_TRUE(run<QueryResult>([&] { return (*lease)->query("INSERT INTO t VALUES (1)"); }));
  }
  EXPECT_EQ(pool.stats().open, 0u);
  EXPECT_EQ(pgtest::admin_scalar(db_.url(), "SELECT count(*) FROM t"), "0");  // rolled back
}

}  // namespace
}  // namespace ferr::storage::postgres
