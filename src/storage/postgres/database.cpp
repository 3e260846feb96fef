#include "storage/postgres/database.hpp"

#include "core/try.hpp"

namespace ferr::storage::postgres {

Database::Database(PoolOptions options) : pool_(std::make_unique<Pool>(std::move(options))) {}

Database::~Database() = default;

core::Task<core::Result<MigrationReport>> Database::migrate() {
  FERR_CO_TRY(auto lease, co_await pool_->acquire());
  co_return co_await postgres::migrate(*lease, embedded_migrations());
}

core::Task<core::Result<int>> Database::schema_version() {
  FERR_CO_TRY(auto lease, co_await pool_->acquire());
  co_return co_await current_version(*lease);
}

}  // namespace ferr::storage::postgres
