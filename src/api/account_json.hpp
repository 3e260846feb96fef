#pragma once
/// JSON shapes of "Accounts and sessions" (api.md): the user object and the token response.

#include <string>
#include <vector>

#include "domain/accounts/user.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// `{"id", "email", "email_verified", "display_name", "avatar_url", "timezone", "locale",
/// "created_at", "updated_at", "last_login_at"}`.
std::string user_json(const domain::accounts::User& user);

/// The session list: one session object per entry (api.md "Sessions"), `current` on `current`.
std::string sessions_json(const std::vector<domain::accounts::SessionInfo>& sessions,
                          const core::SessionId& current);

/// How the `fl_session` cookie is set.
struct CookiePolicy {
  bool secure = false;  ///< add `Secure` (https public URL or production)
};

/// `200` with the token body and the `fl_session` cookie.
http::Response token_response(const domain::accounts::IssuedTokens& tokens,
                              const CookiePolicy& cookie);

/// `200 {"telemetry_opt_out": …}`, the body of both telemetry-preference routes.
http::Response telemetry_prefs_response(bool opt_out);

/// `Set-Cookie` value that removes `fl_session`.
std::string clear_session_cookie(const CookiePolicy& cookie);

}  // namespace ferr::api
