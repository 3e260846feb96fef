#include "domain/orgs/subscription_service.hpp"

#include "domain/orgs/org_access.hpp"

namespace ferr::domain::orgs {

namespace {

core::Error subscription_not_found() {
  return core::Error::make(core::ErrorCode::subscription_not_found,
                           "no live subscription for this product");
}

}  // namespace

SubscriptionService::SubscriptionService(OrgRepository& orgs, SubscriptionRepository& subscriptions,
                                         OrgEvents& events, const core::Clock& clock,
                                         core::Random& random)
    : orgs_(orgs), subscriptions_(subscriptions), events_(events), clock_(clock), random_(random) {}

core::Result<std::vector<Subscription>> SubscriptionService::list(const core::Uuid& actor,
                                                                  const std::string& slug) {
  auto org = org_as(orgs_, actor, slug, Access::read);
  if (!org) return core::fail(org.error());
  return subscriptions_.subscriptions(org->id);
}

core::Result<Subscription> SubscriptionService::activate(const core::Uuid& actor,
                                                         const std::string& slug, Product product,
                                                         Tier tier) {
  auto org = org_as(orgs_, actor, slug, Access::write);
  if (!org) return core::fail(org.error());
  auto metadata = "{\"product\":\"" + std::string(product_name(product)) + "\",\"tier\":\"" +
                  std::string(tier_name(tier)) + "\"}";
  auto activated =
      subscriptions_.activate(org->id, core::Uuid::v7(clock_, random_), product, tier,
                              audit_record(clock_, random_, actor, "subscription.activated",
                                           std::string(product_name(product)), metadata));
  if (activated) events_.product_activated(org->id, product, tier);
  return activated;
}

core::Result<Subscription> SubscriptionService::change_tier(const core::Uuid& actor,
                                                            const std::string& slug,
                                                            std::string_view product_text,
                                                            Tier tier) {
  auto org = org_as(orgs_, actor, slug, Access::write);
  if (!org) return core::fail(org.error());
  auto product = parse_product(product_text);
  if (!product) return core::fail(subscription_not_found());
  auto change =
      subscriptions_.change_tier(org->id, *product, tier,
                                 audit_record(clock_, random_, actor, "subscription.tier_changed",
                                              std::string(product_name(*product))));
  if (!change) return core::fail(change.error());
  if (change->changed()) events_.product_tier_changed(org->id, *product, change->from, tier);
  return change->subscription;
}

core::Result<Subscription> SubscriptionService::cancel(const core::Uuid& actor,
                                                       const std::string& slug,
                                                       std::string_view product_text) {
  auto org = org_as(orgs_, actor, slug, Access::write);
  if (!org) return core::fail(org.error());
  auto product = parse_product(product_text);
  if (!product) return core::fail(subscription_not_found());
  auto canceled =
      subscriptions_.cancel(org->id, *product,
                            audit_record(clock_, random_, actor, "subscription.canceled",
                                         std::string(product_name(*product))));
  if (canceled) events_.product_canceled(org->id, *product);
  return canceled;
}

}  // namespace ferr::domain::orgs
