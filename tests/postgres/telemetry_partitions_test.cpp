// The day partitions behind PgTelemetryStore (migrations 0006-0008): made ahead for the retention
// window, dropped whole by retention after their rollup, and the default partition catching the
// rows of days that have none.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "core/uuid.hpp"
#include "pg_test_support.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/telemetry_store.hpp"

namespace ferr::storage::postgres {
namespace {

using namespace std::chrono_literals;
using domain::telemetry::EventRow;

class TelemetryPartitions : public ::testing::Test {
 protected:
  void SetUp() override {
    PoolOptions options;
    options.connection.url = scratch_.url();
    options.connection.connect_timeout = 5s;
    options.connection.query_timeout = 10s;
    options.max_size = 4;
    db_ = std::make_unique<Database>(options);
    auto migrated = core::run_to_completion(db_->migrate());
    ASSERT_TRUE(migrated) << migrated.error().log_detail;
    // A short window keeps the partition lists readable: [today - 3, today + 2].
    store_ = std::make_unique<PgTelemetryStore>(
        *db_, PgTelemetrySizes{.retention_days = 3, .evidence_cap = 5});
  }

  static core::TimePoint day(int month, int d) {
    return core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / month / d));
  }

  EventRow event(const std::string& name, core::TimePoint at,
                 std::optional<std::string> org_hash = std::nullopt) {
    core::ManualClock clock(at);
    core::SeededRandom random(++seed_);
    EventRow row;
    row.id = core::Uuid::v7(clock, random);
    row.event_id = core::Uuid::v7(clock, random);
    row.surface = "ferrflow";
    row.event = name;
    row.org_hash = std::move(org_hash);
    row.properties = R"({"command":"release"})";
    row.occurred_at = at;
    row.received_at = at;
    return row;
  }
  void write(std::vector<EventRow> rows) {
    auto written = core::run_to_completion(store_->write_ingested(rows));
    ASSERT_TRUE(written) << written.error().log_detail;
    EXPECT_EQ(*written, std::vector<bool>(rows.size(), true));
  }

  std::string scalar(const std::string& sql) { return pgtest::admin_scalar(scratch_.url(), sql); }
  /// The day partitions attached to telemetry_events, by name.
  std::string partitions() {
    return scalar(
        "SELECT coalesce(string_agg(c.relname, ',' ORDER BY c.relname), '') "
        "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'telemetry_events'::regclass "
        "AND c.relname ~ '^telemetry_events_p[0-9]{8}$'");
  }
  int children() {
    return std::stoi(
        scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'telemetry_events'::regclass"));
  }
  bool exists(const std::string& table) {
    std::string sql = "SELECT to_regclass('";
    sql += table;
    sql += "') IS NOT NULL";
    return scalar(sql) == "t";
  }
  int rows_in(const std::string& table) {
    std::string sql = "SELECT count(*) FROM ONLY ";
    sql += table;
    return std::stoi(scalar(sql));
  }
  /// daily_counts over April and May as "day event count orgs".
  std::vector<std::string> days() {
    auto counts = core::run_to_completion(store_->daily_counts(day(4, 1), day(6, 1)));
    EXPECT_TRUE(counts) << counts.error().log_detail;
    std::vector<std::string> out;
    for (const auto& c : counts.value_or(std::vector<domain::telemetry::DayCount>{})) {
      out.push_back(c.day + " " + c.event + " " + std::to_string(c.count) + " " +
                    std::to_string(c.distinct_orgs));
    }
    return out;
  }
  std::int64_t count_since(const std::string& name, core::TimePoint since) {
    auto counts = core::run_to_completion(store_->counts_since(since));
    EXPECT_TRUE(counts) << counts.error().log_detail;
    for (const auto& c : counts.value_or(std::vector<domain::telemetry::EventCount>{}))
      if (c.event == name) return c.count;
    return 0;
  }

  // Declared in this order so the store goes first, then the pool, then the database.
  pgtest::ScratchDatabase scratch_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<PgTelemetryStore> store_;
  std::uint64_t seed_ = 0;
};

TEST_F(TelemetryPartitions, EnsurePartitionsMakesTheWindowOnce) {
  ASSERT_EQ(children(), 1) << "only the default partition after migrating";
  auto made = core::run_to_completion(store_->ensure_partitions(day(5, 5) + 12h));
  ASSERT_TRUE(made) << made.error().log_detail;
  EXPECT_EQ(*made, 6) << "today - 3 days to today + 2 days";
  const std::string window =
      "telemetry_events_p20260502,telemetry_events_p20260503,telemetry_events_p20260504,"
      "telemetry_events_p20260505,telemetry_events_p20260506,telemetry_events_p20260507";
  EXPECT_EQ(partitions(), window);
  EXPECT_EQ(children(), 7);

  auto again = core::run_to_completion(store_->ensure_partitions(day(5, 5) + 23h));
  ASSERT_TRUE(again) << again.error().log_detail;
  EXPECT_EQ(*again, 0) << "idempotent";
  EXPECT_EQ(partitions(), window);

  auto next_day = core::run_to_completion(store_->ensure_partitions(day(5, 6)));
  ASSERT_TRUE(next_day) << next_day.error().log_detail;
  EXPECT_EQ(*next_day, 1);
  EXPECT_TRUE(exists("telemetry_events_p20260508"));
  EXPECT_EQ(children(), 8);
}

TEST_F(TelemetryPartitions, ExpiryRollsUpThenDropsWholePartitions) {
  ASSERT_EQ(core::run_to_completion(store_->ensure_partitions(day(5, 5))).value_or(-1), 6);
  write({event("cli.run", day(5, 2) + 1h, std::string(32, 'a')),
         event("cli.run", day(5, 2) + 2h, std::string(32, 'b')), event("cli.run", day(5, 3) + 1h),
         event("cli.run", day(5, 4) + 1h)});
  EXPECT_EQ(rows_in("telemetry_events_p20260502"), 2);
  EXPECT_EQ(rows_in("telemetry_events_default"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM telemetry_event_ids"), "4");

  auto expired = core::run_to_completion(store_->expire_before(day(5, 4)));
  ASSERT_TRUE(expired) << expired.error().log_detail;
  EXPECT_EQ(expired->days_rolled_up, 2u);
  EXPECT_EQ(expired->rows_deleted, 3u);
  EXPECT_FALSE(exists("telemetry_events_p20260502")) << "dropped whole";
  EXPECT_FALSE(exists("telemetry_events_p20260503"));
  EXPECT_TRUE(exists("telemetry_events_p20260504"));
  EXPECT_TRUE(exists("telemetry_events_p20260509"))
      << "the pass also made the window starting at the cutoff's day";
  EXPECT_EQ(scalar("SELECT string_agg(to_char(day, 'YYYY-MM-DD') || ' ' || event || ' ' || "
                   "count || ' ' || distinct_orgs, ',' ORDER BY day, event) FROM telemetry_daily"),
            "2026-05-02 cli.run 2 2,2026-05-03 cli.run 1 0");
  EXPECT_EQ(scalar("SELECT count(*) FROM telemetry_event_ids"), "1")
      << "the ids of the expired events are pruned with them";
  EXPECT_EQ(days(), (std::vector<std::string>{"2026-05-02 cli.run 2 2", "2026-05-03 cli.run 1 0",
                                              "2026-05-04 cli.run 1 0"}));
}

TEST_F(TelemetryPartitions, RowsOfADayWithoutPartitionAreKeptCountedAndExpired) {
  ASSERT_EQ(core::run_to_completion(store_->ensure_partitions(day(5, 5))).value_or(-1), 6);
  write({event("cli.old", day(4, 20) + 1h), event("cli.ahead", day(5, 20) + 1h),
         event("cli.run", day(5, 3) + 1h)});
  EXPECT_EQ(rows_in("telemetry_events_default"), 2) << "April 20 and May 20 have no partition";
  EXPECT_EQ(rows_in("telemetry_events_p20260503"), 1);
  EXPECT_EQ(count_since("cli.old", day(4, 1)), 1);
  EXPECT_EQ(count_since("cli.ahead", day(4, 1)), 1);
  EXPECT_EQ(days(), (std::vector<std::string>{"2026-04-20 cli.old 1 0", "2026-05-03 cli.run 1 0",
                                              "2026-05-20 cli.ahead 1 0"}));

  // Retention deletes (after rolling up) the default partition's rows before the cutoff.
  auto expired = core::run_to_completion(store_->expire_before(day(5, 1)));
  ASSERT_TRUE(expired) << expired.error().log_detail;
  EXPECT_EQ(expired->days_rolled_up, 1u);
  EXPECT_EQ(expired->rows_deleted, 1u);
  EXPECT_EQ(rows_in("telemetry_events_default"), 1);
  EXPECT_EQ(count_since("cli.old", day(4, 1)), 0);

  // Making May 20's partition moves its row out of the default partition: counted once still.
  auto made = core::run_to_completion(store_->ensure_partitions(day(5, 20)));
  ASSERT_TRUE(made) << made.error().log_detail;
  EXPECT_EQ(*made, 6);
  EXPECT_EQ(rows_in("telemetry_events_default"), 0);
  EXPECT_EQ(rows_in("telemetry_events_p20260520"), 1);
  EXPECT_EQ(count_since("cli.ahead", day(4, 1)), 1);
  EXPECT_EQ(days(), (std::vector<std::string>{"2026-04-20 cli.old 1 0", "2026-05-03 cli.run 1 0",
                                              "2026-05-20 cli.ahead 1 0"}));

  auto all = core::run_to_completion(store_->expire_before(day(5, 21)));
  ASSERT_TRUE(all) << all.error().log_detail;
  EXPECT_EQ(all->days_rolled_up, 2u);
  EXPECT_EQ(all->rows_deleted, 2u);
  EXPECT_EQ(partitions().rfind("telemetry_events_p20260521,", 0), 0u)
      << "every partition before the cutoff is gone: " << partitions();
  EXPECT_EQ(scalar("SELECT count(*) FROM telemetry_events"), "0");
  EXPECT_EQ(days(), (std::vector<std::string>{"2026-04-20 cli.old 1 0", "2026-05-03 cli.run 1 0",
                                              "2026-05-20 cli.ahead 1 0"}));
}

TEST_F(TelemetryPartitions, PropertiesAreStoredAsTheSameJson) {
  // jsonb keeps the object, not its text: compare parsed JSON.
  auto row = event("cli.run", day(5, 5) + 1h);
  row.properties = R"({"command":"release","note":"Ünï \"q\"\n","n":[1,2.5,{"x":null}]})";
  write({row});
  auto stored = scalar("SELECT properties::text FROM telemetry_events");
  EXPECT_EQ(boost::json::parse(stored), boost::json::parse(row.properties)) << stored;
  EXPECT_EQ(scalar("SELECT count(*) FROM telemetry_events "
                   "WHERE properties @> '{\"command\": \"release\"}'"),
            "1");
}

}  // namespace
}  // namespace ferr::storage::postgres
