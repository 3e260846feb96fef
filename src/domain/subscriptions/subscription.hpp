#pragma once
/// Product subscriptions of an organization (api.md "Subscriptions"): one row per
/// (organization, product); "live" means any status but `canceled`.

#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/id.hpp"

namespace ferr::domain::subscriptions {

/// Enumerators are the wire names, in the order of core::kProductNames.
enum class Product { ferrflow, ferrvault, ferrtrack, ferrgrowth, ferrfleet, ferrlens };
/// Lowest first, in the order of core::kTierNames: the order defines an organization's `plan`
/// (its highest live tier).
enum class Tier { free, pro, team, enterprise };
enum class SubscriptionStatus { trialing, active, past_due, canceled, incomplete };

std::string_view product_name(Product product);
std::optional<Product> parse_product(std::string_view name);
std::string_view tier_name(Tier tier);
std::optional<Tier> parse_tier(std::string_view name);
std::string_view status_name(SubscriptionStatus status);
std::optional<SubscriptionStatus> parse_status(std::string_view name);

/// One subscription row. The billing fields of the wire object (`trial_ends_at`,
/// `current_period_end`, `stripe_subscription_id`) stay null until a payment provider exists.
struct Subscription {
  core::SubscriptionId id;
  Product product = Product::ferrflow;
  Tier tier = Tier::free;
  SubscriptionStatus status = SubscriptionStatus::active;
  core::TimePoint created_at;
  core::TimePoint updated_at;
  std::optional<core::TimePoint> canceled_at;

  bool live() const { return status != SubscriptionStatus::canceled; }
};

/// The outcome of a tier change: the row after it, and the tier before it.
struct TierChange {
  Subscription subscription;
  Tier from = Tier::free;

  bool changed() const { return from != subscription.tier; }
};

}  // namespace ferr::domain::subscriptions
