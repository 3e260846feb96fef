#pragma once
/// How domain values are stored in SQLite columns, and the transaction helper.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/uuid.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

/// Times are stored as Unix milliseconds.
inline std::int64_t to_ms(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline core::TimePoint from_ms(std::int64_t ms) {
  return core::TimePoint(
      std::chrono::duration_cast<core::TimePoint::duration>(std::chrono::milliseconds(ms)));
}

/// Ids are stored as canonical UUID text; a malformed stored id reads as the nil UUID.
inline core::Uuid read_uuid(const Statement& row, int column) {
  return core::Uuid::parse(row.column_text(column)).value_or(core::Uuid{});
}

/// Binds a value or NULL.
inline void bind_optional(Statement& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind_null(index);
  }
}

/// Runs `fn(Connection&)` on the writer inside BEGIN IMMEDIATE … COMMIT; a failed result rolls
/// the transaction back.
template <typename F>
auto in_transaction(Database& db, F&& fn) {
  return db.write([&](Connection& c) -> decltype(fn(c)) {
    auto tx = Transaction::begin(c);
    if (!tx) return core::fail(tx.error());
    auto result = fn(c);
    if (!result) return result;
    if (auto committed = tx->commit(); !committed) return core::fail(committed.error());
    return result;
  });
}

}  // namespace ferr::storage::sqlite
