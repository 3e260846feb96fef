// k-anonymity of the public statistics: which counts are published and which are withheld.

#include "domain/telemetry/statistics.hpp"

#include <gtest/gtest.h>

namespace ferr::domain::telemetry {
namespace {

namespace tel = ::ferr::telemetry;

class CannedStore final : public TelemetryStore {
 public:
  core::Result<ServerWrite> write_server_events(std::span<const ServerRow>) override {
    return ServerWrite{};
  }
  core::Result<std::vector<bool>> write_ingested(std::span<const EventRow>) override {
    return std::vector<bool>{};
  }
  core::Result<Expiry> expire_before(core::TimePoint) override { return Expiry{}; }
  core::Result<std::vector<DayCount>> daily_counts(core::TimePoint from,
                                                   core::TimePoint to) override {
    asked_from = from;
    asked_to = to;
    return days;
  }
  core::Result<std::vector<EventCount>> counts_since(core::TimePoint since) override {
    return since == week_start ? week : day;
  }

  std::vector<DayCount> days;
  std::vector<EventCount> day, week;
  core::TimePoint week_start, asked_from, asked_to;
};

const tel::Event& event(std::string_view name) { return *tel::find_event(name); }

TEST(Statistics, PublishableFollowsTheEventsSubject) {
  EXPECT_FALSE(publishable(event("auth.login"), 10, 0, 4, 5)) << "4 users < k";
  EXPECT_TRUE(publishable(event("auth.login"), 10, 0, 5, 5));
  EXPECT_FALSE(publishable(event("product.activated"), 9, 4, 9, 5)) << "orgs count, not users";
  EXPECT_TRUE(publishable(event("product.activated"), 9, 5, 0, 5));
  EXPECT_TRUE(publishable(event("cli.run"), 3, 0, 0, 5)) << "no subject: nobody to single out";
  EXPECT_TRUE(publishable(event("auth.login"), 0, 0, 0, 5)) << "zero reveals nothing";
}

TEST(Statistics, DailyWithholdsSmallGroupsAndAsksForTheRightDays) {
  CannedStore store;
  store.days = {{"2026-05-04", "auth.login", 7, 0, 2},
                {"2026-05-05", "auth.login", 12, 0, 6},
                {"2026-05-05", "cli.run", 2, 0, 0},
                {"2026-05-05", "gone.event", 99, 99, 99}};
  core::ManualClock clock(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)) +
                          std::chrono::hours(13));
  TelemetryStatistics stats(store, clock, 5);
  auto cells = stats.daily(2);
  ASSERT_TRUE(cells);
  ASSERT_EQ(cells->size(), 3u) << "an event the catalog no longer has is left out";
  EXPECT_FALSE((*cells)[0].count) << "2 users < 5";
  EXPECT_EQ((*cells)[1].count, 12);
  EXPECT_EQ((*cells)[2].count, 2);
  EXPECT_EQ(store.asked_from,
            core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 4)))
      << "two days, today included";
  EXPECT_EQ(store.asked_to, core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 6)))
      << "up to the end of today";
}

TEST(Statistics, RecentListsEveryCatalogEventInOrder) {
  CannedStore store;
  core::ManualClock clock(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)));
  store.week_start = clock.now() - std::chrono::days(7);
  store.day = {{"auth.signup", 3, 0, 3}};
  store.week = {{"auth.signup", 8, 0, 8}, {"cli.run", 4, 0, 0}};
  TelemetryStatistics stats(store, clock, 5);
  auto recent = stats.recent();
  ASSERT_TRUE(recent);
  ASSERT_EQ(recent->size(), tel::kEvents.size());
  for (std::size_t i = 0; i < recent->size(); ++i) EXPECT_EQ((*recent)[i].event, &tel::kEvents[i]);
  auto of = [&](std::string_view name) {
    for (const auto& r : *recent)
      if (r.event->name == name) return r;
    return RecentCounts{};
  };
  EXPECT_FALSE(of("auth.signup").last_24h) << "3 users < 5";
  EXPECT_EQ(of("auth.signup").last_7d, 8);
  EXPECT_EQ(of("cli.run").last_24h, 0);
  EXPECT_EQ(of("cli.run").last_7d, 4);
  EXPECT_EQ(of("org.created").last_7d, 0);
}

}  // namespace
}  // namespace ferr::domain::telemetry
