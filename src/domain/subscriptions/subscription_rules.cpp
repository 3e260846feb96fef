#include "domain/subscriptions/subscription_rules.hpp"

#include "domain/orgs/audit.hpp"

namespace ferr::domain::subscriptions {

namespace {

bool live(const std::optional<Subscription>& stored) { return stored && stored->live(); }

}  // namespace

core::Error subscription_not_found() {
  return core::Error::make(core::ErrorCode::subscription_not_found,
                           "no live subscription for this product");
}

core::Result<void> plan_activation(const std::optional<Subscription>& stored) {
  if (live(stored))
    return core::fail(core::Error::make(core::ErrorCode::subscription_already_active,
                                        "this product is already active for the organization"));
  return {};
}

core::Result<TierChangePlan> plan_tier_change(const std::optional<Subscription>& stored,
                                              Tier wanted) {
  if (!live(stored)) return core::fail(subscription_not_found());
  if (stored->tier == wanted) return TierChangePlan{wanted, false, {}};
  return TierChangePlan{stored->tier, true, orgs::tier_changed_metadata(stored->tier, wanted)};
}

core::Result<std::string> plan_cancel(const std::optional<Subscription>& stored) {
  if (!live(stored)) return core::fail(subscription_not_found());
  return orgs::subscription_canceled_metadata(stored->tier);
}

}  // namespace ferr::domain::subscriptions
