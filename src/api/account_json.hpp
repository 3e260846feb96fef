#pragma once
/// JSON shapes of "Accounts and sessions" (api.md): the user object and the token response.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "domain/accounts/user.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// `{"id", "email", "email_verified", "display_name", "avatar_url", "timezone", "locale",
/// "created_at", "updated_at", "last_login_at"}`.
boost::json::object user_object(const domain::accounts::User& user);
/// user_object, serialised.
std::string user_json(const domain::accounts::User& user);

/// One session object per entry (api.md "Sessions"), `current` on `current`.
boost::json::array sessions_array(const std::vector<domain::accounts::SessionInfo>& sessions,
                                  const core::SessionId& current);

/// sessions_array, serialised.
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
