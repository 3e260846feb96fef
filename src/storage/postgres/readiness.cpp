#include "storage/postgres/readiness.hpp"

#include <string>

namespace ferr::storage::postgres {

core::Result<void> PgReadinessCheck::check() {
  // One query through the pool: it fails fast (service_unavailable) while the server is down,
  // and succeeds again on the first reconnection.
  auto version = db_.schema_version();
  if (!version) return core::fail(std::move(version.error()));
  const int expected = static_cast<int>(embedded_migrations().size());
  if (*version != expected) {
    return core::fail(core::Error::database("postgres schema at version " +
                                            std::to_string(*version) + ", expected " +
                                            std::to_string(expected)));
  }
  return {};
}

}  // namespace ferr::storage::postgres
