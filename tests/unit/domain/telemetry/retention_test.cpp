// Retention: the cut-off is a UTC midnight, a pass rolls whole days up before deleting them, and
// the job runs a pass at start and stops once its pass in flight is done.

#include "domain/telemetry/retention.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/background_loop.hpp"
#include "fakes/database.hpp"
#include "fakes/telemetry_store.hpp"

namespace ferr::domain::telemetry {
namespace {

using namespace std::chrono_literals;

core::TimePoint day(int d) {
  return core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / d));
}

EventRow at(core::TimePoint when, std::string user) {
  EventRow row;
  row.surface = "ferrlabs";
  row.event = "auth.login";
  row.user_hash = std::move(user);
  row.occurred_at = row.received_at = when;
  return row;
}

TEST(RetentionCutoff, IsTheStartOfTodayMinusTheWindow) {
  EXPECT_EQ(retention_cutoff(day(20) + 13h, 7), day(13));
  EXPECT_EQ(retention_cutoff(day(20), 7), day(13)) << "at midnight exactly";
  EXPECT_EQ(retention_cutoff(day(20) - 1ns, 7), day(12));
  EXPECT_EQ(retention_cutoff(day(20) + 23h, 0), day(20));
}

TEST(ExpireOldEvents, RollsUpWholeDaysOlderThanTheWindowThenDeletesThem) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  db.telemetry_events = {at(day(12) + 1h, "a"), at(day(12) + 23h, "b"), at(day(12) + 23h, "b"),
                         at(day(13), "c"), at(day(19), "d")};
  core::ManualClock clock(day(20) + 13h);
  auto expiry = core::run_to_completion(expire_old_events(store, clock, 7));
  ASSERT_TRUE(expiry);
  EXPECT_EQ(expiry->days_rolled_up, 1u);
  EXPECT_EQ(expiry->rows_deleted, 3u);
  EXPECT_EQ(store.rows(), 2u) << "the 13th is inside the window";
  ASSERT_EQ(db.telemetry_daily.size(), 1u);
  EXPECT_EQ(db.telemetry_daily[0].day, "2026-05-12");
  EXPECT_EQ(db.telemetry_daily[0].count, 3);
  EXPECT_EQ(db.telemetry_daily[0].distinct_users, 2);

  auto again = core::run_to_completion(expire_old_events(store, clock, 7));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->days_rolled_up, 0u) << "a second pass has nothing left to do";
  EXPECT_EQ(db.telemetry_daily[0].count, 3);
}

TEST(RetentionJob, RunsAPassAtStartAndStopsOnceItIsDone) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  db.telemetry_events = {at(day(1), "a")};
  core::ManualClock clock(day(20));
  core::BackgroundLoop loop;
  store.hooks.hold("expire_before");
  RetentionJob job(store, clock, 7, loop.executor());
  store.hooks.wait_until_held();  // the pass at start is in flight
  std::thread stopper([&] { job.stop(); });
  store.hooks.release();
  stopper.join();
  EXPECT_EQ(store.hooks.calls("expire_before"), 1) << "the job stopped after its first pass";
  EXPECT_EQ(store.rows(), 0u) << "the pass in flight completed";
  job.stop();  // idempotent
}

TEST(RetentionJob, AFailedPassIsLoggedAndTheJobGoesOn) {
  fakes::Database db;
  fakes::FakeTelemetryStore store(db);
  core::ManualClock clock(day(20));
  core::BackgroundLoop loop;
  store.hooks.fail_next(core::Error::database("disk full"), "expire_before");
  store.hooks.hold("expire_before");
  RetentionJob job(store, clock, 7, loop.executor());
  store.hooks.wait_until_held();
  store.hooks.release();
  job.stop();
  EXPECT_EQ(store.hooks.calls("expire_before"), 1);
}

}  // namespace
}  // namespace ferr::domain::telemetry
