// SharedComputation: callers that arrive while a computation runs share it, a fresh result is
// reused without computing, a stale one is computed again, a failure is shared but never kept.

#include "core/shared_computation.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <optional>
#include <vector>

namespace ferr::core {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class SharedComputationTest : public ::testing::Test {
 protected:
  /// A computation that counts its runs and answers the run's number.
  Task<Result<int>> count_run() {
    ++runs_;
    co_return runs_;
  }
  /// A computation that waits until release() before answering `value`: lets callers pile up.
  Task<Result<int>> held(int value) {
    ++runs_;
    co_await gate_.wait();
    co_return value;
  }
  void release() { gate_.set(true); }

  ManualClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  int runs_ = 0;
  Completion<bool> gate_;
};

TEST_F(SharedComputationTest, CallersArrivingDuringAComputationShareIt) {
  SharedComputation<int> shared(clock_, 0ms);  // no reuse: sharing is all that is left
  asio::io_context loop;
  std::vector<int> answers;
  auto caller = [&]() -> Task<void> {
    auto got = co_await shared.get([&] { return held(42); });
    EXPECT_TRUE(got);
    if (got) answers.push_back(*got->value);
  };
  for (int i = 0; i < 5; ++i) asio::co_spawn(loop, caller(), asio::detached);
  // Runs once all five have reached the shared computation (one thread, handlers in order).
  asio::post(loop, [&] {
    EXPECT_EQ(runs_, 1) << "the four later callers wait for the first one's computation";
    release();
  });
  loop.run();
  EXPECT_EQ(answers, (std::vector<int>{42, 42, 42, 42, 42}));
  EXPECT_EQ(runs_, 1);
}

TEST_F(SharedComputationTest, AFreshResultIsReusedAndAStaleOneComputedAgain) {
  SharedComputation<int> shared(clock_, 5s);
  auto get = [&] { return run_to_completion(shared.get([&] { return count_run(); })); };
  auto first = get();
  ASSERT_TRUE(first);
  EXPECT_EQ(*first->value, 1);
  EXPECT_EQ(first->computed_at, clock_.now());
  clock_.advance(4999ms);
  auto second = get();
  ASSERT_TRUE(second);
  EXPECT_EQ(*second->value, 1) << "younger than 5 s: reused";
  EXPECT_EQ(second->computed_at, first->computed_at) << "it says when it was computed";
  clock_.advance(1ms);
  auto third = get();
  ASSERT_TRUE(third);
  EXPECT_EQ(*third->value, 2) << "5 s old: computed again";
  EXPECT_EQ(third->computed_at, clock_.now());
  EXPECT_EQ(runs_, 2);
}

TEST_F(SharedComputationTest, WithoutReuseEveryLaterCallerComputes) {
  SharedComputation<int> shared(clock_, 0ms);
  for (int i = 1; i <= 3; ++i) {
    auto got = run_to_completion(shared.get([&] { return count_run(); }));
    ASSERT_TRUE(got);
    EXPECT_EQ(*got->value, i);
  }
}

TEST_F(SharedComputationTest, AFailureReachesTheWaitersAndIsNotKept) {
  SharedComputation<int> shared(clock_, 60s);
  asio::io_context loop;
  int failures = 0;
  auto failing = [&]() -> Task<Result<int>> {
    ++runs_;
    co_await gate_.wait();
    co_return fail(Error::database("no reader"));
  };
  auto caller = [&]() -> Task<void> {
    auto got = co_await shared.get(failing);
    EXPECT_FALSE(got);
    if (!got && got.error().code == ErrorCode::internal_database) ++failures;
  };
  for (int i = 0; i < 3; ++i) asio::co_spawn(loop, caller(), asio::detached);
  asio::post(loop, [&] { release(); });
  loop.run();
  EXPECT_EQ(failures, 3) << "every caller gets the one failure";
  EXPECT_EQ(runs_, 1);
  auto retried = run_to_completion(shared.get([&] { return count_run(); }));
  ASSERT_TRUE(retried);
  EXPECT_EQ(*retried->value, 2) << "the failure was not reused, though 60 s have not passed";
}

}  // namespace
}  // namespace ferr::core
