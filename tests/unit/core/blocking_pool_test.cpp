#include "core/blocking_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace ferr::core {
namespace {

namespace asio = boost::asio;

// Runs `body` as a coroutine on `io` (driven by this thread) and rethrows what escapes it.
template <typename Body>
void run_on(asio::io_context& io, Body body) {
  std::exception_ptr escaped;
  bool finished = false;
  asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) {
    escaped = e;
    finished = true;
  });
  io.run();
  ASSERT_TRUE(finished);
  if (escaped) std::rethrow_exception(escaped);
}

TEST(RunBlocking, RunsOnAPoolThreadAndResumesOnTheIoThread) {
  asio::io_context io;
  BlockingPool pool(2);
  const auto io_thread = std::this_thread::get_id();
  std::thread::id work_thread, resumed_thread;
  bool resumed_in_io_context = false;
  int value = 0;

  run_on(io, [&]() -> asio::awaitable<void> {
    value = co_await run_blocking(pool, [&] {
      work_thread = std::this_thread::get_id();
      return 42;
    });
    resumed_thread = std::this_thread::get_id();
    resumed_in_io_context = io.get_executor().running_in_this_thread();
  });

  EXPECT_EQ(value, 42);
  EXPECT_NE(work_thread, std::thread::id{});
  EXPECT_NE(work_thread, io_thread);
  EXPECT_EQ(resumed_thread, io_thread);
  EXPECT_TRUE(resumed_in_io_context);
}

TEST(RunBlocking, PropagatesExceptionsToTheAwaitingCoroutine) {
  asio::io_context io;
  BlockingPool pool(1);
  const auto io_thread = std::this_thread::get_id();
  std::string caught;
  std::thread::id caught_on;

  run_on(io, [&]() -> asio::awaitable<void> {
    try {
      co_await run_blocking(pool, []() -> int { throw std::runtime_error("disk on fire"); });
    } catch (const std::runtime_error& e) {
      caught = e.what();
      caught_on = std::this_thread::get_id();
    }
  });

  EXPECT_EQ(caught, "disk on fire");
  EXPECT_EQ(caught_on, io_thread);
}

TEST(RunBlocking, MovesMoveOnlyResults) {
  asio::io_context io;
  BlockingPool pool(1);
  std::unique_ptr<std::string> result;

  run_on(io, [&]() -> asio::awaitable<void> {
    result = co_await run_blocking(pool, [] { return std::make_unique<std::string>("moved"); });
  });

  ASSERT_NE(result, nullptr);
  EXPECT_EQ(*result, "moved");
}

TEST(RunBlocking, SequentialCallsEachComplete) {
  asio::io_context io;
  BlockingPool pool(1);
  int total = 0;

  run_on(io, [&]() -> asio::awaitable<void> {
    for (int i = 1; i <= 10; ++i) total += co_await run_blocking(pool, [i] { return i; });
  });

  EXPECT_EQ(total, 55);
}

}  // namespace
}  // namespace ferr::core
