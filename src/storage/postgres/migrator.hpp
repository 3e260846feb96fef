#pragma once
/// Applies numbered migrations to PostgreSQL, each exactly once, even when several instances
/// start together.

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "storage/migration.hpp"
#include "storage/postgres/connection.hpp"

namespace ferr::storage::postgres {

/// The key of the transaction-level advisory lock the migrator holds ("ferrmig" in ASCII): every
/// instance takes the same one, so they apply migrations one after the other.
inline constexpr std::int64_t kMigrationLockKey = 0x66657272'6d6967;

/// The schema compiled into this binary (generated from migrations/*.sql).
const std::vector<Migration>& embedded_migrations();

/// What a migration run did.
struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  int applied = 0;
};

/// The highest applied version (0 when `schema_migrations` does not exist yet).
boost::asio::awaitable<core::Result<int>> current_version(Connection& connection);

/// Applies every migration newer than the database in one transaction holding
/// `pg_advisory_xact_lock(kMigrationLockKey)`, recording each in `schema_migrations` (created
/// here when missing). A second instance waits for the lock, then finds nothing left to do. A
/// failing migration rolls back the whole run. Refuses a database newer than `migrations` and a
/// list not numbered 1, 2, 3, … The lock wait counts against the connection's query timeout.
boost::asio::awaitable<core::Result<MigrationReport>> migrate(
    Connection& connection, const std::vector<Migration>& migrations);

}  // namespace ferr::storage::postgres
