#pragma once
/// How libpq failures become `core::Error` values, and how callers read the SQLSTATE back.
///
/// An outage (cannot connect, connection lost, server shutting down, timeout) is
/// `service_unavailable` with `retry_after_seconds = 1`: the client may simply retry. Any other
/// server error is `internal_database`, unless a repository maps it: the SQLSTATE (and the
/// constraint, for integrity violations) travel in `log_detail` as `SQLSTATE 23505
/// [constraint orgs_slug_key]`, read back with `sqlstate_of` and `constraint_of`. Details that may
/// hold user data (the DETAIL field names key values) are never copied.

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace ferr::storage::postgres {

/// SQLSTATE codes that repositories map (PostgreSQL manual, appendix A).
namespace sqlstate {
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kNotNullViolation = "23502";
inline constexpr std::string_view kCheckViolation = "23514";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kDeadlockDetected = "40P01";
inline constexpr std::string_view kQueryCanceled = "57014";
inline constexpr std::string_view kAdminShutdown = "57P01";
}  // namespace sqlstate

/// The SQLSTATE of a server error made by this layer; nullopt for other errors.
std::optional<std::string> sqlstate_of(const core::Error& error);
/// The violated constraint's name, for integrity violations (class 23).
std::optional<std::string> constraint_of(const core::Error& error);
/// True for a unique violation (23505): a duplicate key.
bool is_unique_violation(const core::Error& error);
/// True for any integrity constraint violation (class 23).
bool is_constraint_violation(const core::Error& error);

/// An outage: `service_unavailable`, retry after 1 s, `log_detail` for the log only.
core::Error unavailable(std::string log_detail);

/// The error of a failed result (PGRES_FATAL_ERROR and the like). Outage classes (08, 53, 57P0x,
/// the query_canceled of a statement timeout) and retryable transaction failures (class 40) are
/// `service_unavailable`; the rest `internal_database`. `what` names the operation for the log.
core::Error result_error(const pg_result* result, std::string_view what);

/// The error of a connection-level failure (PQerrorMessage): always an outage.
core::Error connection_error(const pg_conn* connection, std::string_view what);

}  // namespace ferr::storage::postgres
