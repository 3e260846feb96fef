#include "storage/postgres/errors.hpp"

#include <libpq-fe.h>

namespace ferr::storage::postgres {
namespace {

constexpr std::string_view kSqlstateMarker = "SQLSTATE ";
constexpr std::string_view kConstraintMarker = "[constraint ";

// libpq messages end with a newline and sometimes span lines: one line reads better in a log.
std::string one_line(std::string_view text) {
  std::string line(text);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  for (char& c : line) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return line;
}

bool is_outage(std::string_view code) {
  std::string_view klass = code.substr(0, 2);
  return klass == "08" || klass == "53" || klass == "40" || code == sqlstate::kQueryCanceled ||
         code.starts_with("57P");
}

}  // namespace

std::optional<std::string> sqlstate_of(const core::Error& error) {
  auto at = error.log_detail.find(kSqlstateMarker);
  if (at == std::string::npos) return std::nullopt;
  std::string code = error.log_detail.substr(at + kSqlstateMarker.size(), 5);
  if (code.size() != 5) return std::nullopt;
  return code;
}

std::optional<std::string> constraint_of(const core::Error& error) {
  auto at = error.log_detail.find(kConstraintMarker);
  if (at == std::string::npos) return std::nullopt;
  at += kConstraintMarker.size();
  auto end = error.log_detail.find(']', at);
  if (end == std::string::npos) return std::nullopt;
  return error.log_detail.substr(at, end - at);
}

bool is_unique_violation(const core::Error& error) {
  return sqlstate_of(error) == sqlstate::kUniqueViolation;
}

bool is_constraint_violation(const core::Error& error) {
  auto code = sqlstate_of(error);
  return code && code->starts_with("23");
}

core::Error unavailable(std::string log_detail) {
  core::Error e{core::ErrorCode::service_unavailable, "the database is unavailable, retry shortly"};
  e.retry_after_seconds = 1;
  e.log_detail = std::move(log_detail);
  return e;
}

core::Error result_error(const pg_result* result, std::string_view what) {
  const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  std::string detail = "postgres ";
  if (code) detail += std::string(kSqlstateMarker) + code + " ";
  if (constraint) detail += std::string(kConstraintMarker) + constraint + "] ";
  detail += std::string(what) + ": ";
  // Without a primary field (a client-side failure), libpq's own message says what happened.
  detail += one_line(message ? message : PQresultErrorMessage(result));
  if (!code || is_outage(code)) return unavailable(std::move(detail));
  return core::Error::database(std::move(detail));
}

core::Error connection_error(const pg_conn* connection, std::string_view what) {
  std::string message = connection ? one_line(PQerrorMessage(connection)) : "no connection";
  return unavailable("postgres " + std::string(what) + ": " + message);
}

}  // namespace ferr::storage::postgres
