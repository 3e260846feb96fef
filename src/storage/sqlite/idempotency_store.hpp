#pragma once
/// IdempotencyStore on SQLite, run on the database's own threads in one hop per call.

#include "domain/idempotency/idempotency_store.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

class SqliteIdempotencyStore final : public domain::idempotency::IdempotencyStore {
 public:
  explicit SqliteIdempotencyStore(Database& db) : db_(db) {}

  core::Task<core::Result<domain::idempotency::Entry>> claim(
      const core::UserId& user, const std::string& key, const std::string& fingerprint,
      const domain::idempotency::ClaimTimes& times) override;
  core::Task<core::Result<void>> complete(
      const core::UserId& user, const std::string& key,
      const domain::idempotency::StoredResponse& response) override;
  core::Task<core::Result<void>> release(const core::UserId& user, const std::string& key) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::sqlite
