#include "http/error_response.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/log.hpp"

namespace ferr::http {

unsigned status_for(core::ErrorCode code) {
  using C = core::ErrorCode;
  switch (code) {
    case C::bad_request:
    case C::validation_failed:
    case C::auth_verification_code_invalid:
    case C::auth_password_reset_token_invalid:
    case C::user_password_too_weak:
    case C::user_invalid_timezone:
    case C::user_invalid_locale:
    case C::org_cannot_remove_self: return 400;
    case C::auth_unauthorized:
    case C::auth_invalid_credentials:
    case C::auth_session_expired: return 401;
    case C::auth_email_not_verified:
    case C::auth_forbidden: return 403;
    case C::user_not_found:
    case C::org_not_found:
    case C::org_member_not_found:
    case C::token_not_found:
    case C::session_not_found:
    case C::subscription_not_found:
    case C::not_found: return 404;
    case C::method_not_allowed: return 405;
    case C::auth_email_already_verified:
    case C::org_slug_taken:
    case C::org_member_already_exists:
    case C::org_last_owner:
    case C::subscription_already_active: return 409;
    case C::auth_verification_code_expired:
    case C::auth_password_reset_token_expired: return 410;
    case C::payload_too_large: return 413;
    case C::unsupported_media_type: return 415;
    case C::idempotency_key_reused: return 422;
    case C::auth_account_temporarily_locked: return 423;
    case C::auth_verification_too_many_attempts:
    case C::rate_limit_exceeded: return 429;
    case C::service_unavailable: return 503;
    case C::internal_database:
    case C::internal_server_error: return 500;
  }
  return 500;
}

Response error_response(const core::Error& error, std::string_view request_id) {
  boost::json::object body;
  body["code"] = core::wire_name(error.code);
  body["error"] = error.message;
  body["request_id"] = request_id;
  if (error.field) body["field"] = *error.field;
  if (!error.orgs.empty()) {
    boost::json::array orgs;
    for (const auto& slug : error.orgs) orgs.emplace_back(slug);
    body["orgs"] = std::move(orgs);
  }
  Response r = Response::json(status_for(error.code), boost::json::serialize(body));
  if (error.retry_after_seconds) {
    r.headers.add("Retry-After", std::to_string(*error.retry_after_seconds));
  } else if (r.status == 503) {
    r.headers.add("Retry-After", "1");  // api.md: every 503 says when to come back
  }
  return r;
}

Response respond_error(const Request& request, const core::Error& error) {
  if (!error.log_detail.empty()) {
    auto level = status_for(error.code) >= 500 ? core::log::Level::error : core::log::Level::warn;
    core::log::write(level, "request failed",
                     {{"request_id", request.request_id},
                      {"code", core::wire_name(error.code)},
                      {"detail", error.log_detail}});
  }
  return error_response(error, request.request_id);
}

}  // namespace ferr::http
