#pragma once
/// PostgreSQL readiness: the server answers and every embedded migration is applied.

#include "domain/readiness.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

class PgReadinessCheck final : public domain::ReadinessCheck {
 public:
  explicit PgReadinessCheck(Database& db) : db_(db) {}
  core::Task<core::Result<void>> check() override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::postgres
