#include "core/error.hpp"

namespace ferr::core {

std::string_view wire_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "BAD_REQUEST";
    case ErrorCode::validation_failed: return "VALIDATION_FAILED";
    case ErrorCode::auth_unauthorized: return "AUTH_UNAUTHORIZED";
    case ErrorCode::auth_invalid_credentials: return "AUTH_INVALID_CREDENTIALS";
    case ErrorCode::auth_session_expired: return "AUTH_SESSION_EXPIRED";
    case ErrorCode::auth_email_not_verified: return "AUTH_EMAIL_NOT_VERIFIED";
    case ErrorCode::auth_forbidden: return "AUTH_FORBIDDEN";
    case ErrorCode::auth_account_temporarily_locked: return "AUTH_ACCOUNT_TEMPORARILY_LOCKED";
    case ErrorCode::auth_verification_code_invalid: return "AUTH_VERIFICATION_CODE_INVALID";
    case ErrorCode::auth_verification_code_expired: return "AUTH_VERIFICATION_CODE_EXPIRED";
    case ErrorCode::auth_verification_too_many_attempts:
      return "AUTH_VERIFICATION_TOO_MANY_ATTEMPTS";
    case ErrorCode::auth_email_already_verified: return "AUTH_EMAIL_ALREADY_VERIFIED";
    case ErrorCode::auth_password_reset_token_invalid: return "AUTH_PASSWORD_RESET_TOKEN_INVALID";
    case ErrorCode::auth_password_reset_token_expired: return "AUTH_PASSWORD_RESET_TOKEN_EXPIRED";
    case ErrorCode::user_password_too_weak: return "USER_PASSWORD_TOO_WEAK";
    case ErrorCode::user_invalid_timezone: return "USER_INVALID_TIMEZONE";
    case ErrorCode::user_invalid_locale: return "USER_INVALID_LOCALE";
    case ErrorCode::user_not_found: return "USER_NOT_FOUND";
    case ErrorCode::org_not_found: return "ORG_NOT_FOUND";
    case ErrorCode::org_slug_taken: return "ORG_SLUG_TAKEN";
    case ErrorCode::org_member_already_exists: return "ORG_MEMBER_ALREADY_EXISTS";
    case ErrorCode::org_last_owner: return "ORG_LAST_OWNER";
    case ErrorCode::org_cannot_remove_self: return "ORG_CANNOT_REMOVE_SELF";
    case ErrorCode::org_member_not_found: return "ORG_MEMBER_NOT_FOUND";
    case ErrorCode::token_not_found: return "TOKEN_NOT_FOUND";
    case ErrorCode::session_not_found: return "SESSION_NOT_FOUND";
    case ErrorCode::subscription_not_found: return "SUBSCRIPTION_NOT_FOUND";
    case ErrorCode::subscription_already_active: return "SUBSCRIPTION_ALREADY_ACTIVE";
    case ErrorCode::idempotency_key_reused: return "IDEMPOTENCY_KEY_REUSED";
    case ErrorCode::rate_limit_exceeded: return "RATE_LIMIT_EXCEEDED";
    case ErrorCode::payload_too_large: return "PAYLOAD_TOO_LARGE";
    case ErrorCode::unsupported_media_type: return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::not_found: return "NOT_FOUND";
    case ErrorCode::method_not_allowed: return "METHOD_NOT_ALLOWED";
    case ErrorCode::service_unavailable: return "SERVICE_UNAVAILABLE";
    case ErrorCode::internal_database: return "INTERNAL_DATABASE";
    case ErrorCode::internal_server_error: return "INTERNAL_SERVER_ERROR";
  }
  return "INTERNAL_SERVER_ERROR";
}

}  // namespace ferr::core
