#pragma once
/// The fixture of most PostgreSQL tests: two I/O threads and a scratch database of the test's own.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "pg_test_support.hpp"
#include "run_on.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/pool.hpp"

namespace ferr::storage::postgres {

class DatabaseTest : public ::testing::Test {
 protected:
  /// Connection settings for the scratch database, with an application name unique to the test.
  ConnectOptions connect_options() const {
    ConnectOptions options;
    options.url = db_.url();
    options.connect_timeout = std::chrono::seconds(5);
    options.query_timeout = std::chrono::seconds(10);
    options.application_name = application_name_;
    return options;
  }

  PoolOptions pool_options(std::size_t max_size) const {
    PoolOptions options;
    options.connection = connect_options();
    options.max_size = max_size;
    options.acquire_timeout = std::chrono::seconds(10);
    return options;
  }

  /// Runs a coroutine on I/O thread `thread` and waits for it (the test thread is no I/O thread).
  template <typename T, typename F>
  core::Result<T> run(F make_awaitable, std::size_t thread = 0) {
    return pgtest::run_on<T>(io_.executor(thread), std::move(make_awaitable));
  }

  /// A new connection to the scratch database (null, with a test failure, if that fails).
  std::unique_ptr<Connection> connect() {
    auto made = run<std::unique_ptr<Connection>>(
        [options = connect_options()] { return Connection::connect(options); });
    EXPECT_TRUE(made.has_value()) << made.error().log_detail;
    return made ? std::move(*made) : nullptr;
  }

  /// Runs `sql` on `c`, expecting success.
  QueryResult exec(Connection& c, std::string_view sql) {
    auto result = run<QueryResult>([&] { return c.query(sql); });
    EXPECT_TRUE(result.has_value()) << sql << ": " << result.error().log_detail;
    return result ? std::move(*result) : QueryResult{};
  }

  /// Polls `condition` until it holds or `timeout` passes; true when it held.
  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (condition()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
  }

  pgtest::IoThreads io_{2};
  pgtest::ScratchDatabase db_;
  std::string application_name_ = pgtest::test_identifier("app");
};

}  // namespace ferr::storage::postgres
