#include "storage/postgres/migrator.hpp"

#include <string>

#include "storage/postgres/transaction.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;

// `applied_at` is the server's clock: instances may disagree, the database is the reference.
constexpr std::string_view kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

core::Error in_migration(core::Error error, const Migration& m) {
  error.log_detail =
      "migration " + std::to_string(m.version) + " (" + m.name + "): " + error.log_detail;
  return error;
}

}  // namespace

asio::awaitable<core::Result<int>> current_version(Connection& connection) {
  auto exists = co_await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) co_return core::fail(std::move(exists.error()));
  auto present = exists->boolean(0, 0);
  if (!present) co_return core::fail(std::move(present.error()));
  if (!*present) co_return 0;
  auto max = co_await connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max) co_return core::fail(std::move(max.error()));
  auto version = max->int64(0, 0);
  if (!version) co_return core::fail(std::move(version.error()));
  co_return static_cast<int>(*version);
}

asio::awaitable<core::Result<MigrationReport>> migrate(Connection& connection,
                                                       const std::vector<Migration>& migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      co_return core::fail(core::Error::internal("migrations are not numbered 1..n without gaps"));
    }
  }
  co_return co_await in_transaction(
      connection, [&](Connection& c) -> asio::awaitable<core::Result<MigrationReport>> {
        // Held until COMMIT or ROLLBACK: a second instance waits here, then sees the new version.
        if (auto locked = co_await c.query("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
            !locked) {
          co_return core::fail(std::move(locked.error()));
        }
        if (auto ledger = co_await c.query(kCreateLedger); !ledger) {
          co_return core::fail(std::move(ledger.error()));
        }
        auto version = co_await current_version(c);
        if (!version) co_return core::fail(std::move(version.error()));
        const int latest = static_cast<int>(migrations.size());
        if (*version > latest) {
          co_return core::fail(core::Error::internal(
              "the database schema (version " + std::to_string(*version) +
              ") is newer than this binary (version " + std::to_string(latest) + ")"));
        }
        MigrationReport report{*version, *version, 0};
        for (const Migration& m : migrations) {
          if (m.version <= *version) continue;
          if (auto applied = co_await c.execute_script(m.sql); !applied) {
            co_return core::fail(in_migration(std::move(applied.error()), m));
          }
          if (auto recorded =
                  co_await c.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                   m.version, m.name);
              !recorded) {
            co_return core::fail(in_migration(std::move(recorded.error()), m));
          }
          report.to_version = m.version;
          ++report.applied;
        }
        co_return report;
      });
}

}  // namespace ferr::storage::postgres
