#include "domain/subscriptions/subscription_service.hpp"

#include "core/try.hpp"
#include "domain/orgs/audit.hpp"
#include "domain/orgs/org_access.hpp"
#include "domain/subscriptions/subscription_rules.hpp"

namespace ferr::domain::subscriptions {

namespace {

using core::Result;
using core::Task;

}  // namespace

SubscriptionService::SubscriptionService(orgs::OrgRepository& orgs,
                                         SubscriptionRepository& subscriptions,
                                         orgs::OrgEvents& events, const core::Clock& clock,
                                         core::Random& random)
    : orgs_(orgs), subscriptions_(subscriptions), events_(events), clock_(clock), random_(random) {}

Task<Result<std::vector<Subscription>>> SubscriptionService::list(const Principal& actor,
                                                                  const std::string& slug) {
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, actor, slug, orgs::Access::read));
  co_return co_await subscriptions_.subscriptions(org.id);
}

Task<Result<Subscription>> SubscriptionService::activate(const Principal& actor,
                                                         const std::string& slug, Product product,
                                                         Tier tier) {
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, actor, slug, orgs::Access::write));
  FERR_CO_TRY(auto activated,
              co_await subscriptions_.activate(
                  org.id, core::SubscriptionId::generate(clock_, random_), product, tier,
                  orgs::audit_record(clock_, random_, actor, "subscription.activated",
                                     std::string(product_name(product)),
                                     orgs::subscription_activated_metadata(product, tier))));
  events_.product_activated(org.id, product, tier);
  co_return activated;
}

Task<Result<Subscription>> SubscriptionService::change_tier(const Principal& actor,
                                                            const std::string& slug,
                                                            std::string_view product_text,
                                                            Tier tier) {
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, actor, slug, orgs::Access::write));
  auto product = parse_product(product_text);
  if (!product) co_return core::fail(subscription_not_found());
  FERR_CO_TRY(auto change,
              co_await subscriptions_.change_tier(
                  org.id, *product, tier,
                  orgs::audit_record(clock_, random_, actor, "subscription.tier_changed",
                                     std::string(product_name(*product)))));
  if (change.changed()) events_.product_tier_changed(org.id, *product, change.from, tier);
  co_return change.subscription;
}

Task<Result<Subscription>> SubscriptionService::cancel(const Principal& actor,
                                                       const std::string& slug,
                                                       std::string_view product_text) {
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, actor, slug, orgs::Access::write));
  auto product = parse_product(product_text);
  if (!product) co_return core::fail(subscription_not_found());
  FERR_CO_TRY(auto canceled, co_await subscriptions_.cancel(
                                 org.id, *product,
                                 orgs::audit_record(clock_, random_, actor, "subscription.canceled",
                                                    std::string(product_name(*product)))));
  events_.product_canceled(org.id, *product);
  co_return canceled;
}

}  // namespace ferr::domain::subscriptions
