#pragma once
/// HS256 JSON Web Tokens (RFC 7519) for access tokens.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/secret.hpp"

namespace ferr::crypto {

/// What an access token asserts.
struct AccessClaims {
  std::string subject;      ///< `sub`: the user id
  std::string session_id;   ///< `sid`: the session, checked against revocation by the caller
  std::int64_t issued_at;   ///< `iat`, seconds since the epoch
  std::int64_t expires_at;  ///< `exp`, seconds since the epoch
};

/// The issuer every token carries and every verification requires.
inline constexpr std::string_view kTokenIssuer = "ferrlabs";

/// The longest lifetime (`exp` − `iat`) an access token may claim: the 15 minutes of api.md.
inline constexpr std::chrono::seconds kMaxAccessTokenLifetime{900};
/// How far in the future `iat` may lie: the clock difference tolerated between the instance that
/// signed a token and the one checking it (docs/accounts.md).
inline constexpr std::chrono::seconds kClockLeeway{60};

/// A compact HS256 JWT carrying `claims` and `iss` = "ferrlabs", signed with `key`.
std::string sign_access_token(const AccessClaims& claims, const core::Secret& key);

/// The claims of `token` when it is well-formed, signed with `key`, issued by "ferrlabs", not
/// expired at `now`, and with claims a token of ours can have: `iat` at most kClockLeeway after
/// `now`, `exp` after `iat` by at most kMaxAccessTokenLifetime, and so never further than that
/// (plus the leeway) from `now`. Otherwise an `auth_unauthorized` error, the same for every cause
/// (the cause is in `log_detail` only).
core::Result<AccessClaims> verify_access_token(std::string_view token, const core::Secret& key,
                                               core::TimePoint now);

}  // namespace ferr::crypto
