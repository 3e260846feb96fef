// Completion: one value handed to one awaiting coroutine, from anywhere, resumed where it waits.

#include "core/completion.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include <future>
#include <memory>
#include <string>
#include <thread>

#include "core/background_loop.hpp"

namespace ferr::core {
namespace {

namespace asio = boost::asio;

TEST(Completion, ASetBeforeTheWaitIsReturnedAtOnce) {
  Completion<std::string> done;
  done.set("early");
  EXPECT_EQ(run_to_completion(done.wait()), "early");
}

TEST(Completion, AWaitBeforeTheSetSuspendsUntilIt) {
  asio::io_context loop;
  Completion<int> done;
  std::optional<int> got;
  bool set_ran = false;
  asio::co_spawn(
      loop,
      [&]() -> Task<void> {
        got = co_await done.wait();
        EXPECT_TRUE(set_ran) << "resumed only after the set";
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  // Runs after the waiter has suspended (one thread, handlers in order).
  asio::post(loop, [&] {
    EXPECT_FALSE(got);
    set_ran = true;
    done.set(5);
    EXPECT_FALSE(got) << "the waiter resumes later, on its executor, not inside set()";
  });
  loop.run();
  EXPECT_EQ(got, 5);
}

TEST(Completion, ASetFromAnotherThreadResumesTheWaiterOnItsOwnExecutor) {
  // The waiter lives on a background loop; the value comes from this thread.
  BackgroundLoop loop;
  Completion<std::unique_ptr<int>> done;
  std::promise<std::thread::id> waiting_on;
  std::promise<std::pair<std::thread::id, bool>> resumed;
  asio::co_spawn(
      loop.executor(),
      [&]() -> Task<void> {
        waiting_on.set_value(std::this_thread::get_id());
        auto value = co_await done.wait();
        EXPECT_EQ(*value, 9);
        resumed.set_value(
            std::make_pair(std::this_thread::get_id(), loop.executor().running_in_this_thread()));
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  auto loop_thread = waiting_on.get_future().get();
  ASSERT_NE(loop_thread, std::this_thread::get_id());
  done.set(std::make_unique<int>(9));
  auto [thread, in_loop] = resumed.get_future().get();
  EXPECT_EQ(thread, loop_thread) << "resumed on the waiter's loop, not the setter's thread";
  EXPECT_TRUE(in_loop);
}

TEST(Completion, RacingSetsAndWaitsAlwaysDeliver) {
  // Whichever of wait() and set() comes second resumes the waiter: never lost, never twice.
  BackgroundLoop loop;
  for (int round = 0; round < 200; ++round) {
    Completion<int> done;
    std::promise<int> got;
    asio::co_spawn(
        loop.executor(), [&]() -> Task<void> { got.set_value(co_await done.wait()); },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    done.set(round);
    ASSERT_EQ(got.get_future().get(), round);
  }
}

}  // namespace
}  // namespace ferr::core
