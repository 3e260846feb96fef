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

/// Inside a coroutine returning `awaitable<core::Result<…>>`: evaluates `expr` (a `Result`) and
/// returns its error, or binds its value to `var` (a name being declared: it cannot be
/// parenthesised).
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FERR_PG_TRY(var, expr)                                                      \
  auto var##_result = (expr);                                                       \
  if (!var##_result) co_return ::ferr::core::fail(std::move(var##_result.error())); \
  auto var = std::move(*var##_result)
// NOLINTEND(bugprone-macro-parentheses)

/// Inside a coroutine returning `awaitable<core::Result<…>>`: evaluates `expr` (a `Result` whose
/// value is not needed) and returns its error.
#define FERR_PG_DO(expr)                                                \
  do {                                                                  \
    auto done_ = (expr);                                                \
    if (!done_) co_return ::ferr::core::fail(std::move(done_.error())); \
  } while (0)

/// Outside coroutines (row readers): evaluates `expr` (a `Result`) and returns its error, or
/// assigns its value to `target`.
#define FERR_PG_READ(target, expr)                                   \
  do {                                                               \
    auto read_ = (expr);                                             \
    if (!read_) return ::ferr::core::fail(std::move(read_.error())); \
    (target) = std::move(*read_);                                    \
  } while (0)
