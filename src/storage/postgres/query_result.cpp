#include "storage/postgres/query_result.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace ferr::storage::postgres {

void QueryResult::Clear::operator()(pg_result* result) const { PQclear(result); }

QueryResult::QueryResult(pg_result* result) : result_(result) {}

int QueryResult::rows() const { return result_ ? PQntuples(result_.get()) : 0; }

int QueryResult::columns() const { return result_ ? PQnfields(result_.get()) : 0; }

std::string_view QueryResult::column_name(int column) const {
  const char* name = result_ ? PQfname(result_.get(), column) : nullptr;
  return name ? name : "";
}

std::int64_t QueryResult::affected_rows() const {
  if (!result_) return 0;
  const char* count = PQcmdTuples(result_.get());
  std::int64_t n = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), n);
  return n;
}

bool QueryResult::is_null(int row, int column) const {
  // Out of range reads as NULL so that a wrong index fails the typed reads, never crashes.
  if (!in_range(row, column)) return true;
  return PQgetisnull(result_.get(), row, column) == 1;
}

std::string_view QueryResult::text(int row, int column) const {
  if (is_null(row, column)) return {};
  return {PQgetvalue(result_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

core::Error QueryResult::bad_value(int row, int column, std::string_view expected) const {
  return core::Error::database("postgres: row " + std::to_string(row) + " column " +
                               std::to_string(column) + " (" + std::string(column_name(column)) +
                               ") is not " + std::string(expected));
}

std::string_view QueryResult::command_tag() const {
  const char* tag = result_ ? PQcmdStatus(result_.get()) : nullptr;
  return tag ? tag : "";
}

bool QueryResult::in_range(int row, int column) const {
  return result_ && row >= 0 && row < rows() && column >= 0 && column < columns();
}

core::Result<void> QueryResult::check_not_null(int row, int column) const {
  if (!in_range(row, column)) return core::fail(bad_value(row, column, "in the result"));
  if (is_null(row, column)) return core::fail(bad_value(row, column, "a value (NULL)"));
  return {};
}

core::Result<std::string> QueryResult::string(int row, int column) const {
  if (auto ok = check_not_null(row, column); !ok) return core::fail(ok.error());
  return std::string(text(row, column));
}

core::Result<std::int64_t> QueryResult::int64(int row, int column) const {
  if (auto ok = check_not_null(row, column); !ok) return core::fail(ok.error());
  std::string_view t = text(row, column);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || end != t.data() + t.size()) {
    return core::fail(bad_value(row, column, "an integer"));
  }
  return value;
}

core::Result<bool> QueryResult::boolean(int row, int column) const {
  if (auto ok = check_not_null(row, column); !ok) return core::fail(ok.error());
  std::string_view t = text(row, column);
  if (t == "t") return true;
  if (t == "f") return false;
  return core::fail(bad_value(row, column, "a boolean"));
}

core::Result<double> QueryResult::real(int row, int column) const {
  if (auto ok = check_not_null(row, column); !ok) return core::fail(ok.error());
  // from_chars ignores the locale and reads the spellings float8 writes ("NaN", "Infinity").
  std::string_view t = text(row, column);
  double value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || end != t.data() + t.size()) {
    return core::fail(bad_value(row, column, "a number"));
  }
  return value;
}

core::Result<std::optional<std::string>> QueryResult::optional_string(int row, int column) const {
  if (!in_range(row, column)) return core::fail(bad_value(row, column, "in the result"));
  if (is_null(row, column)) return std::optional<std::string>{};
  return std::optional<std::string>(std::string(text(row, column)));
}

core::Result<std::optional<std::int64_t>> QueryResult::optional_int64(int row, int column) const {
  if (!in_range(row, column)) return core::fail(bad_value(row, column, "in the result"));
  if (is_null(row, column)) return std::optional<std::int64_t>{};
  auto value = int64(row, column);
  if (!value) return core::fail(value.error());
  return std::optional<std::int64_t>(*value);
}

}  // namespace ferr::storage::postgres
