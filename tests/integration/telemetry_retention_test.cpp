// Retention with an injected clock: raw events older than the window go, whole UTC days at a
// time, after their daily rollup has been computed; younger rows stay.

#include <gtest/gtest.h>

#include <vector>

#include "domain/telemetry/emitter.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "support/api_test.hpp"
#include "support/stored_events.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;

class RetentionTest : public testing::ApiTest {
 protected:
  void SetUp() override { start({{"FERRLABS_TELEMETRY_RETENTION_DAYS", "90"}}); }

  std::vector<testing::StoredDay> daily() { return testing::stored_days(*app_); }
  domain::telemetry::Expiry purge() {
    app_->emitter().flush();
    auto expired = app_->purge_telemetry();
    EXPECT_TRUE(expired);
    return expired.value_or(domain::telemetry::Expiry{});
  }
};

TEST_F(RetentionTest, OldDaysAreRolledUpThenRemovedYoungOnesStay) {
  // Day 1 (2026-05-05, 00:00): three accounts, one logs in twice. Day 2, at 23:59: one login.
  for (const std::string who : {"a", "b", "c"}) active_user(who + "@example.com");
  ASSERT_EQ(login("a@example.com").status, 200);
  ASSERT_EQ(login("a@example.com").status, 200);
  clock_.advance(24h + 23h + 59min);
  ASSERT_EQ(login("b@example.com").status, 200);
  app_->emitter().flush();
  ASSERT_EQ(testing::stored_events(*app_).size(), 6u);

  // 2026-08-03 is 90 days after 2026-05-05: the cutoff is then 2026-05-05 itself, nothing goes.
  clock_.set(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 8 / 3) + 12h));
  auto nothing = purge();
  EXPECT_EQ(nothing.rows_deleted, 0u);
  EXPECT_TRUE(daily().empty());

  // A day later the first day is older than 90 days: rolled up, then removed.
  clock_.advance(24h);
  auto first = purge();
  EXPECT_EQ(first.rows_deleted, 5u);
  EXPECT_EQ(first.days_rolled_up, 1u);
  EXPECT_EQ(daily(),
            (std::vector<testing::StoredDay>{{"2026-05-05", "ferrlabs", "auth.login", 2, 0, 1},
                                             {"2026-05-05", "ferrlabs", "auth.signup", 3, 0, 3}}));
  auto left = testing::stored_events(*app_);
  ASSERT_EQ(left.size(), 1u) << "the second day's login stays";
  EXPECT_EQ(left[0].event, "auth.login");

  EXPECT_EQ(purge().rows_deleted, 0u) << "a second pass finds nothing";
  clock_.advance(24h);
  EXPECT_EQ(purge().rows_deleted, 1u);
  EXPECT_EQ(daily().size(), 3u);
  EXPECT_EQ(daily().back(), (testing::StoredDay{"2026-05-06", "ferrlabs", "auth.login", 1, 0, 1}));
}

}  // namespace
}  // namespace ferr
