#include "storage/postgres/idempotency_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>
#include <utility>

#include "storage/postgres/codec.hpp"

namespace ferr::storage::postgres {

using boost::asio::awaitable;
using core::fail;
using core::Result;
using domain::idempotency::Entry;
using domain::idempotency::StoredResponse;

namespace {

// Statement `expire-idempotency` of migrations/README.md.
constexpr std::string_view kExpire =
    "DELETE FROM idempotency_keys\n"
    "WHERE created_at < ms_to_ts($1)";

// Statement `claim-idempotency`: one upsert takes a new key or an abandoned in-flight one, so two
// instances never both run the request of one key. No row back: someone else holds it, and the
// row stays locked by this statement until commit.
constexpr std::string_view kClaim =
    "INSERT INTO idempotency_keys AS k (user_id, key, fingerprint, created_at)\n"
    "VALUES ($1, $2, $3, ms_to_ts($4))\n"
    "ON CONFLICT (user_id, key) DO UPDATE\n"
    "SET fingerprint = EXCLUDED.fingerprint,\n"
    "    created_at = EXCLUDED.created_at,\n"
    "    status = NULL,\n"
    "    body = NULL\n"
    "WHERE k.status IS NULL\n"
    "  AND k.created_at < ms_to_ts($5)\n"
    "RETURNING true";

// Statement `read-idempotency`.
constexpr std::string_view kRead =
    "SELECT fingerprint, status, body\n"
    "FROM idempotency_keys\n"
    "WHERE user_id = $1\n"
    "  AND key = $2";

}  // namespace

Result<Entry> PgIdempotencyStore::claim(const core::Uuid& user, const std::string& key,
                                        const std::string& fingerprint, core::TimePoint now,
                                        core::TimePoint expired_before,
                                        core::TimePoint abandoned_before) {
  const std::string user_id = user.to_string();
  return db_.transaction<Entry>([&](Connection& c) -> awaitable<Result<Entry>> {
    // Expiry rides on the claims themselves: an indexed range delete, empty most of the time.
    FERR_PG_DO(co_await c.query(kExpire, to_ms(expired_before)));
    FERR_PG_TRY(taken, co_await c.query(kClaim, user_id, key, fingerprint, to_ms(now),
                                        to_ms(abandoned_before)));
    if (taken.rows() == 1) co_return Entry{true, fingerprint, std::nullopt};

    // Held by another request: the upsert locked the row, so it reads as it stands.
    FERR_PG_TRY(held, co_await c.query(kRead, user_id, key));
    if (held.rows() != 1) {
      co_return fail(core::Error::database("postgres idempotency claim: the held entry vanished"));
    }
    FERR_PG_TRY(held_fingerprint, held.string(0, 0));
    Entry entry{false, std::move(held_fingerprint), std::nullopt};
    if (!held.is_null(0, 1)) {
      FERR_PG_TRY(status, held.int64(0, 1));
      FERR_PG_TRY(body, held.string(0, 2));
      entry.response = StoredResponse{static_cast<int>(status), std::move(body)};
    }
    co_return entry;
  });
}

Result<void> PgIdempotencyStore::complete(const core::Uuid& user, const std::string& key,
                                          const StoredResponse& response) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND key = $4",
        response.status, response.body, user.to_string(), key));
    co_return Result<void>{};
  });
}

Result<void> PgIdempotencyStore::release(const core::Uuid& user, const std::string& key) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL",
        user.to_string(), key));
    co_return Result<void>{};
  });
}

}  // namespace ferr::storage::postgres
