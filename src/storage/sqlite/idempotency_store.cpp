#include "storage/sqlite/idempotency_store.hpp"

#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::fail;
using core::Result;
using domain::idempotency::Entry;
using domain::idempotency::StoredResponse;

Result<Entry> SqliteIdempotencyStore::claim(const core::Uuid& user, const std::string& key,
                                            const std::string& fingerprint, core::TimePoint now,
                                            core::TimePoint expired_before,
                                            core::TimePoint abandoned_before) {
  return in_transaction(db_, [&](Connection& c) -> Result<Entry> {
    // Expiry rides on the claims themselves: an indexed range delete, empty most of the time.
    auto expire = c.query("DELETE FROM idempotency_keys WHERE created_at < ?");
    if (!expire) return fail(expire.error());
    (*expire)->bind(1, to_ms(expired_before));
    if (auto r = (*expire)->run(); !r) return fail(r.error());

    auto q = c.query(
        "SELECT fingerprint, status, body, created_at FROM idempotency_keys "
        "WHERE user_id = ? AND key = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, user.to_string()).bind(2, key);
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    if (*row) {
      Entry held{false, (*q)->column_text(0), std::nullopt};
      if (!(*q)->column_is_null(1)) {
        held.response = StoredResponse{static_cast<int>((*q)->column_int(1)), (*q)->column_text(2)};
        return held;
      }
      if (from_ms((*q)->column_int(3)) >= abandoned_before) return held;  // still in flight
    }
    // New, or an in-flight entry whose request died: it is ours now.
    auto take = c.query(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, "
        "created_at = excluded.created_at, status = NULL, body = NULL");
    if (!take) return fail(take.error());
    (*take)->bind(1, user.to_string()).bind(2, key).bind(3, fingerprint).bind(4, to_ms(now));
    if (auto r = (*take)->run(); !r) return fail(r.error());
    return Entry{true, fingerprint, std::nullopt};
  });
}

Result<void> SqliteIdempotencyStore::complete(const core::Uuid& user, const std::string& key,
                                              const StoredResponse& response) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q =
        c.query("UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, std::int64_t{response.status})
        .bind(2, response.body)
        .bind(3, user.to_string())
        .bind(4, key);
    return (*q)->run();
  });
}

Result<void> SqliteIdempotencyStore::release(const core::Uuid& user, const std::string& key) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q =
        c.query("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL");
    if (!q) return fail(q.error());
    (*q)->bind(1, user.to_string()).bind(2, key);
    return (*q)->run();
  });
}

}  // namespace ferr::storage::sqlite
