#pragma once
/// The subscription rules of api.md that depend on the stored row. Each storage backend locks
/// and reads the (organization, product) row inside its transaction, asks these functions, and
/// writes what they answer.

#include <optional>
#include <string>

#include "core/error.hpp"
#include "domain/subscriptions/subscription.hpp"

namespace ferr::domain::subscriptions {

/// SUBSCRIPTION_NOT_FOUND: no live subscription for the product (or no such product).
core::Error subscription_not_found();

/// Activating needs no live row: SUBSCRIPTION_ALREADY_ACTIVE otherwise. A canceled row is
/// reactivated in place (it keeps its id and created_at); no row means a new one.
core::Result<void> plan_activation(const std::optional<Subscription>& stored);

/// What a tier change does.
struct TierChangePlan {
  Tier from = Tier::free;
  bool changes = false;        ///< false: the same tier, nothing is written or audited
  std::string audit_metadata;  ///< `{"from", "to"}` when it changes
};

/// Re-tiering needs a live row (SUBSCRIPTION_NOT_FOUND otherwise); the same tier changes
/// nothing.
core::Result<TierChangePlan> plan_tier_change(const std::optional<Subscription>& stored,
                                              Tier wanted);

/// Canceling needs a live row (SUBSCRIPTION_NOT_FOUND otherwise). The audit metadata.
core::Result<std::string> plan_cancel(const std::optional<Subscription>& stored);

}  // namespace ferr::domain::subscriptions
