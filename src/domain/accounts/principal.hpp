#pragma once
/// Who a request speaks for, as its access token claims.

#include "core/id.hpp"

namespace ferr::domain::accounts {

/// The claims of a verified access token: its user and its session. The token's signature and
/// times have been checked, but not yet that the session is live: every use case that acts for a
/// principal checks that in its first storage step (together with the lookup it needs anyway),
/// so a revoked session is refused at once at the cost of no extra round trip.
struct Principal {
  core::UserId user_id;
  core::SessionId session_id;
};

}  // namespace ferr::domain::accounts
