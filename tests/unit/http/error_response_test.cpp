#include "http/error_response.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <utility>
#include <vector>

namespace ferr::http {
namespace {

using core::Error;
using core::ErrorCode;
namespace json = boost::json;

// The status table of api.md, "Error body", written out independently of the code under test.
const std::vector<std::pair<ErrorCode, unsigned>>& api_table() {
  using C = ErrorCode;
  static const std::vector<std::pair<ErrorCode, unsigned>> table{
      {C::bad_request, 400},
      {C::validation_failed, 400},
      {C::auth_unauthorized, 401},
      {C::auth_invalid_credentials, 401},
      {C::auth_session_expired, 401},
      {C::auth_email_not_verified, 403},
      {C::auth_forbidden, 403},
      {C::auth_account_temporarily_locked, 423},
      {C::auth_verification_code_invalid, 400},
      {C::auth_verification_code_expired, 410},
      {C::auth_verification_too_many_attempts, 429},
      {C::auth_email_already_verified, 409},
      {C::auth_password_reset_token_invalid, 400},
      {C::auth_password_reset_token_expired, 410},
      {C::user_password_too_weak, 400},
      {C::user_invalid_timezone, 400},
      {C::user_invalid_locale, 400},
      {C::user_not_found, 404},
      {C::org_member_not_found, 404},
      {C::token_not_found, 404},
      {C::session_not_found, 404},
      {C::org_not_found, 404},
      {C::org_slug_taken, 409},
      {C::org_member_already_exists, 409},
      {C::org_last_owner, 409},
      {C::org_cannot_remove_self, 400},
      {C::subscription_not_found, 404},
      {C::subscription_already_active, 409},
      {C::idempotency_key_reused, 422},
      {C::rate_limit_exceeded, 429},
      {C::payload_too_large, 413},
      {C::unsupported_media_type, 415},
      {C::not_found, 404},
      {C::method_not_allowed, 405},
      {C::service_unavailable, 503},
      {C::internal_database, 500},
      {C::internal_server_error, 500},
  };
  return table;
}

json::object body_of(const Response& r) {
  json::value v = json::parse(r.body);
  EXPECT_TRUE(v.is_object()) << r.body;
  return v.as_object();
}

TEST(StatusFor, TableCoversEveryCode) {
  // internal_server_error is the last enumerator.
  EXPECT_EQ(api_table().size(), static_cast<std::size_t>(ErrorCode::internal_server_error) + 1);
}

TEST(StatusFor, MatchesTheApiTable) {
  for (const auto& [code, status] : api_table())
    EXPECT_EQ(status_for(code), status) << core::wire_name(code);
}

TEST(ErrorResponse, EveryCodeGetsItsStatusAndWireName) {
  for (const auto& [code, status] : api_table()) {
    Response r = error_response(Error::make(code, "message"), "rid");
    EXPECT_EQ(r.status, status) << core::wire_name(code);
    EXPECT_EQ(body_of(r).at("code").as_string(), core::wire_name(code));
  }
}

TEST(ErrorResponse, BodyHasCodeErrorAndRequestId) {
  Response r =
      error_response(Error::make(ErrorCode::org_not_found, "organization not found"), "req-123");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.headers.get("content-type"), "application/json");
  json::object body = body_of(r);
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(body.at("code").as_string(), "ORG_NOT_FOUND");
  EXPECT_EQ(body.at("error").as_string(), "organization not found");
  EXPECT_EQ(body.at("request_id").as_string(), "req-123");
  EXPECT_FALSE(body.contains("field"));
}

TEST(ErrorResponse, FieldAppearsWhenSet) {
  Response r = error_response(Error::validation("slug", "must be 3 to 40 characters"), "rid");
  EXPECT_EQ(r.status, 400u);
  json::object body = body_of(r);
  EXPECT_EQ(body.size(), 4u);
  EXPECT_EQ(body.at("code").as_string(), "VALIDATION_FAILED");
  EXPECT_EQ(body.at("field").as_string(), "slug");
}

TEST(ErrorResponse, LogDetailNeverReachesTheClient) {
  Error e = Error::database("SELECT * FROM users: no such table");
  Response r = error_response(e, "rid");
  EXPECT_EQ(r.status, 500u);
  EXPECT_EQ(r.body.find("SELECT"), std::string::npos) << r.body;
  EXPECT_EQ(body_of(r).at("error").as_string(), "internal database error");
}

TEST(ErrorResponse, MessagesAreJsonEscaped) {
  Response r = error_response(Error::make(ErrorCode::bad_request, "bad \"quote\"\n"), "rid");
  EXPECT_EQ(body_of(r).at("error").as_string(), "bad \"quote\"\n");
}

TEST(ErrorResponse, RetryAfterWhenSet) {
  Error e = Error::make(ErrorCode::rate_limit_exceeded, "slow down");
  e.retry_after_seconds = 30;
  Response r = error_response(e, "rid");
  EXPECT_EQ(r.status, 429u);
  EXPECT_EQ(r.headers.get("retry-after"), "30");
}

TEST(ErrorResponse, ServiceUnavailableDefaultsRetryAfterToOne) {
  Response r = error_response(Error::make(ErrorCode::service_unavailable, "shutting down"), "rid");
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.headers.get("retry-after"), "1");

  Error later = Error::make(ErrorCode::service_unavailable, "busy");
  later.retry_after_seconds = 7;
  EXPECT_EQ(error_response(later, "rid").headers.get("retry-after"), "7");
}

TEST(ErrorResponse, NoRetryAfterOtherwise) {
  for (ErrorCode code :
       {ErrorCode::not_found, ErrorCode::rate_limit_exceeded, ErrorCode::internal_server_error}) {
    Response r = error_response(Error::make(code, "m"), "rid");
    EXPECT_FALSE(r.headers.get("retry-after").has_value()) << core::wire_name(code);
  }
}

}  // namespace
}  // namespace ferr::http
