#pragma once
/// The telemetry seams of the account and organization use cases, wired to the emitter: each
/// after-commit notification becomes the catalog event of telemetry.md §3, built with the typed
/// API (an undeclared event or property does not compile).

#include "domain/accounts/account_events.hpp"
#include "domain/orgs/org_events.hpp"
#include "domain/telemetry/emitter.hpp"

namespace ferr::domain::telemetry {

/// `auth.signup` and `auth.login`, method `password`.
class EmittingAccountEvents final : public accounts::AccountEvents {
 public:
  explicit EmittingAccountEvents(Emitter& emitter) : emitter_(emitter) {}
  void signed_up(const core::UserId& user_id) override;
  void logged_in(const core::UserId& user_id) override;

 private:
  Emitter& emitter_;
};

/// `org.created`, `org.member.added`, `product.activated`, `product.tier_changed`,
/// `product.canceled`.
class EmittingOrgEvents final : public orgs::OrgEvents {
 public:
  explicit EmittingOrgEvents(Emitter& emitter) : emitter_(emitter) {}
  void org_created(const core::OrgId& org_id, const core::UserId& creator) override;
  void member_added(const core::OrgId& org_id, const std::optional<core::UserId>& actor,
                    orgs::Role role) override;
  void product_activated(const core::OrgId& org_id, subscriptions::Product product,
                         subscriptions::Tier tier) override;
  void product_tier_changed(const core::OrgId& org_id, subscriptions::Product product,
                            subscriptions::Tier from, subscriptions::Tier to) override;
  void product_canceled(const core::OrgId& org_id, subscriptions::Product product) override;

 private:
  Emitter& emitter_;
};

}  // namespace ferr::domain::telemetry
