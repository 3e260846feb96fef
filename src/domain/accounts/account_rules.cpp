#include "domain/accounts/account_rules.hpp"

namespace ferr::domain::accounts {

RegisterAction decide_registration(std::optional<StoredStatus> existing) {
  if (!existing) return RegisterAction::create;
  return *existing == StoredStatus::active ? RegisterAction::leave_active
                                           : RegisterAction::update_pending;
}

RefreshAction decide_refresh(const StoredRefreshToken& token, core::TimePoint now) {
  // Reuse is checked first: a copy of a spent token revokes its family even after expiry, unless
  // it comes back within the grace window of a live session (a retry, or a concurrent refresh).
  if (token.rotated_at) {
    const bool in_grace = now - *token.rotated_at <= kRefreshGrace;
    return in_grace && !token.session_revoked ? RefreshAction::reissue
                                              : RefreshAction::revoke_family;
  }
  if (token.session_revoked || now >= token.expires_at) return RefreshAction::refuse;
  return RefreshAction::rotate;
}

std::vector<std::string> sole_owner_orgs(const std::vector<ErasedMembership>& memberships) {
  std::vector<std::string> out;
  for (const auto& m : memberships)
    if (m.role == orgs::Role::owner && m.owners <= 1) out.push_back(m.slug);
  return out;
}

}  // namespace ferr::domain::accounts
