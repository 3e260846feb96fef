#pragma once
/// HS256 JSON Web Tokens (RFC 7519) for access tokens.

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

/// A compact HS256 JWT carrying `claims` and `iss` = "ferrlabs", signed with `key`.
std::string sign_access_token(const AccessClaims& claims, const core::Secret& key);

/// The claims of `token` when it is well-formed, signed with `key`, issued by "ferrlabs" and not
/// expired at `now`; otherwise an `auth_unauthorized` error, the same for every cause (the cause
/// is in `log_detail` only).
core::Result<AccessClaims> verify_access_token(std::string_view token, const core::Secret& key,
                                               core::TimePoint now);

}  // namespace ferr::crypto
