#pragma once
/// Storage of subscriptions. Every mutating method is one transaction that also writes its audit
/// row, and decides "live or not" from the stored row inside that transaction, so concurrent
/// requests for one (organization, product) are serialized by the database.

#include <vector>

#include "core/error.hpp"
#include "domain/orgs/organization.hpp"
#include "domain/orgs/subscription.hpp"

namespace ferr::domain::orgs {

class SubscriptionRepository {
 public:
  virtual ~SubscriptionRepository() = default;

  /// Every subscription row of the org, canceled ones included, by product.
  virtual core::Result<std::vector<Subscription>> subscriptions(const core::Uuid& org_id) = 0;
  /// Makes `product` live at `tier` with status `active`: inserts the row (with `new_id`) or
  /// reactivates the canceled one. SUBSCRIPTION_ALREADY_ACTIVE when it is live.
  virtual core::Result<Subscription> activate(const core::Uuid& org_id, const core::Uuid& new_id,
                                              Product product, Tier tier,
                                              const AuditRecord& audit) = 0;
  /// Sets the tier of the live subscription; SUBSCRIPTION_NOT_FOUND when there is none. The
  /// same tier changes nothing and writes no audit row. The audit metadata is filled in here.
  virtual core::Result<TierChange> change_tier(const core::Uuid& org_id, Product product, Tier tier,
                                               AuditRecord audit) = 0;
  /// Cancels the live subscription at once; SUBSCRIPTION_NOT_FOUND when there is none.
  virtual core::Result<Subscription> cancel(const core::Uuid& org_id, Product product,
                                            AuditRecord audit) = 0;
};

}  // namespace ferr::domain::orgs
