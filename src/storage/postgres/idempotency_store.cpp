#include "storage/postgres/idempotency_store.hpp"

#include <utility>
#include <vector>

#include "core/try.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

using core::Result;
using core::Task;
using domain::idempotency::ClaimTimes;
using domain::idempotency::Entry;
using domain::idempotency::StoredResponse;

Task<Result<Entry>> PgIdempotencyStore::claim(const core::UserId& user, const std::string& key,
                                              const std::string& fingerprint,
                                              const ClaimTimes& times) {
  const std::string user_id = user.to_string();
  // One round trip, one implicit transaction: expiry rides on the claims (an indexed range
  // delete, empty most of the time); the upsert takes the key or leaves it locked to its holder
  // until the pipeline ends, so the read that follows sees the entry as it stands.
  std::vector<Statement> statements;
  statements.push_back({sql::expire_idempotency, {to_ms(times.expired_before)}});
  statements.push_back(
      {sql::claim_idempotency,
       {user_id, key, fingerprint, to_ms(times.now), to_ms(times.abandoned_before)}});
  statements.push_back({sql::read_idempotency, {user_id, key}});
  FERR_CO_TRY(auto results, co_await db_.pool().pipeline(std::move(statements)));
  if (results[1].rows() == 1) co_return Entry{true, fingerprint, std::nullopt};

  const QueryResult& held = results[2];
  if (held.rows() != 1) {
    co_return core::fail(
        core::Error::database("postgres idempotency claim: the held entry vanished"));
  }
  Entry entry;
  FERR_CO_TRY(entry.fingerprint, held.string(0, 0));
  if (!held.is_null(0, 1)) {
    FERR_CO_TRY(const std::int64_t status, held.int64(0, 1));
    FERR_CO_TRY(auto body, held.string(0, 2));
    entry.response = StoredResponse{static_cast<int>(status), std::move(body)};
  }
  co_return entry;
}

Task<Result<void>> PgIdempotencyStore::complete(const core::UserId& user, const std::string& key,
                                                const StoredResponse& response) {
  FERR_CO_CHECK(co_await db_.pool().query(sql::complete_idempotency, response.status, response.body,
                                          user.to_string(), key));
  co_return Result<void>{};
}

Task<Result<void>> PgIdempotencyStore::release(const core::UserId& user, const std::string& key) {
  FERR_CO_CHECK(co_await db_.pool().query(sql::release_idempotency, user.to_string(), key));
  co_return Result<void>{};
}

}  // namespace ferr::storage::postgres
