#pragma once
/// How domain values travel to and from the PostgreSQL schema: times as Unix milliseconds
/// through `ms_to_ts`/`ts_to_ms` (migrations/README.md), ids as canonical uuid text.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/uuid.hpp"
#include "storage/postgres/query_result.hpp"

namespace ferr::storage::postgres {

/// A time as Unix milliseconds (bind it as `ms_to_ts($n)`).
inline std::int64_t to_ms(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
/// Unix milliseconds (read with `ts_to_ms(column)`) as a time.
inline core::TimePoint from_ms(std::int64_t ms) {
  return core::TimePoint(
      std::chrono::duration_cast<core::TimePoint::duration>(std::chrono::milliseconds(ms)));
}

/// The uuid in (row, column); a value that is not one is a schema/code mismatch.
inline core::Result<core::Uuid> read_uuid(const QueryResult& result, int row, int column) {
  auto text = result.string(row, column);
  if (!text) return core::fail(std::move(text.error()));
  auto id = core::Uuid::parse(*text);
  if (!id) return core::fail(core::Error::database("postgres: a stored id is not a uuid"));
  return *id;
}

/// The id in (row, column), e.g. `read_id<core::UserId>(rows, 0, 0)`.
template <typename Id>
core::Result<Id> read_id(const QueryResult& result, int row, int column) {
  auto uuid = read_uuid(result, row, column);
  if (!uuid) return core::fail(std::move(uuid.error()));
  return Id{*uuid};
}

/// The time in (row, column), read as `ts_to_ms(…)`.
inline core::Result<core::TimePoint> read_time(const QueryResult& result, int row, int column) {
  auto ms = result.int64(row, column);
  if (!ms) return core::fail(std::move(ms.error()));
  return from_ms(*ms);
}

/// NULL as nullopt, otherwise as `read_time`.
inline core::Result<std::optional<core::TimePoint>> read_optional_time(const QueryResult& result,
                                                                       int row, int column) {
  if (result.is_null(row, column)) return std::optional<core::TimePoint>{};
  auto t = read_time(result, row, column);
  if (!t) return core::fail(std::move(t.error()));
  return std::optional<core::TimePoint>{*t};
}

}  // namespace ferr::storage::postgres
