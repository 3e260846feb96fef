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
  core::TimePoint created_at;
  core::TimePoint updated_at;
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
