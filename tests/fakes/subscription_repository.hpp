#pragma once
// SubscriptionRepository in memory, with the contract of the real ones: each change reads the
// (organization, product) row and asks plan_activation / plan_tier_change / plan_cancel, then
// writes the row and its audit row together.

#include <vector>

#include "domain/subscriptions/subscription_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/hooks.hpp"

namespace ferr::fakes {

class FakeSubscriptionRepository final : public domain::subscriptions::SubscriptionRepository {
 public:
  explicit FakeSubscriptionRepository(Database& db) : db_(db) {}

  /// Counts, fails and holds calls; method names are those of the interface.
  Hooks hooks;

  core::Task<core::Result<std::vector<domain::subscriptions::Subscription>>> subscriptions(
      const core::OrgId& org_id) override;
  core::Task<core::Result<domain::subscriptions::Subscription>> activate(
      const core::OrgId& org_id, const core::SubscriptionId& new_id,
      domain::subscriptions::Product product, domain::subscriptions::Tier tier,
      const domain::orgs::AuditRecord& audit) override;
  core::Task<core::Result<domain::subscriptions::TierChange>> change_tier(
      const core::OrgId& org_id, domain::subscriptions::Product product,
      domain::subscriptions::Tier tier, domain::orgs::AuditRecord audit) override;
  core::Task<core::Result<domain::subscriptions::Subscription>> cancel(
      const core::OrgId& org_id, domain::subscriptions::Product product,
      domain::orgs::AuditRecord audit) override;

 private:
  /// The stored row of (org, product), if any.
  std::optional<domain::subscriptions::Subscription> stored(
      const core::OrgId& org_id, domain::subscriptions::Product product) const;

  Database& db_;
};

}  // namespace ferr::fakes
