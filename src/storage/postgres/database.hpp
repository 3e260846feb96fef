#pragma once
/// The PostgreSQL backend's handle: the connection pool, shared by every I/O thread.
///
/// It owns no thread: a repository method is a coroutine that runs on the executor of whoever
/// awaits it (the HTTP I/O thread serving the request), and libpq's sockets are driven there.
/// Start-up, the CLI commands and shutdown await the same coroutines with
/// core::run_to_completion.

#include <cstddef>
#include <memory>

#include "core/error.hpp"
#include "core/task.hpp"
#include "storage/postgres/migrator.hpp"
#include "storage/postgres/pool.hpp"
#include "storage/postgres/transaction.hpp"

namespace ferr::storage::postgres {

class Database {
 public:
  /// Connects lazily (on the first acquire).
  explicit Database(PoolOptions options);
  /// Call it once no repository call is in flight (every lease has ended).
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Applies the embedded migrations (advisory-locked, see migrator.hpp).
  core::Task<core::Result<MigrationReport>> migrate();
  /// The highest applied migration version.
  core::Task<core::Result<int>> schema_version();

  /// The pool every repository leases from.
  Pool& pool() { return *pool_; }

 private:
  std::unique_ptr<Pool> pool_;
};

}  // namespace ferr::storage::postgres
