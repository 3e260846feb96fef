#include "storage/sqlite/readiness.hpp"

#include <string>

#include "core/try.hpp"
#include "storage/sqlite/migrator.hpp"

namespace ferr::storage::sqlite {

core::Task<core::Result<void>> SqliteReadinessCheck::check() {
  auto version = co_await db_.read_async([](Connection& c) { return current_version(c); });
  FERR_CO_TRY(int current, std::move(version));
  auto latest = static_cast<int>(embedded_migrations().size());
  if (current != latest) {
    co_return core::fail(core::Error{core::ErrorCode::service_unavailable, "schema not current",
                                     std::nullopt, 1,
                                     "schema at version " + std::to_string(current) +
                                         ", binary expects " + std::to_string(latest)});
  }
  co_return core::Result<void>{};
}

}  // namespace ferr::storage::sqlite
