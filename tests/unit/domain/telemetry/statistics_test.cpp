// k-anonymity of the public statistics: which counts are published and which are withheld, over
// the in-memory store's raw rows and rollups.

#include "domain/telemetry/statistics.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "fakes/database.hpp"
#include "fakes/telemetry_store.hpp"

namespace ferr::domain::telemetry {
namespace {

namespace tel = ::ferr::telemetry;

/// A raw row of `event` at `at`, with the pseudonyms of its subjects.
EventRow raw(const std::string& event, core::TimePoint at, std::optional<std::string> user_hash,
             std::optional<std::string> org_hash = std::nullopt) {
  EventRow r;
  r.surface = "ferrlabs";
  r.event = event;
  r.user_hash = std::move(user_hash);
  r.org_hash = std::move(org_hash);
  r.occurred_at = r.received_at = at;
  return r;
}

std::string pseudonym(int n) { return "user-" + std::to_string(n); }

const tel::Event& event(std::string_view name) { return *tel::find_event(name); }

// `count` events from `orgs` distinct orgs and `users` distinct users.
EventCount counts(std::int64_t count, std::int64_t orgs, std::int64_t users) {
  return {.event = "", .count = count, .distinct_orgs = orgs, .distinct_users = users};
}

TEST(Statistics, PublishableFollowsTheEventsSubject) {
  EXPECT_FALSE(publishable(event("auth.login"), counts(10, 0, 4), 5)) << "4 users < k";
  EXPECT_TRUE(publishable(event("auth.login"), counts(10, 0, 5), 5));
  EXPECT_FALSE(publishable(event("product.activated"), counts(9, 4, 9), 5))
      << "orgs count, not users";
  EXPECT_TRUE(publishable(event("product.activated"), counts(9, 5, 0), 5));
  EXPECT_TRUE(publishable(event("cli.run"), counts(3, 0, 0), 5))
      << "no subject: nobody to single out";
  EXPECT_TRUE(publishable(event("auth.login"), counts(0, 0, 0), 5)) << "zero reveals nothing";
  DayCount day{.day = "2026-12-01",
               .event = "auth.login",
               .count = 6,
               .distinct_orgs = 0,
               .distinct_users = 5};
  EXPECT_TRUE(publishable(event("auth.login"), day, 5)) << "a day's counts answer the same";
}

TEST(Statistics, DailyWithholdsSmallGroupsAndAsksForTheRightDays) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  // Rolled-up days, as retention leaves them: (day, event, count, orgs, users).
  db.telemetry_daily = {{"2026-05-04", "ferrlabs", "auth.login", 7, 0, 2},
                        {"2026-05-05", "ferrlabs", "auth.login", 12, 0, 6},
                        {"2026-05-05", "ferrflow", "cli.run", 2, 0, 0},
                        {"2026-05-05", "ferrlabs", "gone.event", 99, 99, 99}};
  core::ManualClock clock(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)) +
                          std::chrono::hours(13));
  TelemetryStatistics stats(store, clock, 5);
  auto daily = core::run_to_completion(stats.daily(2));
  ASSERT_TRUE(daily);
  const auto& cells = daily->cells;
  ASSERT_EQ(cells.size(), 3u) << "an event the catalog no longer has is left out";
  EXPECT_FALSE(cells[0].count) << "2 users < 5";
  EXPECT_EQ(cells[1].count, 12);
  EXPECT_EQ(cells[2].count, 2);
  auto asked = store.last_daily_range();
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->first, core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 4)))
      << "two days, today included";
  EXPECT_EQ(asked->second, core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 6)))
      << "up to the end of today";
}

TEST(Statistics, DailyCountsRawRowsOfTheLastDaysToo) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  auto today = core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5));
  for (int i = 0; i < 5; ++i) db.telemetry_events.push_back(raw("auth.login", today, pseudonym(i)));
  db.telemetry_events.push_back(raw("auth.login", today - std::chrono::days(2), pseudonym(1)));
  core::ManualClock clock(today + std::chrono::hours(1));
  TelemetryStatistics stats(store, clock, 5);
  auto daily = core::run_to_completion(stats.daily(2));
  ASSERT_TRUE(daily);
  const auto& cells = daily->cells;
  ASSERT_EQ(cells.size(), 1u) << "the day before yesterday is outside two days";
  EXPECT_EQ(cells[0].date, "2026-05-05");
  EXPECT_EQ(cells[0].event, "auth.login");
  EXPECT_EQ(cells[0].count, 5) << "5 users: published";
}

TEST(Statistics, DailySeriesHaveEveryCatalogEventAndEveryDayOfTheWindow) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  // (day, event, count, orgs, users): a published day, a withheld day, a day of an event the
  // catalog no longer has, and a day before the window.
  db.telemetry_daily = {{"2026-05-01", "ferrlabs", "auth.login", 9, 0, 9},
                        {"2026-05-03", "ferrlabs", "auth.login", 7, 0, 6},
                        {"2026-05-04", "ferrlabs", "auth.login", 3, 0, 2},
                        {"2026-05-04", "ferrlabs", "gone.event", 99, 99, 99}};
  auto today = core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5));
  db.telemetry_events.push_back(raw("cli.run", today + std::chrono::hours(2), std::nullopt));
  core::ManualClock clock(today + std::chrono::hours(13));
  TelemetryStatistics stats(store, clock, 5);
  auto daily = core::run_to_completion(stats.daily(3));
  ASSERT_TRUE(daily);
  EXPECT_EQ(daily->first_day, std::chrono::sys_days(std::chrono::year(2026) / 5 / 3));
  EXPECT_EQ(daily->days, 3);
  ASSERT_EQ(daily->series.size(), tel::kEvents.size()) << "every catalog event, none other";
  for (std::size_t i = 0; i < daily->series.size(); ++i) {
    EXPECT_EQ(daily->series[i].event, &tel::kEvents[i]) << "in catalog order";
    EXPECT_EQ(daily->series[i].counts.size(), 3u) << "one count per day of the window";
  }
  auto series = [&](std::string_view name) {
    for (const auto& s : daily->series)
      if (s.event->name == name) return s.counts;
    return std::vector<std::optional<std::int64_t>>{};
  };
  using Counts = std::vector<std::optional<std::int64_t>>;
  EXPECT_EQ(series("auth.login"), (Counts{7, std::nullopt, 0}))
      << "published, withheld (2 users < 5) and a day without events, oldest first";
  EXPECT_EQ(series("cli.run"), (Counts{0, 0, 1}));
  EXPECT_EQ(series("org.created"), (Counts{0, 0, 0}));
}

TEST(Statistics, StoreErrorsPropagate) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  core::ManualClock clock(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)));
  TelemetryStatistics stats(store, clock, 5);
  store.hooks.fail_next(core::Error::database("no reader"), "daily_counts");
  auto daily = core::run_to_completion(stats.daily(7));
  ASSERT_FALSE(daily);
  EXPECT_EQ(daily.error().code, core::ErrorCode::internal_database);
  store.hooks.fail_next(core::Error::database("no reader"), "counts_since");
  auto recent = core::run_to_completion(stats.recent());
  ASSERT_FALSE(recent);
  EXPECT_EQ(recent.error().log_detail, "no reader");
}

TEST(Statistics, RecentListsEveryCatalogEventInOrder) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  core::ManualClock clock(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)));
  auto hour_ago = clock.now() - std::chrono::hours(1);
  auto days_ago = clock.now() - std::chrono::days(3);
  // Last 24 hours: 3 sign-ups by 3 users. Last 7 days: 8 by 8 users, and 4 CLI runs.
  for (int i = 0; i < 3; ++i)
    db.telemetry_events.push_back(raw("auth.signup", hour_ago, pseudonym(i)));
  for (int i = 3; i < 8; ++i)
    db.telemetry_events.push_back(raw("auth.signup", days_ago, pseudonym(i)));
  for (int i = 0; i < 4; ++i) db.telemetry_events.push_back(raw("cli.run", days_ago, std::nullopt));
  db.telemetry_events.push_back(
      raw("auth.signup", clock.now() - std::chrono::days(8), pseudonym(9)));
  TelemetryStatistics stats(store, clock, 5);
  auto recent = core::run_to_completion(stats.recent());
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
