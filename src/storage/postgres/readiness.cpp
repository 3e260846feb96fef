#include "storage/postgres/readiness.hpp"

#include <string>

#include "core/try.hpp"

namespace ferr::storage::postgres {

core::Task<core::Result<void>> PgReadinessCheck::check() {
  // Through the pool: it fails fast (service_unavailable) while the server is down, and
  // succeeds again on the first reconnection.
  FERR_CO_TRY(const int version, co_await db_.schema_version());
  const int expected = static_cast<int>(embedded_migrations().size());
  if (version != expected) {
    co_return core::fail(core::Error::database("postgres schema at version " +
                                               std::to_string(version) + ", expected " +
                                               std::to_string(expected)));
  }
  co_return core::Result<void>{};
}

}  // namespace ferr::storage::postgres
