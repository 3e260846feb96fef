#pragma once
/// Who a request speaks for: an access token's claims, or an API token that was found live.

#include <optional>

#include "core/id.hpp"

namespace ferr::domain::accounts {

/// What an API token grants (api.md "API tokens"), as found when it was presented.
struct TokenGrant {
  core::ApiTokenId id;
  bool full_scope = true;  ///< `*`; without it the token may only read (GET and HEAD)
  /// An organization token: it acts only inside this org, with an admin's rights at most.
  std::optional<core::OrgId> org;
  bool org_owned = false;  ///< `owner: org`: no person acts through it
};

/// The caller. For an access token, its claims: the token's signature and times have been
/// checked, but not yet that the session is live — every use case that acts for a principal
/// checks that in its first storage step (together with the lookup it needs anyway), so a
/// revoked session is refused at once at the cost of no extra round trip. For an API token, the
/// token was found live, unexpired and within its scope when it was presented.
struct Principal {
  /// The person acting: the session's user, a personal token's user, a `creator`-owned org
  /// token's creator; the nil id for an `org`-owned token.
  core::UserId user_id;
  /// The id the session check looks up (the live_credentials view): the session's, or a
  /// personal token's. Session and token ids are UUIDv7s drawn by the server from one space.
  core::SessionId session_id;
  std::optional<TokenGrant> token;  ///< set when the caller presented an API token

  bool via_org_token() const { return token && token->org; }
  /// Whose `Idempotency-Key`s the caller's are: its person's, or an `org`-owned token's own
  /// (the key table's column holds either; migration 0014).
  core::UserId key_owner() const {
    if (token && token->org_owned) return core::UserId{token->id.value};
    return user_id;
  }
  /// The person the audit log and telemetry name: nobody for an `org`-owned token.
  std::optional<core::UserId> actor() const {
    if (token && token->org_owned) return std::nullopt;
    return user_id;
  }
};

}  // namespace ferr::domain::accounts
