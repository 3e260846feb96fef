#pragma once
/// How domain values are stored in SQLite columns.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/stored_value.hpp"
#include "core/uuid.hpp"
#include "storage/sqlite/connection.hpp"

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
/// A typed id (`core::UserId`, …) read like read_uuid.
template <typename IdType>
IdType read_id(const Statement& row, int column) {
  return IdType{read_uuid(row, column)};
}

/// An enum stored as its wire name, parsed by `parse`; a name the code does not know is an
/// error (core::known_stored_value), never a default.
template <typename Parse>
auto read_enum(const Statement& row, int column, Parse parse, std::string_view column_name)
    -> core::Result<typename decltype(parse(std::string_view{}))::value_type> {
  std::string text = row.column_text(column);
  return core::known_stored_value(parse(text), column_name, text);
}

/// Binds a value or NULL.
inline void bind_optional(Statement& s, int index, const std::optional<std::string>& value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind_null(index);
  }
}

}  // namespace ferr::storage::sqlite
