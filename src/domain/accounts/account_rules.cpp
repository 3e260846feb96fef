#include "domain/accounts/account_rules.hpp"

namespace ferr::domain::accounts {

RegisterAction decide_registration(std::optional<StoredStatus> existing) {
  if (!existing) return RegisterAction::create;
  return *existing == StoredStatus::active ? RegisterAction::leave_active
                                           : RegisterAction::update_pending;
}

RefreshAction decide_refresh(const StoredRefreshToken& token, core::TimePoint now) {
  // Reuse is checked first: a copy of a spent token revokes its family even after expiry.
  if (token.rotated_at) return RefreshAction::revoke_family;
  if (token.session_revoked || now >= token.expires_at) return RefreshAction::refuse;
  return RefreshAction::rotate;
}

}  // namespace ferr::domain::accounts
