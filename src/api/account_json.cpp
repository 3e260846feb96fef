#include "api/account_json.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/time_format.hpp"

namespace ferr::api {

boost::json::object user_object(const domain::accounts::User& user) {
  boost::json::object o;
  o["id"] = user.id.to_string();
  o["email"] = user.email;
  o["email_verified"] = user.active;
  if (user.display_name) {
    o["display_name"] = *user.display_name;
  } else {
    o["display_name"] = nullptr;
  }
  if (user.avatar_url) {
    o["avatar_url"] = *user.avatar_url;
  } else {
    o["avatar_url"] = nullptr;
  }
  o["timezone"] = user.timezone;
  o["locale"] = user.locale;
  o["created_at"] = core::format_rfc3339_ms(user.created_at);
  o["updated_at"] = core::format_rfc3339_ms(user.updated_at);
  if (user.last_login_at) {
    o["last_login_at"] = core::format_rfc3339_ms(*user.last_login_at);
  } else {
    o["last_login_at"] = nullptr;
  }
  return o;
}

boost::json::array sessions_array(const std::vector<domain::accounts::SessionInfo>& sessions,
                                  const core::SessionId& current) {
  boost::json::array list;
  list.reserve(sessions.size());
  for (const auto& s : sessions) {
    boost::json::object o;
    o["id"] = s.id.to_string();
    o["client_id"] = "password";
    if (s.user_agent) {
      o["user_agent"] = *s.user_agent;
    } else {
      o["user_agent"] = nullptr;
    }
    o["ip"] = nullptr;  // no address is ever stored
    o["last_active_at"] = core::format_rfc3339_ms(s.last_active_at);
    o["expires_at"] = core::format_rfc3339_ms(s.expires_at);
    o["created_at"] = core::format_rfc3339_ms(s.created_at);
    o["current"] = s.id == current;
    list.emplace_back(std::move(o));
  }
  return list;
}

std::string sessions_json(const std::vector<domain::accounts::SessionInfo>& sessions,
                          const core::SessionId& current) {
  return boost::json::serialize(sessions_array(sessions, current));
}

std::string user_json(const domain::accounts::User& user) {
  return boost::json::serialize(user_object(user));
}

http::Response token_response(const domain::accounts::IssuedTokens& tokens,
                              const CookiePolicy& cookie) {
  boost::json::object body;
  body["access_token"] = tokens.access_token;
  body["refresh_token"] = tokens.refresh_token;
  body["token_type"] = "Bearer";
  body["expires_in"] = tokens.expires_in_seconds;
  body["user"] = user_object(tokens.user);
  http::Response r = http::Response::json(200, boost::json::serialize(body));
  r.headers.add("Set-Cookie", "fl_session=" + tokens.access_token +
                                  "; HttpOnly; SameSite=Lax; Path=/; Max-Age=604800" +
                                  (cookie.secure ? "; Secure" : ""));
  r.headers.add("Cache-Control", "no-store");
  return r;
}

http::Response telemetry_prefs_response(bool opt_out) {
  return http::Response::json(
      200, opt_out ? R"({"telemetry_opt_out":true})" : R"({"telemetry_opt_out":false})");
}

std::string clear_session_cookie(const CookiePolicy& cookie) {
  return std::string("fl_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0") +
         (cookie.secure ? "; Secure" : "");
}

}  // namespace ferr::api
