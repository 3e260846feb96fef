#pragma once
/// The seam where the telemetry emitter plugs into account use cases. Called only after the
/// change has committed; implementations must return at once and never fail.

#include "core/id.hpp"

namespace ferr::domain::accounts {

class AccountEvents {
 public:
  virtual ~AccountEvents() = default;
  /// An account became active (its e-mail was verified): `auth.signup`.
  virtual void signed_up(const core::UserId& user_id) = 0;
  /// A successful password login: `auth.login`.
  virtual void logged_in(const core::UserId& user_id) = 0;
};

/// Emits nothing (until the telemetry emitter is wired in).
class NoAccountEvents final : public AccountEvents {
 public:
  void signed_up(const core::UserId&) override {}
  void logged_in(const core::UserId&) override {}
};

}  // namespace ferr::domain::accounts
