#include "storage/postgres/migrator.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <future>
#include <string>
#include <vector>

#include "database_test.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;

// Test-only migrations; the second would fail if it ran twice (a duplicate key).
std::vector<Migration> widgets_v3() {
  return {
      {1, "widgets", "CREATE TABLE widgets (id int PRIMARY KEY);\nCREATE INDEX ON widgets (id);"},
      {2, "first_widget", "INSERT INTO widgets VALUES (1);"},
      {3, "widget_names", "ALTER TABLE widgets ADD COLUMN name text NOT NULL DEFAULT 'w';"},
  };
}

class MigratorTest : public DatabaseTest {
 protected:
  core::Result<MigrationReport> migrate_with(Connection& c, const std::vector<Migration>& m,
                                             std::size_t thread = 0) {
    return run<MigrationReport>([&] { return migrate(c, m); }, thread);
  }
  int version(Connection& c) {
    auto v = run<int>([&] { return current_version(c); });
    EXPECT_TRUE(v) << v.error().log_detail;
    return v.value_or(-1);
  }
  std::string admin(const std::string& sql) { return pgtest::admin_scalar(db_.url(), sql); }
};

TEST_F(MigratorTest, AppliesEveryMigrationInOrderThenNothing) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  EXPECT_EQ(version(*conn), 0);

  auto first = migrate_with(*conn, widgets_v3());
  ASSERT_TRUE(first) << first.error().log_detail;
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, 3);
  EXPECT_EQ(first->applied, 3);
  EXPECT_EQ(version(*conn), 3);
  EXPECT_EQ(admin("SELECT string_agg(version || ':' || name, ',' ORDER BY version) "
                  "FROM schema_migrations"),
            "1:widgets,2:first_widget,3:widget_names");
  EXPECT_EQ(admin("SELECT name FROM widgets"), "w");

  auto second = migrate_with(*conn, widgets_v3());
  ASSERT_TRUE(second) << second.error().log_detail;
  EXPECT_EQ(second->applied, 0);
  EXPECT_EQ(second->to_version, 3);
}

TEST_F(MigratorTest, AppliesOnlyWhatIsNew) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto v3 = widgets_v3();
  std::vector<Migration> v1(v3.begin(), v3.begin() + 1);
  ASSERT_TRUE(migrate_with(*conn, v1));
  auto rest = migrate_with(*conn, v3);
  ASSERT_TRUE(rest) << rest.error().log_detail;
  EXPECT_EQ(rest->from_version, 1);
  EXPECT_EQ(rest->applied, 2);
}

TEST_F(MigratorTest, AFailingMigrationRollsBackTheWholeRun) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto broken = widgets_v3();
  broken[1].sql = "INSERT INTO no_such_table VALUES (1);";
  auto r = migrate_with(*conn, broken);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().log_detail.find("migration 2 (first_widget)"), std::string::npos)
      << r.error().log_detail;
  EXPECT_EQ(version(*conn), 0);
  EXPECT_EQ(admin("SELECT to_regclass('widgets') IS NULL"), "t");
  EXPECT_TRUE(conn->idle());
}

TEST_F(MigratorTest, RefusesADatabaseNewerThanTheBinary) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  ASSERT_TRUE(migrate_with(*conn, widgets_v3()));
  auto v3 = widgets_v3();
  std::vector<Migration> older(v3.begin(), v3.begin() + 2);
  auto r = migrate_with(*conn, older);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().log_detail.find("newer than this binary"), std::string::npos);
}

TEST_F(MigratorTest, RefusesGapsInTheNumbering) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto gap = widgets_v3();
  gap.erase(gap.begin() + 1);
  auto r = migrate_with(*conn, gap);
  ASSERT_FALSE(r);
  EXPECT_EQ(version(*conn), 0);
}

TEST_F(MigratorTest, TwoInstancesStartingTogetherApplyEachMigrationOnce) {
  auto one = connect();
  auto two = connect();
  ASSERT_TRUE(one && two);
  const auto migrations = widgets_v3();

  // A third session holds the migration lock, so both migrators are certainly waiting on it
  // when it is released: they race for it at that moment.
  pgtest::AdminSession holder(db_.url());
  holder.scalar("BEGIN");
  holder.scalar("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");

  std::promise<core::Result<MigrationReport>> first, second;
  auto start = [&](Connection& c, std::size_t thread,
                   std::promise<core::Result<MigrationReport>>& done) {
    asio::co_spawn(
        io_.executor(thread),
        [conn = &c, promise = &done, &migrations]() -> asio::awaitable<void> {
          promise->set_value(co_await migrate(*conn, migrations));
        },
        asio::detached);
  };
  start(*one, 0, first);
  start(*two, 1, second);
  ASSERT_TRUE(eventually([&] {
    return admin(
               "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
               "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") ==
           "2";
  }));
  holder.scalar("COMMIT");

  auto a = first.get_future().get();
  auto b = second.get_future().get();
  ASSERT_TRUE(a) << a.error().log_detail;
  ASSERT_TRUE(b) << b.error().log_detail;
  EXPECT_EQ(a->applied + b->applied, 3);
  EXPECT_TRUE((a->applied == 3 && b->applied == 0) || (a->applied == 0 && b->applied == 3));
  EXPECT_EQ(a->to_version, 3);
  EXPECT_EQ(b->to_version, 3);
  EXPECT_EQ(admin("SELECT count(*) FROM schema_migrations"), "3");
  EXPECT_EQ(admin("SELECT count(*) FROM widgets"), "1");
}

// The schema this binary carries (src/storage/postgres/migrations) goes through the migrator as
// the server will run it: once, then not again, leaving telemetry_events partitioned with the
// columns of telemetry.md §5 in their order.
TEST_F(MigratorTest, TheEmbeddedSchemaAppliesOnceThroughTheMigrator) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  const auto& schema = embedded_migrations();
  ASSERT_FALSE(schema.empty());
  auto first = migrate_with(*conn, schema);
  ASSERT_TRUE(first) << first.error().log_detail;
  EXPECT_EQ(first->to_version, schema.back().version);
  EXPECT_EQ(first->applied, static_cast<int>(schema.size()));
  auto again = migrate_with(*conn, schema);
  ASSERT_TRUE(again) << again.error().log_detail;
  EXPECT_EQ(again->applied, 0);
  EXPECT_EQ(
      admin("SELECT string_agg(attname, ' ' ORDER BY attnum) FROM pg_attribute "
            "WHERE attrelid = 'telemetry_events'::regclass AND attnum > 0 AND NOT attisdropped"),
      "id event_id surface event org_hash user_hash properties schema_version origin key_id "
      "occurred_at received_at");
  EXPECT_EQ(admin("SELECT partstrat FROM pg_partitioned_table "
                  "WHERE partrelid = 'telemetry_events'::regclass"),
            "r");
  EXPECT_EQ(admin("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                  "WHERE attrelid = 'telemetry_events'::regclass AND attname = 'properties'"),
            "jsonb");
}

// Migration 0015 counts the events already stored into hourly cells, with evidence capped at 5.
TEST_F(MigratorTest, TheHourlyCountsMigrationCountsTheEventsAlreadyStored) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  const auto& schema = embedded_migrations();
  ASSERT_EQ(schema.at(14).name, "telemetry_hourly");
  std::vector<Migration> before(schema.begin(), schema.begin() + 14);
  ASSERT_TRUE(migrate_with(*conn, before));
  // 10:00-10:59 on 2026-05-03: seven users' logins and one org event; 11:00: one more login.
  admin(
      "INSERT INTO telemetry_events (id, surface, event, org_hash, user_hash, schema_version, "
      "origin, occurred_at, received_at) SELECT gen_random_uuid(), 'ferrlabs', 'auth.login', "
      "NULL, lpad(to_hex(i), 32, '0'), 1, 'server', '2026-05-03 10:00Z'::timestamptz + i * "
      "interval '1 minute', now() FROM generate_series(1, 7) AS i");
  admin(
      "INSERT INTO telemetry_events (id, surface, event, org_hash, user_hash, schema_version, "
      "origin, occurred_at, received_at) VALUES (gen_random_uuid(), 'ferrlabs', 'org.created', "
      "repeat('o', 32), NULL, 1, 'server', '2026-05-03 10:30Z', now()), (gen_random_uuid(), "
      "'ferrlabs', 'auth.login', NULL, repeat('a', 32), 1, 'server', '2026-05-03 11:00Z', now())");
  auto rest = migrate_with(*conn, schema);
  ASSERT_TRUE(rest) << rest.error().log_detail;
  EXPECT_EQ(admin("SELECT string_agg(to_char(to_timestamp(hour / 1000) AT TIME ZONE 'UTC', 'HH24') "
                  "|| ' ' || event || ' ' || count || ' ' || cardinality(orgs) || ' ' || "
                  "cardinality(users), ', ' ORDER BY hour, event) FROM telemetry_hourly"),
            "10 auth.login 7 0 5, 10 org.created 1 1 0, 11 auth.login 1 0 1");
  EXPECT_EQ(admin("SELECT users[5] FROM telemetry_hourly WHERE event = 'auth.login' ORDER BY hour "
                  "LIMIT 1"),
            "00000000000000000000000000000005")
      << "the five smallest";
}

}  // namespace
}  // namespace ferr::storage::postgres
