#pragma once
/// IdempotencyStore on PostgreSQL: a claim is one pipeline (expiry, the claiming upsert and the
/// read of the entry, one implicit transaction), so two instances never both run the request of
/// one key, in one round trip.

#include "domain/idempotency/idempotency_store.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

class PgIdempotencyStore final : public domain::idempotency::IdempotencyStore {
 public:
  explicit PgIdempotencyStore(Database& db) : db_(db) {}

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

}  // namespace ferr::storage::postgres
