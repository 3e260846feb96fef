#include "storage/postgres/migrator.hpp"

#include <cstdint>
#include <string>

#include "core/try.hpp"
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
  FERR_CO_TRY(auto exists,
              co_await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  FERR_CO_TRY(const bool present, exists.boolean(0, 0));
  if (!present) co_return 0;
  FERR_CO_TRY(auto max,
              co_await connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  FERR_CO_TRY(const std::int64_t version, max.int64(0, 0));
  co_return static_cast<int>(version);
}

asio::awaitable<core::Result<MigrationReport>> migrate(Connection& connection,
                                                       const std::vector<Migration>& migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      co_return core::fail(core::Error::internal("migrations are not numbered 1..n without gaps"));
    }
  }
  co_return co_await in_transaction(
      connection, [&](Transaction& tx) -> asio::awaitable<core::Result<MigrationReport>> {
        // Held until COMMIT or ROLLBACK: a second instance waits here, then sees the new version.
        // The ledger exists once the second statement ran, so the third can read it.
        std::vector<Statement> start;
        start.push_back({"SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}});
        start.push_back({kCreateLedger, {}});
        start.push_back({"SELECT coalesce(max(version), 0) FROM schema_migrations", {}});
        FERR_CO_TRY(auto started, co_await tx.pipeline(std::move(start)));
        FERR_CO_TRY(const std::int64_t stored, started[2].int64(0, 0));
        const int version = static_cast<int>(stored);
        const int latest = static_cast<int>(migrations.size());
        if (version > latest) {
          co_return core::fail(core::Error::internal(
              "the database schema (version " + std::to_string(version) +
              ") is newer than this binary (version " + std::to_string(latest) + ")"));
        }
        MigrationReport report{version, version, 0};
        std::vector<Statement> records;
        for (const Migration& m : migrations) {
          if (m.version <= version) continue;
          if (auto applied = co_await tx.connection().execute_script(m.sql); !applied) {
            co_return core::fail(in_migration(std::move(applied.error()), m));
          }
          records.push_back({"INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                             {m.version, m.name}});
          report.to_version = m.version;
          ++report.applied;
        }
        FERR_CO_CHECK(co_await tx.commit_with(std::move(records)));
        co_return report;
      });
}

}  // namespace ferr::storage::postgres
