#pragma once
/// The "Subscriptions" use cases of api.md: members list, admin+ activate, re-tier and cancel.
/// Every method is a coroutine.

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/org_events.hpp"
#include "domain/orgs/org_repository.hpp"
#include "domain/subscriptions/subscription_repository.hpp"

namespace ferr::domain::subscriptions {

class SubscriptionService {
 public:
  SubscriptionService(orgs::OrgRepository& orgs, SubscriptionRepository& subscriptions,
                      orgs::OrgEvents& events, const core::Clock& clock, core::Random& random);

  using Principal = accounts::Principal;

  core::Task<core::Result<std::vector<Subscription>>> list(const Principal& actor,
                                                           const std::string& slug);
  /// Emits `product.activated` after commit.
  core::Task<core::Result<Subscription>> activate(const Principal& actor, const std::string& slug,
                                                  Product product, Tier tier);
  /// `product` is the path segment: an unknown product has no live subscription.
  /// Emits `product.tier_changed` only when the tier changes.
  core::Task<core::Result<Subscription>> change_tier(const Principal& actor,
                                                     const std::string& slug,
                                                     std::string_view product, Tier tier);
  /// Emits `product.canceled` after commit.
  core::Task<core::Result<Subscription>> cancel(const Principal& actor, const std::string& slug,
                                                std::string_view product);

 private:
  orgs::OrgRepository& orgs_;
  SubscriptionRepository& subscriptions_;
  orgs::OrgEvents& events_;
  const core::Clock& clock_;
  core::Random& random_;
};

}  // namespace ferr::domain::subscriptions
