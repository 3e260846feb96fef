#pragma once
/// The account rules that depend on stored state. Both storage backends read the state inside
/// their transaction, ask these functions, and write what they answer: the rule itself lives
/// only here.

#include <chrono>
#include <optional>

#include "core/clock.hpp"
#include "domain/accounts/account_repository.hpp"

namespace ferr::domain::accounts {

/// What registering an address does, given the account already stored for it (if any).
enum class RegisterAction {
  create,          ///< no account: create a pending one
  update_pending,  ///< a pending account: replace its password (and display name, if given)
  leave_active,    ///< an active account is never touched
};

/// The stored status of an account, as far as registration cares.
enum class StoredStatus { pending, active };

/// The registration rule of api.md.
RegisterAction decide_registration(std::optional<StoredStatus> existing);

/// A refresh token as stored, with its session.
struct StoredRefreshToken {
  core::TimePoint expires_at;
  std::optional<core::TimePoint> rotated_at;  ///< set once it was exchanged for a new one
  bool session_revoked = false;
};

/// How long after its rotation a refresh token may be presented again and answered with the same
/// successor instead of being treated as reused: a client that retries a refresh whose answer it
/// lost, or several tabs refreshing at once, keep their session (docs/accounts.md).
inline constexpr std::chrono::seconds kRefreshGrace{10};

/// What presenting a refresh token does.
enum class RefreshAction {
  rotate,         ///< spend it and issue the next one in the family
  reissue,        ///< spent within kRefreshGrace: answer with the successor it was rotated into
  revoke_family,  ///< a spent token came back: someone holds a copy, end the whole session
  refuse,         ///< expired, or its session was revoked: nothing changes
};

/// The rotation and reuse-detection rule of api.md for a token that exists, with the grace
/// window of kRefreshGrace.
RefreshAction decide_refresh(const StoredRefreshToken& token, core::TimePoint now);

/// The orgs whose only owner the user is: erasing the account would leave them ownerless
/// (ORG_LAST_OWNER), so the erasure changes nothing while any is listed. Slugs, in the order
/// given.
std::vector<std::string> sole_owner_orgs(const std::vector<ErasedMembership>& memberships);

}  // namespace ferr::domain::accounts
