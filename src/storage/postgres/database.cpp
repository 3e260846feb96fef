#include "storage/postgres/database.hpp"

#include <boost/asio/awaitable.hpp>

namespace ferr::storage::postgres {

namespace asio = boost::asio;

Database::Database(PoolOptions options, std::size_t io_threads)
    : context_(static_cast<int>(io_threads)),
      work_(context_.get_executor()),
      pool_(std::make_unique<Pool>(std::move(options))) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, io_threads); ++i)
    threads_.emplace_back([this] { context_.run(); });
}

Database::~Database() {
  // Idle connections close with the pool; the pool outlives the threads that drove it.
  work_.reset();
  context_.stop();
  for (auto& thread : threads_) thread.join();
  pool_.reset();
}

core::Result<MigrationReport> Database::migrate() {
  return run<MigrationReport>([this]() -> asio::awaitable<core::Result<MigrationReport>> {
    auto lease = co_await pool_->acquire();
    if (!lease) co_return core::fail(std::move(lease.error()));
    co_return co_await postgres::migrate(**lease, embedded_migrations());
  });
}

core::Result<int> Database::schema_version() {
  return run<int>([this]() -> asio::awaitable<core::Result<int>> {
    auto lease = co_await pool_->acquire();
    if (!lease) co_return core::fail(std::move(lease.error()));
    co_return co_await current_version(**lease);
  });
}

}  // namespace ferr::storage::postgres
