// BackgroundLoop: one thread running one event loop until stop().

#include "core/background_loop.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "core/task.hpp"

namespace ferr::core {
namespace {

namespace asio = boost::asio;

TEST(BackgroundLoop, RunsWorkOnItsOwnThread) {
  BackgroundLoop loop;
  std::promise<std::thread::id> ran_on;
  asio::post(loop.executor(), [&] { ran_on.set_value(std::this_thread::get_id()); });
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
}

TEST(BackgroundLoop, KeepsRunningWhileIdle) {
  // The work guard keeps the loop alive between jobs: a job posted after the first one finished
  // still runs.
  BackgroundLoop loop;
  std::promise<void> first, second;
  asio::post(loop.executor(), [&] { first.set_value(); });
  first.get_future().get();
  asio::post(loop.executor(), [&] { second.set_value(); });
  second.get_future().get();
}

// A loop left with a coroutine waiting on an hour-long timer never runs out of work: stop()
// waits out the grace, then stops it as it is. The tests keep that wait short.
constexpr std::chrono::milliseconds kShortGrace{50};

// Sets its flag when the coroutine frame holding it is destroyed.
struct DestroyedFlag {
  std::atomic<bool>* flag;
  ~DestroyedFlag() { *flag = true; }
};

/// Spawns on `loop` a coroutine suspended on an hour-long timer and returns once it is suspended;
/// `destroyed` is set when its frame goes, `resumed` if the timer ever completes.
void suspend_for_an_hour(BackgroundLoop& loop, std::atomic<bool>& destroyed,
                         std::atomic<bool>& resumed) {
  std::promise<void> suspended;
  asio::co_spawn(
      loop.executor(),
      [&]() -> Task<void> {
        DestroyedFlag guard{&destroyed};
        asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::hours(1));
        suspended.set_value();
        co_await timer.async_wait(asio::use_awaitable);
        resumed = true;
      },
      [](std::exception_ptr) {});
  suspended.get_future().get();
}

TEST(BackgroundLoop, StopEndsTheThreadAndDestroysSuspendedCoroutinesWithTheLoop) {
  std::atomic<bool> destroyed = false;
  std::atomic<bool> resumed = false;
  {
    BackgroundLoop loop(kShortGrace);
    suspend_for_an_hour(loop, destroyed, resumed);
    auto start = std::chrono::steady_clock::now();
    loop.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30))
        << "stop() does not wait for the hour-long timer";
    loop.stop();  // idempotent
  }
  EXPECT_TRUE(destroyed) << "the suspended coroutine went with the loop";
  EXPECT_FALSE(resumed);
}

TEST(BackgroundLoop, StopLetsTheRunningJobFinish) {
  std::atomic<bool> finished = false;
  BackgroundLoop loop;
  std::promise<void> started;
  std::promise<void> go_on;
  asio::post(loop.executor(), [&] {
    started.set_value();
    go_on.get_future().wait();
    finished = true;
  });
  started.get_future().get();
  std::thread stopper([&] { loop.stop(); });
  go_on.set_value();
  stopper.join();
  EXPECT_TRUE(finished) << "stop() joined the thread after the job it was running";
}

TEST(BackgroundLoop, TheDestructorStops) {
  // Without an explicit stop(): the destructor ends the loop promptly (not after the hour-long
  // timer), destroys the coroutine suspended on it without resuming it, and joins the thread
  // (a thread left joinable would terminate the test).
  std::atomic<bool> destroyed = false;
  std::atomic<bool> resumed = false;
  auto start = std::chrono::steady_clock::now();
  {
    BackgroundLoop loop(kShortGrace);
    suspend_for_an_hour(loop, destroyed, resumed);
    EXPECT_FALSE(destroyed) << "the coroutine is alive while the loop runs";
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30))
      << "the destructor does not wait for the hour-long timer";
  EXPECT_TRUE(destroyed) << "the suspended coroutine went with the loop";
  EXPECT_FALSE(resumed);
}

}  // namespace
}  // namespace ferr::core
