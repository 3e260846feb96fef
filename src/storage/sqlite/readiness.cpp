#include "storage/sqlite/readiness.hpp"

#include "storage/sqlite/migrator.hpp"

namespace ferr::storage::sqlite {

core::Result<void> SqliteReadinessCheck::check() {
  auto version = db_.read([](Connection& c) { return current_version(c); });
  if (!version) return core::fail(version.error());
  auto latest = static_cast<int>(embedded_migrations().size());
  if (*version != latest) {
    return core::fail(core::Error{core::ErrorCode::service_unavailable, "schema not current",
                                  std::nullopt, 1,
                                  "schema at version " + std::to_string(*version) +
                                      ", binary expects " + std::to_string(latest)});
  }
  return {};
}

}  // namespace ferr::storage::sqlite
