#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferr::core {
namespace {

// Every code, in declaration order (internal_server_error is the last enumerator). A code added
// to the enum grows this list, and ErrorCodeTable.CoversEveryCode then asks for its wire name.
std::vector<ErrorCode> all_codes() {
  std::vector<ErrorCode> codes;
  for (int i = 0; i <= static_cast<int>(ErrorCode::internal_server_error); ++i)
    codes.push_back(static_cast<ErrorCode>(i));
  return codes;
}

// The wire names are a contract (api.md, "Error body"): renaming one breaks clients.
const std::vector<std::pair<ErrorCode, std::string_view>>& contract() {
  using C = ErrorCode;
  static const std::vector<std::pair<ErrorCode, std::string_view>> table{
      {C::bad_request, "BAD_REQUEST"},
      {C::validation_failed, "VALIDATION_FAILED"},
      {C::auth_unauthorized, "AUTH_UNAUTHORIZED"},
      {C::auth_invalid_credentials, "AUTH_INVALID_CREDENTIALS"},
      {C::auth_session_expired, "AUTH_SESSION_EXPIRED"},
      {C::auth_email_not_verified, "AUTH_EMAIL_NOT_VERIFIED"},
      {C::auth_forbidden, "AUTH_FORBIDDEN"},
      {C::auth_account_temporarily_locked, "AUTH_ACCOUNT_TEMPORARILY_LOCKED"},
      {C::auth_verification_code_invalid, "AUTH_VERIFICATION_CODE_INVALID"},
      {C::auth_verification_code_expired, "AUTH_VERIFICATION_CODE_EXPIRED"},
      {C::auth_verification_too_many_attempts, "AUTH_VERIFICATION_TOO_MANY_ATTEMPTS"},
      {C::auth_email_already_verified, "AUTH_EMAIL_ALREADY_VERIFIED"},
      {C::auth_password_reset_token_invalid, "AUTH_PASSWORD_RESET_TOKEN_INVALID"},
      {C::auth_password_reset_token_expired, "AUTH_PASSWORD_RESET_TOKEN_EXPIRED"},
      {C::user_password_too_weak, "USER_PASSWORD_TOO_WEAK"},
      {C::user_invalid_timezone, "USER_INVALID_TIMEZONE"},
      {C::user_invalid_locale, "USER_INVALID_LOCALE"},
      {C::user_not_found, "USER_NOT_FOUND"},
      {C::org_member_not_found, "ORG_MEMBER_NOT_FOUND"},
      {C::token_not_found, "TOKEN_NOT_FOUND"},
      {C::session_not_found, "SESSION_NOT_FOUND"},
      {C::org_not_found, "ORG_NOT_FOUND"},
      {C::org_slug_taken, "ORG_SLUG_TAKEN"},
      {C::org_member_already_exists, "ORG_MEMBER_ALREADY_EXISTS"},
      {C::org_last_owner, "ORG_LAST_OWNER"},
      {C::org_cannot_remove_self, "ORG_CANNOT_REMOVE_SELF"},
      {C::subscription_not_found, "SUBSCRIPTION_NOT_FOUND"},
      {C::subscription_already_active, "SUBSCRIPTION_ALREADY_ACTIVE"},
      {C::idempotency_key_reused, "IDEMPOTENCY_KEY_REUSED"},
      {C::rate_limit_exceeded, "RATE_LIMIT_EXCEEDED"},
      {C::payload_too_large, "PAYLOAD_TOO_LARGE"},
      {C::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE"},
      {C::not_found, "NOT_FOUND"},
      {C::method_not_allowed, "METHOD_NOT_ALLOWED"},
      {C::service_unavailable, "SERVICE_UNAVAILABLE"},
      {C::internal_database, "INTERNAL_DATABASE"},
      {C::internal_server_error, "INTERNAL_SERVER_ERROR"},
  };
  return table;
}

bool is_screaming_snake(std::string_view name) {
  if (name.empty() || name.front() == '_' || name.back() == '_') return false;
  if (name.find("__") != std::string_view::npos) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

TEST(ErrorCodeTable, CoversEveryCode) { EXPECT_EQ(contract().size(), all_codes().size()); }

TEST(WireName, MatchesTheApiContract) {
  for (const auto& [code, name] : contract())
    EXPECT_EQ(wire_name(code), name) << "code #" << static_cast<int>(code);
}

TEST(WireName, EveryCodeIsScreamingSnakeCase) {
  for (ErrorCode code : all_codes()) {
    std::string_view name = wire_name(code);
    EXPECT_TRUE(is_screaming_snake(name)) << "code #" << static_cast<int>(code) << ": " << name;
  }
}

TEST(WireName, EveryCodeHasItsOwnName) {
  std::set<std::string_view> seen;
  for (ErrorCode code : all_codes())
    EXPECT_TRUE(seen.insert(wire_name(code)).second)
        << "duplicate wire name " << wire_name(code) << " for code #" << static_cast<int>(code);
}

TEST(Error, ValidationNamesTheField) {
  Error e = Error::validation("email", "must be an e-mail address");
  EXPECT_EQ(e.code, ErrorCode::validation_failed);
  EXPECT_EQ(e.field, "email");
  EXPECT_EQ(e.message, "must be an e-mail address");
  EXPECT_FALSE(e.retry_after_seconds.has_value());
}

TEST(Error, InternalErrorsKeepDetailsOutOfTheMessage) {
  Error internal = Error::internal("null pointer in handler");
  EXPECT_EQ(internal.code, ErrorCode::internal_server_error);
  EXPECT_EQ(internal.message, "internal server error");
  EXPECT_EQ(internal.log_detail, "null pointer in handler");

  Error db = Error::database("no such table: users");
  EXPECT_EQ(db.code, ErrorCode::internal_database);
  EXPECT_EQ(db.message, "internal database error");
  EXPECT_EQ(db.log_detail, "no such table: users");
}

TEST(Error, FailMakesAnUnexpectedResult) {
  auto f = []() -> Result<int> { return fail(Error::make(ErrorCode::not_found, "gone")); };
  Result<int> r = f();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_EQ(r.error().message, "gone");
  EXPECT_FALSE(r.error().field.has_value());
}

}  // namespace
}  // namespace ferr::core
