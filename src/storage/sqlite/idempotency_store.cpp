#include "storage/sqlite/idempotency_store.hpp"

#include "core/try.hpp"
#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::Result;
using core::Task;
using domain::idempotency::ClaimTimes;
using domain::idempotency::Entry;
using domain::idempotency::StoredResponse;

Task<Result<Entry>> SqliteIdempotencyStore::claim(const core::UserId& user, const std::string& key,
                                                  const std::string& fingerprint,
                                                  const ClaimTimes& times) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<Entry> {
    // Expiry rides on the claims themselves: an indexed range delete, empty most of the time.
    FERR_TRY(auto expire, c.query("DELETE FROM idempotency_keys WHERE created_at < ?"));
    expire->bind(1, to_ms(times.expired_before));
    FERR_CHECK(expire->run());

    FERR_TRY(auto q, c.query("SELECT fingerprint, status, body, created_at FROM "
                             "idempotency_keys WHERE user_id = ? AND key = ?"));
    q->bind(1, user).bind(2, key);
    FERR_TRY(bool found, q->step());
    if (found) {
      Entry held{false, q->column_text(0), std::nullopt};
      if (!q->column_is_null(1)) {
        held.response = StoredResponse{static_cast<int>(q->column_int(1)), q->column_text(2)};
        return held;
      }
      if (from_ms(q->column_int(3)) >= times.abandoned_before) return held;  // still in flight
    }
    // New, or an in-flight entry whose request died: it is ours now.
    FERR_TRY(auto take, c.query("INSERT INTO idempotency_keys (user_id, key, fingerprint, "
                                "created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, key) DO "
                                "UPDATE SET fingerprint = excluded.fingerprint, created_at = "
                                "excluded.created_at, status = NULL, body = NULL"));
    take->bind(1, user).bind(2, key).bind(3, fingerprint).bind(4, to_ms(times.now));
    FERR_CHECK(take->run());
    return Entry{true, fingerprint, std::nullopt};
  });
}

Task<Result<void>> SqliteIdempotencyStore::complete(const core::UserId& user,
                                                    const std::string& key,
                                                    const StoredResponse& response) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query("UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? "
                             "AND key = ?"));
    q->bind(1, std::int64_t{response.status}).bind(2, response.body).bind(3, user).bind(4, key);
    return q->run();
  });
}

Task<Result<void>> SqliteIdempotencyStore::release(const core::UserId& user,
                                                   const std::string& key) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND "
                             "status IS NULL"));
    q->bind(1, user).bind(2, key);
    return q->run();
  });
}

}  // namespace ferr::storage::sqlite
