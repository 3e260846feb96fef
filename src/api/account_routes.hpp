#pragma once
/// The routes of "Accounts and sessions" (api.md): /v1/auth/… (and its alias /auth/…) and
/// /v1/me/telemetry-prefs.

#include "api/account_json.hpp"
#include "api/authentication.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/privacy/personal_data.hpp"
#include "http/middleware/rate_limiter.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct AccountRoutesDeps {
  domain::accounts::AccountService& accounts;
  const Authenticator& auth;
  domain::privacy::PersonalData& personal_data;  ///< the export
  http::RateLimiter&
      auth_limiter;  ///< per client IP on register, login, verify-email, forgot-password
  CookiePolicy cookie;
};

/// Registers the account routes (api.md "Accounts and sessions" and the account itself).
void add_account_routes(http::Router& router, const AccountRoutesDeps& deps);

}  // namespace ferr::api
