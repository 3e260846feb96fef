// Pool::shared_query and Connection::pipelined_query: the short statements of one thread's
// concurrent requests pipelined on one connection.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "core/task.hpp"
#include "database_test.hpp"
#include "storage/postgres/pool.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class SharedQueryTest : public DatabaseTest {
 protected:
  PoolOptions shared_options(std::size_t max_size, std::size_t shared) const {
    PoolOptions options = pool_options(max_size);
    options.shared_connections = shared;
    return options;
  }

  // The backend serving this thread's shared connection (and a first call that leases it).
  std::int64_t shared_pid(Pool& pool, std::size_t thread = 0) {
    auto r =
        run<QueryResult>([&] { return pool.shared_query("SELECT pg_backend_pid()", {}); }, thread);
    EXPECT_TRUE(r) << r.error().log_detail;
    return r ? r->int64(0, 0).value() : -1;
  }

  // Starts `sqls[i]` with parameter `params[i]` as concurrent calls on I/O thread `thread`, all
  // in one turn of its event loop, and returns their results in order.
  std::vector<core::Result<QueryResult>> concurrently(Pool& pool,
                                                      const std::vector<std::string>& sqls,
                                                      const std::vector<std::int64_t>& params,
                                                      std::size_t thread = 0) {
    std::vector<std::optional<core::Result<QueryResult>>> results(sqls.size());
    std::size_t finished = 0;
    std::promise<void> done;
    asio::post(io_.executor(thread), [&] {
      for (std::size_t i = 0; i < sqls.size(); ++i) {
        asio::co_spawn(
            io_.executor(thread),
            [&, i]() -> asio::awaitable<void> {
              results[i] = co_await pool.shared_query(sqls[i], params[i]);
              if (++finished == sqls.size()) done.set_value();
            },
            asio::detached);
      }
    });
    EXPECT_EQ(done.get_future().wait_for(60s), std::future_status::ready);
    std::vector<core::Result<QueryResult>> out;
    for (auto& r : results) out.push_back(std::move(r).value());
    return out;
  }
};

TEST_F(SharedQueryTest, ConcurrentCallsOfOneThreadShareOneConnectionAndEachGetsItsOwnAnswer) {
  Pool pool(shared_options(4, 2));
  const std::int64_t pid = shared_pid(pool);
  std::vector<std::string> sqls(50, "SELECT $1::bigint * 2, pg_backend_pid()");
  std::vector<std::int64_t> params;
  for (std::int64_t i = 0; i < 50; ++i) params.push_back(i);

  auto results = concurrently(pool, sqls, params);

  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i]) << i << ": " << results[i].error().log_detail;
    EXPECT_EQ(results[i]->int64(0, 0).value(), 2 * params[i]);
    EXPECT_EQ(results[i]->int64(0, 1).value(), pid);  // no call leased a connection of its own
  }
  PoolStats stats = pool.stats();
  EXPECT_EQ(stats.open, 1u);
  EXPECT_EQ(stats.idle, 0u);  // the shared connection stays out of the pool
  EXPECT_EQ(stats.round_trips, 51u);
}

TEST_F(SharedQueryTest, EachThreadHasItsOwnConnectionAndThreadsBeyondTheLimitUseThePool) {
  Pool pool(shared_options(4, 1));
  const std::int64_t first = shared_pid(pool, 0);
  EXPECT_EQ(shared_pid(pool, 0), first);
  const std::int64_t second = shared_pid(pool, 1);  // a plain query: leased and given back
  EXPECT_NE(second, first);
  PoolStats stats = pool.stats();
  EXPECT_EQ(stats.open, 2u);
  EXPECT_EQ(stats.idle, 1u);
}

TEST_F(SharedQueryTest, AFailingStatementFailsOnlyItsOwnCall) {
  Pool pool(shared_options(4, 2));
  const std::int64_t pid = shared_pid(pool);
  std::vector<std::string> sqls(20, "SELECT 100 / $1::int");
  std::vector<std::int64_t> params(20, 5);
  params[7] = 0;  // division by zero

  auto results = concurrently(pool, sqls, params);

  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i == 7) {
      ASSERT_FALSE(results[i]);
      EXPECT_NE(results[i].error().log_detail.find("division by zero"), std::string::npos)
          << results[i].error().log_detail;
    } else {
      ASSERT_TRUE(results[i]) << i << ": " << results[i].error().log_detail;
      EXPECT_EQ(results[i]->int64(0, 0).value(), 20);
    }
  }
  EXPECT_EQ(shared_pid(pool), pid);  // the connection is still the same, and still usable
}

TEST_F(SharedQueryTest, AFailedPreparationIsForgottenAndTheTextPreparedAgainLater) {
  Pool pool(shared_options(4, 2));
  shared_pid(pool);
  // Prepared before its table exists: the preparation fails, then succeeds once it exists.
  auto missing =
      run<QueryResult>([&] { return pool.shared_query("SELECT count(*) + $1 FROM later", 1); });
  ASSERT_FALSE(missing);
  exec(*connect(), "CREATE TABLE later (x int)");
  auto found =
      run<QueryResult>([&] { return pool.shared_query("SELECT count(*) + $1 FROM later", 1); });
  ASSERT_TRUE(found) << found.error().log_detail;
  EXPECT_EQ(found->int64(0, 0).value(), 1);
}

TEST_F(SharedQueryTest, ATimeoutFailsTheCallsBehindItAndTheNextCallConnectsAnew) {
  PoolOptions options = shared_options(4, 2);
  options.connection.query_timeout = 300ms;
  Pool pool(options);
  const std::int64_t pid = shared_pid(pool);
  std::vector<std::string> sqls{"SELECT pg_sleep($1)", "SELECT $1::int", "SELECT $1::int"};

  auto results = concurrently(pool, sqls, {30, 1, 2});

  for (const auto& r : results) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::service_unavailable) << r.error().log_detail;
  }
  const std::int64_t next = shared_pid(pool);
  EXPECT_NE(next, pid);
  EXPECT_NE(next, -1);
  // The timed-out session was closed (so the server stops its statement).
  EXPECT_TRUE(eventually([&] {
    return pgtest::admin_scalar(db_.url(), "SELECT count(*) FROM pg_stat_activity WHERE pid = " +
                                               std::to_string(pid)) == "0";
  }));
}

TEST_F(SharedQueryTest, AConnectionClosedByTheServerWhileUnusedIsMadeAnew) {
  Pool pool(shared_options(4, 2));
  const std::int64_t pid = shared_pid(pool);
  pgtest::admin_scalar(db_.url(), "SELECT pg_terminate_backend(" + std::to_string(pid) +
                                      ", 10000)");  // waits until the session has ended
  const std::int64_t next = shared_pid(pool);
  EXPECT_NE(next, pid);
  EXPECT_NE(next, -1);
}

TEST_F(SharedQueryTest, CallsDestroyedWithTheirEventLoopBreakTheConnectionForTheNextCall) {
  Pool pool(shared_options(4, 1));
  // The first call in line waits for a lock the test holds; the calls behind it are sent too.
  pgtest::AdminSession holder(db_.url());
  holder.scalar("SELECT pg_advisory_lock(42)");
  std::int64_t pid = 0;
  {
    asio::io_context loop(1);
    auto first = core::run_to_completion(pool.shared_query("SELECT pg_backend_pid()", {}));
    ASSERT_TRUE(first) << first.error().log_detail;
    pid = first->int64(0, 0).value();
    int finished = 0;
    auto call = [&](std::string sql) -> asio::awaitable<void> {
      std::vector<Param> none;
      (void)co_await pool.shared_query(sql, std::move(none));
      ++finished;
    };
    asio::co_spawn(loop, call("SELECT pg_advisory_lock(42)"), asio::detached);
    for (int i = 0; i < 3; ++i) asio::co_spawn(loop, call("SELECT 1"), asio::detached);
    loop.poll();  // each call sends its statement, then waits for its answer
    ASSERT_TRUE(eventually([&] {
      return pgtest::admin_scalar(db_.url(),
                                  "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type "
                                  "= 'Lock' AND pid = " +
                                      std::to_string(pid)) == "1";
    }));
    EXPECT_EQ(finished, 0);
  }  // the loop is destroyed with the four calls suspended in it
  holder.scalar("SELECT pg_advisory_unlock(42)");

  auto next = core::run_to_completion(pool.shared_query("SELECT pg_backend_pid()", {}));
  ASSERT_TRUE(next) << next.error().log_detail;
  EXPECT_NE(next->int64(0, 0).value(), pid);  // the broken connection was not used again
}

}  // namespace
}  // namespace ferr::storage::postgres
