#pragma once
/// The seam where the telemetry emitter plugs into organization use cases. Called only after the
/// change has committed, never for a refused request, a no-op or an idempotent replay;
/// implementations must return at once and never fail.

#include "core/id.hpp"
#include "domain/orgs/role.hpp"
#include "domain/subscriptions/subscription.hpp"

namespace ferr::domain::orgs {

class OrgEvents {
 public:
  virtual ~OrgEvents() = default;
  /// `org.created`: the org and its creator.
  virtual void org_created(const core::OrgId& org_id, const core::UserId& creator) = 0;
  /// `org.member.added`: the org, who added (nobody for an `org`-owned API token), and the role
  /// given.
  virtual void member_added(const core::OrgId& org_id, const std::optional<core::UserId>& actor,
                            Role role) = 0;
  /// `product.activated`: a product became live (new or reactivated) at `tier`.
  virtual void product_activated(const core::OrgId& org_id, subscriptions::Product product,
                                 subscriptions::Tier tier) = 0;
  /// `product.tier_changed`: a live subscription moved from one tier to another.
  virtual void product_tier_changed(const core::OrgId& org_id, subscriptions::Product product,
                                    subscriptions::Tier from, subscriptions::Tier to) = 0;
  /// `product.canceled`: a live subscription was canceled.
  virtual void product_canceled(const core::OrgId& org_id, subscriptions::Product product) = 0;
};

/// Emits nothing (until the telemetry emitter is wired in).
class NoOrgEvents final : public OrgEvents {
 public:
  void org_created(const core::OrgId&, const core::UserId&) override {}
  void member_added(const core::OrgId&, const std::optional<core::UserId>&, Role) override {}
  void product_activated(const core::OrgId&, subscriptions::Product, subscriptions::Tier) override {
  }
  void product_tier_changed(const core::OrgId&, subscriptions::Product, subscriptions::Tier,
                            subscriptions::Tier) override {}
  void product_canceled(const core::OrgId&, subscriptions::Product) override {}
};

}  // namespace ferr::domain::orgs
