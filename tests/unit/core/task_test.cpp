// run_to_completion: the bridge from plain code (tests, the command line, start-up) to a task.

#include "core/task.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace ferr::core {
namespace {

Task<int> answer() { co_return 42; }

Task<int> sum_of_awaited() {
  int a = co_await answer();
  int b = co_await answer();
  co_return a + b;
}

Task<std::unique_ptr<std::string>> move_only() { co_return std::make_unique<std::string>("moved"); }

TEST(RunToCompletion, ReturnsTheValueOfTheTask) {
  EXPECT_EQ(run_to_completion(answer()), 42);
  EXPECT_EQ(run_to_completion(sum_of_awaited()), 84) << "nested tasks are awaited in turn";
  auto owned = run_to_completion(move_only());
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, "moved");
}

TEST(RunToCompletion, RunsAVoidTaskToItsEnd) {
  int steps = 0;
  auto task = [&]() -> Task<void> {
    ++steps;
    co_await answer();
    ++steps;
  };
  run_to_completion(task());
  EXPECT_EQ(steps, 2);
}

TEST(RunToCompletion, RethrowsWhatTheTaskThrows) {
  auto throws = []() -> Task<int> {
    co_await answer();
    throw std::runtime_error("disk on fire");
  };
  EXPECT_THROW(
      {
        try {
          run_to_completion(throws());
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "disk on fire");
          throw;
        }
      },
      std::runtime_error);

  auto throws_void = []() -> Task<void> {
    throw std::logic_error("void too");
    co_return;
  };
  EXPECT_THROW(run_to_completion(throws_void()), std::logic_error);
}

TEST(RunToCompletion, RunsOnTheCallingThreadOnALoopOfItsOwn) {
  auto where = []() -> Task<std::thread::id> {
    co_await answer();
    co_return std::this_thread::get_id();
  };
  EXPECT_EQ(run_to_completion(where()), std::this_thread::get_id());
}

}  // namespace
}  // namespace ferr::core
