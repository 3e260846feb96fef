#pragma once
/// The rows of one statement, read by column index in PostgreSQL's text format.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct pg_result;

namespace ferr::storage::postgres {

/// Owns one libpq result. Reading a value that is NULL or does not parse is an
/// `internal_database` error naming the row and column (a schema/code mismatch, not user input).
class QueryResult {
 public:
  /// An empty result (no rows, no columns).
  QueryResult() = default;
  /// Takes ownership of `result` (freed with PQclear).
  explicit QueryResult(pg_result* result);

  /// Number of rows.
  int rows() const;
  /// Number of columns.
  int columns() const;
  /// The name of column `column`.
  std::string_view column_name(int column) const;
  /// The row count the command reported (INSERT, UPDATE, DELETE, SELECT…); 0 when it has none.
  std::int64_t affected_rows() const;
  /// The command tag, e.g. `INSERT 0 1`, or `ROLLBACK` for a COMMIT of a failed transaction.
  std::string_view command_tag() const;

  /// True when the value is SQL NULL.
  bool is_null(int row, int column) const;
  /// The raw text of a value ("" for NULL); valid while this result lives.
  std::string_view text(int row, int column) const;
  /// The value as a string; NULL is an error.
  core::Result<std::string> string(int row, int column) const;
  /// The value as an integer (int2, int4, int8 or numeric text without a fraction).
  core::Result<std::int64_t> int64(int row, int column) const;
  /// The value as a boolean (`t` or `f`).
  core::Result<bool> boolean(int row, int column) const;
  /// The value as a double.
  core::Result<double> real(int row, int column) const;
  /// NULL as nullopt, otherwise as `string`.
  core::Result<std::optional<std::string>> optional_string(int row, int column) const;
  /// NULL as nullopt, otherwise as `int64`.
  core::Result<std::optional<std::int64_t>> optional_int64(int row, int column) const;

 private:
  struct Clear {
    void operator()(pg_result* result) const;
  };
  core::Error bad_value(int row, int column, std::string_view expected) const;
  bool in_range(int row, int column) const;
  core::Result<void> check_not_null(int row, int column) const;

  std::unique_ptr<pg_result, Clear> result_;
};

}  // namespace ferr::storage::postgres
