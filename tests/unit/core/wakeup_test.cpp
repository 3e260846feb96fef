// Wakeup: a timer sleep that any thread can end early, without ever losing a wake-up.

#include "core/wakeup.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "core/background_loop.hpp"

namespace ferr::core {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// A sleep that is supposed to end early is given this long: a lost wake-up shows as a hang
// that the assertions below report, not as a flaky pass.
constexpr auto kLong = 60s;
constexpr auto kEarly = 20s;

void rethrow(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

TEST(Wakeup, ANotifyBeforeTheSleepEndsItAtOnce) {
  asio::io_context loop;
  Wakeup wakeup(loop.get_executor());
  wakeup.notify();
  Steady::duration slept{};
  asio::co_spawn(
      loop,
      [&]() -> Task<void> {
        auto start = Steady::now();
        co_await wakeup.sleep_for(kLong);
        slept = Steady::now() - start;
      },
      rethrow);
  loop.run();
  EXPECT_LT(slept, kEarly);
}

TEST(Wakeup, ANotifyFromAnotherThreadWakesASleep) {
  BackgroundLoop loop;
  Wakeup wakeup(loop.executor());
  std::promise<void> asleep;
  std::promise<Steady::duration> woke;
  asio::co_spawn(
      loop.executor(),
      [&]() -> Task<void> {
        auto start = Steady::now();
        co_await wakeup.sleep_for(kLong);
        woke.set_value(Steady::now() - start);
      },
      rethrow);
  // Queued behind the sleeper on the loop's one thread: it runs once the timer is armed and the
  // sleeper suspended, so the notify below must cancel a sleep in progress.
  asio::post(loop.executor(), [&] { asleep.set_value(); });
  asleep.get_future().get();
  std::thread notifier([&] { wakeup.notify(); });
  notifier.join();
  EXPECT_LT(woke.get_future().get(), kEarly);
}

TEST(Wakeup, WithoutANotifyTheSleepLastsItsTimeout) {
  asio::io_context loop;
  Wakeup wakeup(loop.get_executor());
  Steady::duration slept{};
  asio::co_spawn(
      loop,
      [&]() -> Task<void> {
        auto start = Steady::now();
        co_await wakeup.sleep_for(30ms);
        slept = Steady::now() - start;
      },
      rethrow);
  loop.run();
  EXPECT_GE(slept, 30ms);
}

}  // namespace
}  // namespace ferr::core
