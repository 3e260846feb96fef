#pragma once
/// Protocol-agnostic errors: every expected failure in the code base is an `Error` value.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace ferr::core {

/// The stable error codes of api.md. The HTTP status of each lives in http/error_response.cpp.
enum class ErrorCode {
  bad_request,
  validation_failed,
  auth_unauthorized,
  auth_invalid_credentials,
  auth_session_expired,
  auth_email_not_verified,
  auth_forbidden,
  auth_account_temporarily_locked,
  auth_verification_code_invalid,
  auth_verification_code_expired,
  auth_verification_too_many_attempts,
  auth_email_already_verified,
  auth_password_reset_token_invalid,
  auth_password_reset_token_expired,
  user_password_too_weak,
  user_invalid_timezone,
  user_invalid_locale,
  user_not_found,
  org_not_found,
  org_slug_taken,
  org_member_already_exists,
  org_last_owner,
  org_cannot_remove_self,
  org_member_not_found,
  token_not_found,
  session_not_found,
  subscription_not_found,
  subscription_already_active,
  idempotency_key_reused,
  rate_limit_exceeded,
  payload_too_large,
  unsupported_media_type,
  not_found,
  method_not_allowed,
  service_unavailable,
  internal_database,
  internal_server_error,
};

/// The last enumerator: every code is in [0, kLastErrorCode] (the OpenAPI document lists them).
inline constexpr ErrorCode kLastErrorCode = ErrorCode::internal_server_error;

/// The wire spelling of a code, e.g. `ORG_NOT_FOUND`.
std::string_view wire_name(ErrorCode code);

/// An expected failure: what the client may read, and what only the log may read.
struct Error {
  ErrorCode code = ErrorCode::internal_server_error;
  std::string message;                     ///< human sentence for the client; never secrets
  std::optional<std::string> field;        ///< the offending member on validation errors
  std::optional<int> retry_after_seconds;  ///< for 423, 429 and 503
  std::string log_detail;                  ///< internal detail, logged with the request id only
  std::vector<std::string> orgs;           ///< the slugs an ORG_LAST_OWNER refusal names

  static Error make(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }
  static Error validation(std::string field, std::string message) {
    return Error{ErrorCode::validation_failed, std::move(message), std::move(field)};
  }
  static Error internal(std::string log_detail) {
    Error e{ErrorCode::internal_server_error, "internal server error"};
    e.log_detail = std::move(log_detail);
    return e;
  }
  static Error database(std::string log_detail) {
    Error e{ErrorCode::internal_database, "internal database error"};
    e.log_detail = std::move(log_detail);
    return e;
  }
};

/// The result of anything that can fail in an expected way.
template <typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for returning a failure: `return fail(Error::make(...))`.
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace ferr::core
