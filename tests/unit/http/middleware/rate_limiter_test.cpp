#include "http/middleware/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "core/random.hpp"

namespace ferr::http {
namespace {

using namespace std::chrono_literals;

class RateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override { core::init_sodium(); }
  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 1 / 1))};
};

TEST_F(RateLimiterTest, AllowsABurstThenRefillsAtTheRate) {
  RateLimiter limiter({.per_second = 2, .burst = 8}, clock_);
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(limiter.acquire("10.0.0.1")) << i;
  auto wait = limiter.acquire("10.0.0.1");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 1);
  clock_.advance(500ms);  // one token at 2/s
  EXPECT_FALSE(limiter.acquire("10.0.0.1"));
  EXPECT_TRUE(limiter.acquire("10.0.0.1"));
  clock_.advance(10s);
  for (int i = 0; i < 8; ++i)
    EXPECT_FALSE(limiter.acquire("10.0.0.1")) << "refilled to the burst, not beyond";
  EXPECT_TRUE(limiter.acquire("10.0.0.1"));
}

TEST_F(RateLimiterTest, ClientsHaveSeparateBuckets) {
  RateLimiter limiter({.per_second = 1, .burst = 1}, clock_);
  EXPECT_FALSE(limiter.acquire("a"));
  EXPECT_TRUE(limiter.acquire("a"));
  EXPECT_FALSE(limiter.acquire("b"));
}

TEST_F(RateLimiterTest, RetryAfterRoundsUpAtLowRates) {
  RateLimiter limiter({.per_second = 0.1, .burst = 1}, clock_);
  EXPECT_FALSE(limiter.acquire("a"));
  EXPECT_EQ(limiter.acquire("a"), 10);
}

TEST_F(RateLimiterTest, ZeroRateDisablesIt) {
  RateLimiter limiter({.per_second = 0, .burst = 0}, clock_);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(limiter.acquire("a"));
}

TEST_F(RateLimiterTest, CheckAnswers429WithRetryAfter) {
  RateLimiter limiter({.per_second = 1, .burst = 1}, clock_);
  Request request;
  request.client_ip = "192.0.2.1";
  request.request_id = "rid";
  EXPECT_FALSE(limiter.check(request));
  auto limited = limiter.check(request);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429u);
  EXPECT_EQ(limited->headers.get("Retry-After"), "1");
  EXPECT_NE(limited->body.find("RATE_LIMIT_EXCEEDED"), std::string::npos);
}

TEST_F(RateLimiterTest, ManyClientsStayBounded) {
  RateLimiter limiter({.per_second = 1, .burst = 4}, clock_);
  // A flood of distinct addresses within one instant: nothing has refilled, yet memory is bounded.
  for (int i = 0; i < 300000; ++i) limiter.acquire("client-" + std::to_string(i));
  EXPECT_LE(limiter.tracked_clients(), 16u * 8192u + 16u);
  EXPECT_GT(limiter.tracked_clients(), 0u);
}

}  // namespace
}  // namespace ferr::http
