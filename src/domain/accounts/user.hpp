#pragma once
/// A person's account as the use cases see it.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/id.hpp"

namespace ferr::domain::accounts {

/// An account; `active` once the e-mail address has been verified.
struct User {
  core::UserId id;
  std::string email;  ///< trimmed and lower-cased
  bool active = false;
  std::optional<std::string> display_name;
  std::string timezone = "UTC";
  std::string locale = "en";
  std::optional<std::string> avatar_url;  ///< an absolute http(s) URL
  core::TimePoint created_at;
  core::TimePoint updated_at;
  std::optional<core::TimePoint> last_login_at;  ///< when a session last started
};

/// One of a user's sessions (a login's refresh-token family), as the session list shows it.
struct SessionInfo {
  core::SessionId id;
  std::optional<std::string> user_agent;  ///< the login's, cut to 256 characters
  core::TimePoint last_active_at;         ///< the last refresh (the login when none)
  core::TimePoint expires_at;             ///< the expiry of its current refresh token
  core::TimePoint created_at;
};

/// A user together with the stored password hash (never leaves the domain and storage layers).
struct UserWithSecret {
  User user;
  std::string password_hash;  ///< argon2id PHC string
};

/// Tokens handed out by login, verification and refresh.
struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;
  int expires_in_seconds = 900;
  User user;
};

}  // namespace ferr::domain::accounts
