#pragma once
/// SQLite readiness: a reader answers and every embedded migration is applied.

#include "domain/readiness.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

class SqliteReadinessCheck final : public domain::ReadinessCheck {
 public:
  explicit SqliteReadinessCheck(Database& db) : db_(db) {}
  core::Task<core::Result<void>> check() override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::sqlite
