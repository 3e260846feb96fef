#pragma once
/// Applies the embedded migrations in order, each once, under the database write lock.

#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "storage/migration.hpp"
#include "storage/sqlite/connection.hpp"

namespace ferr::storage::sqlite {

/// The migrations compiled into this binary (generated from migrations/*.sql).
const std::vector<Migration>& embedded_migrations();

/// What a migration run did.
struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  int applied = 0;
};

/// Highest applied version (0 on an empty database).
core::Result<int> current_version(Connection& c);

/// Applies every migration newer than the database in one IMMEDIATE transaction, so two
/// processes starting together cannot both apply one. Refuses a database newer than the binary
/// and a migration list that is not numbered 1, 2, 3, …
core::Result<MigrationReport> migrate(Connection& c, const std::vector<Migration>& migrations,
                                      const core::Clock& clock);

}  // namespace ferr::storage::sqlite
