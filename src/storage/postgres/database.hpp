#pragma once
/// The PostgreSQL backend's handle: the connection pool and the I/O threads that drive it.
///
/// The domain's repositories are synchronous and run on the blocking pool; each of their calls
/// becomes one coroutine on these I/O threads (`run`), where libpq's sockets are driven without
/// blocking, and the calling thread waits for its result. The threads are the backend's own so
/// the database is usable before the HTTP server starts (migrations, the CLI commands) and after
/// it stops (the telemetry writer's last batch).

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "storage/postgres/migrator.hpp"
#include "storage/postgres/pool.hpp"
#include "storage/postgres/sync_bridge.hpp"
#include "storage/postgres/transaction.hpp"

namespace ferr::storage::postgres {

class Database {
 public:
  /// Starts `io_threads` threads on one io_context; connects lazily (on the first call).
  explicit Database(PoolOptions options, std::size_t io_threads = 2);
  /// Waits for nothing: call it once no repository call is in flight.
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs `make()` (an `awaitable<core::Result<T>>`) on the I/O threads and waits for it.
  template <typename T, typename F>
  core::Result<T> run(F make) {
    return run_sync<T>(context_.get_executor(), std::move(make));
  }

  /// Runs `body(Connection&)` inside BEGIN … COMMIT on a leased connection and waits for it.
  template <typename T, typename Body>
  core::Result<T> transaction(Body body) {
    return run<T>([this, body = std::move(body)]() mutable {
      return in_transaction(*pool_, std::move(body));
    });
  }

  /// Applies the embedded migrations (advisory-locked, see migrator.hpp).
  core::Result<MigrationReport> migrate();
  /// The highest applied migration version.
  core::Result<int> schema_version();

  Pool& pool() { return *pool_; }

 private:
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace ferr::storage::postgres
