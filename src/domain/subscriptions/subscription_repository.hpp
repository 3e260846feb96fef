#pragma once
/// Storage of subscriptions. Every mutating method is one transaction that locks the
/// (organization, product) row, asks the rule in subscription_rules.hpp with what it read, and
/// writes the change with its audit row, so concurrent requests for one row are serialised by
/// the database.

#include <vector>

#include "core/error.hpp"
#include "core/id.hpp"
#include "core/task.hpp"
#include "domain/orgs/organization.hpp"
#include "domain/subscriptions/subscription.hpp"

namespace ferr::domain::subscriptions {

class SubscriptionRepository {
 public:
  virtual ~SubscriptionRepository() = default;

  /// Every subscription row of the org, canceled ones included, by product.
  virtual core::Task<core::Result<std::vector<Subscription>>> subscriptions(
      const core::OrgId& org_id) = 0;
  /// Makes `product` live at `tier` with status `active` as plan_activation decides: inserts
  /// the row (with `new_id`) or reactivates the canceled one.
  virtual core::Task<core::Result<Subscription>> activate(const core::OrgId& org_id,
                                                          const core::SubscriptionId& new_id,
                                                          Product product, Tier tier,
                                                          const orgs::AuditRecord& audit) = 0;
  /// Sets the tier of the live subscription as plan_tier_change decides; the audit row gets the
  /// plan's metadata.
  virtual core::Task<core::Result<TierChange>> change_tier(const core::OrgId& org_id,
                                                           Product product, Tier tier,
                                                           orgs::AuditRecord audit) = 0;
  /// Cancels the live subscription at once, as plan_cancel decides.
  virtual core::Task<core::Result<Subscription>> cancel(const core::OrgId& org_id, Product product,
                                                        orgs::AuditRecord audit) = 0;
};

}  // namespace ferr::domain::subscriptions
