#include "storage/sqlite/migrator.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "storage/sqlite/database.hpp"
#include "support/temp_dir.hpp"

namespace ferr::storage::sqlite {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const core::TimePoint kStart{sys_days{2026y / May / 5} + 21h};

std::int64_t scalar(Connection& c, std::string_view sql, std::string_view text_param = {}) {
  auto stmt = c.prepare(sql);
  EXPECT_TRUE(stmt.has_value()) << sql;
  if (!stmt) return -1;
  StatementScope scope(**stmt);
  if (!text_param.empty()) scope->bind(1, text_param);
  auto row = scope->step();
  EXPECT_TRUE(row.has_value() && *row) << sql;
  return scope->column_int(0);
}

bool table_exists(Connection& c, std::string_view name) {
  return scalar(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name) ==
         1;
}

Migration ledger() { return embedded_migrations().at(0); }
Migration widgets() { return {2, "widgets", "CREATE TABLE widgets (id INTEGER PRIMARY KEY);"}; }

// Runs on an in-memory database and on a file, which differ in how the connection is opened.
class MigratorTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string path = GetParam() ? dir_.file("app.db") : ":memory:";
    auto db = Database::open(path, 2);
    ASSERT_TRUE(db.has_value()) << db.error().log_detail;
    db_ = std::move(*db);
  }

  core::Result<MigrationReport> run(const std::vector<Migration>& migrations) {
    return db_->write([&](Connection& c) { return migrate(c, migrations, clock_); });
  }
  int version() {
    auto v = db_->write([](Connection& c) { return current_version(c); });
    EXPECT_TRUE(v.has_value());
    return v.value_or(-1);
  }
  bool has_table(std::string_view name) {
    return db_->write([&](Connection& c) { return table_exists(c, name); });
  }

  testing::TempDir dir_;
  core::ManualClock clock_{kStart};
  std::unique_ptr<Database> db_;
};

INSTANTIATE_TEST_SUITE_P(Storage, MigratorTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "file" : "memory"; });

TEST_P(MigratorTest, EmptyDatabaseIsAtVersionZero) {
  EXPECT_EQ(version(), 0);
  EXPECT_FALSE(has_table("schema_migrations"));
}

TEST_P(MigratorTest, FreshDatabaseMigratesToLatestAndRecordsEachMigration) {
  const auto& all = embedded_migrations();
  const int latest = static_cast<int>(all.size());
  ASSERT_GE(latest, 1);

  auto report = run(all);
  ASSERT_TRUE(report.has_value()) << report.error().log_detail;
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, latest);
  EXPECT_EQ(report->applied, latest);
  EXPECT_EQ(version(), latest);

  db_->write([&](Connection& c) {
    auto stmt = c.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1");
    ASSERT_TRUE(stmt.has_value());
    StatementScope rows(**stmt);
    for (const Migration& m : all) {
      auto row = rows->step();
      ASSERT_TRUE(row.has_value() && *row) << "missing row for migration " << m.version;
      EXPECT_EQ(rows->column_int(0), m.version);
      EXPECT_EQ(rows->column_text(1), m.name);
      EXPECT_EQ(rows->column_text(2), "2026-05-05T21:00:00.000Z");
    }
    auto end = rows->step();
    ASSERT_TRUE(end.has_value());
    EXPECT_FALSE(*end) << "more rows than migrations";
  });
}

TEST_P(MigratorTest, SecondRunAppliesNothing) {
  ASSERT_TRUE(run({ledger(), widgets()}).has_value());
  clock_.advance(1h);
  auto again = run({ledger(), widgets()});
  ASSERT_TRUE(again.has_value()) << again.error().log_detail;
  EXPECT_EQ(again->from_version, 2);
  EXPECT_EQ(again->to_version, 2);
  EXPECT_EQ(again->applied, 0);
  db_->write([](Connection& c) {
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM schema_migrations"), 2);
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM schema_migrations WHERE applied_at = ?",
                     "2026-05-05T21:00:00.000Z"),
              2);
  });
}

TEST_P(MigratorTest, AppliesOnlyTheNewMigrations) {
  ASSERT_TRUE(run({ledger()}).has_value());
  clock_.advance(90min + 250ms);
  auto report = run({ledger(), widgets()});
  ASSERT_TRUE(report.has_value()) << report.error().log_detail;
  EXPECT_EQ(report->from_version, 1);
  EXPECT_EQ(report->to_version, 2);
  EXPECT_EQ(report->applied, 1);
  EXPECT_TRUE(has_table("widgets"));
  db_->write([](Connection& c) {
    EXPECT_EQ(scalar(c, "SELECT version FROM schema_migrations WHERE applied_at = ?",
                     "2026-05-05T22:30:00.250Z"),
              2);
  });
}

TEST_P(MigratorTest, RefusesADatabaseNewerThanTheBinary) {
  ASSERT_TRUE(run({ledger(), widgets()}).has_value());
  auto report = run({ledger()});
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, core::ErrorCode::internal_server_error);
  EXPECT_NE(report.error().log_detail.find("newer than this binary"), std::string::npos)
      << report.error().log_detail;
  EXPECT_EQ(version(), 2);
}

TEST_P(MigratorTest, RefusesMigrationsNotNumberedOneToN) {
  Migration third{3, "third", "CREATE TABLE third (id INTEGER);"};
  Migration second_again{2, "again", "CREATE TABLE again (id INTEGER);"};
  for (const auto& list : std::vector<std::vector<Migration>>{
           {ledger(), third},                    // gap
           {widgets()},                          // does not start at 1
           {ledger(), widgets(), second_again},  // duplicate number
           {widgets(), ledger()},                // out of order
       }) {
    auto report = run(list);
    ASSERT_FALSE(report.has_value());
    EXPECT_EQ(report.error().code, core::ErrorCode::internal_server_error);
    EXPECT_EQ(version(), 0);
    EXPECT_FALSE(has_table("schema_migrations"));
    EXPECT_FALSE(has_table("widgets"));
  }
}

TEST_P(MigratorTest, FailingMigrationRollsBackTheWholeRun) {
  // The third migration creates a table, then fails: nothing of the run may survive.
  Migration broken{3, "broken",
                   "CREATE TABLE partial (id INTEGER); INSERT INTO no_such_table VALUES (1);"};
  auto report = run({ledger(), widgets(), broken});
  ASSERT_FALSE(report.has_value());
  EXPECT_EQ(report.error().code, core::ErrorCode::internal_database);
  EXPECT_NE(report.error().log_detail.find("migration 3 (broken)"), std::string::npos)
      << report.error().log_detail;
  EXPECT_EQ(report.error().message.find("no_such_table"), std::string::npos);
  EXPECT_EQ(version(), 0);
  EXPECT_FALSE(has_table("schema_migrations"));
  EXPECT_FALSE(has_table("widgets"));
  EXPECT_FALSE(has_table("partial"));

  // The connection is usable afterwards (no transaction left open).
  auto retry = run({ledger(), widgets()});
  ASSERT_TRUE(retry.has_value()) << retry.error().log_detail;
  EXPECT_EQ(retry->applied, 2);
}

// Migration 0012 counts the events already stored into hourly cells, with evidence capped at 5.
TEST_P(MigratorTest, TheHourlyCountsMigrationCountsTheEventsAlreadyStored) {
  const auto& schema = embedded_migrations();
  std::vector<Migration> before(schema.begin(), schema.begin() + 11);
  ASSERT_EQ(schema.at(11).name, "telemetry_hourly");
  ASSERT_TRUE(run(before).has_value());
  const std::int64_t ten = 1'777'802'400'000;  // 2026-05-03T10:00:00Z
  db_->write([&](Connection& c) {
    for (int i = 1; i <= 7; ++i) {
      char user[33];
      std::snprintf(user, sizeof user, "%032x", i);
      EXPECT_TRUE(c.exec("INSERT INTO telemetry_events (id, surface, event, user_hash, "
                         "schema_version, origin, occurred_at, received_at) VALUES ('login-" +
                         std::to_string(i) + "', 'ferrlabs', 'auth.login', '" + user +
                         "', 1, 'server', " + std::to_string(ten + i * 60'000) + ", 0)")
                      .has_value());
    }
    EXPECT_TRUE(c.exec("INSERT INTO telemetry_events (id, surface, event, org_hash, "
                       "schema_version, origin, occurred_at, received_at) VALUES ('org', "
                       "'ferrlabs', 'org.created', '" +
                       std::string(32, 'o') + "', 1, 'server', " + std::to_string(ten + 1800000) +
                       ", 0), ('late', 'ferrlabs', 'auth.login', NULL, 1, 'server', " +
                       std::to_string(ten + 3600000) + ", 0)")
                    .has_value());
    return 0;
  });
  ASSERT_TRUE(run(schema).has_value());
  db_->write([&](Connection& c) {
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM telemetry_hourly"), 3);
    EXPECT_EQ(scalar(c,
                     "SELECT count FROM telemetry_hourly WHERE event = 'auth.login' AND hour = "
                     "1777802400000"),
              7);
    EXPECT_EQ(scalar(c,
                     "SELECT length(users) FROM telemetry_hourly WHERE event = 'auth.login' "
                     "AND hour = 1777802400000"),
              5 * 32 + 4)
        << "five pseudonyms, space-separated";
    EXPECT_EQ(scalar(c,
                     "SELECT instr(users, '00000000000000000000000000000006') FROM "
                     "telemetry_hourly WHERE event = 'auth.login' AND hour = 1777802400000"),
              0)
        << "the five smallest";
    EXPECT_EQ(scalar(c, "SELECT length(orgs) FROM telemetry_hourly WHERE event = 'org.created'"),
              32);
    EXPECT_EQ(scalar(c, "SELECT count FROM telemetry_hourly WHERE hour = 1777806000000"), 1);
    return 0;
  });
}

TEST(MigratorFile, SchemaVersionPersistsAcrossReopening) {
  testing::TempDir dir;
  core::ManualClock clock(kStart);
  const int latest = static_cast<int>(embedded_migrations().size());
  {
    auto db = Database::open(dir.file("app.db"), 1);
    ASSERT_TRUE(db.has_value());
    auto report =
        (*db)->write([&](Connection& c) { return migrate(c, embedded_migrations(), clock); });
    ASSERT_TRUE(report.has_value()) << report.error().log_detail;
  }
  auto db = Database::open(dir.file("app.db"), 1);
  ASSERT_TRUE(db.has_value());
  auto version = (*db)->read([](Connection& c) { return current_version(c); });
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(*version, latest);
  auto report =
      (*db)->write([&](Connection& c) { return migrate(c, embedded_migrations(), clock); });
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->applied, 0);
}

}  // namespace
}  // namespace ferr::storage::sqlite
