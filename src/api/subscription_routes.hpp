#pragma once
/// The routes of "Subscriptions" (api.md): /v1/orgs/{slug}/subscriptions….

#include "api/idempotent.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/orgs/subscription_service.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct SubscriptionRoutesDeps {
  domain::orgs::SubscriptionService& subscriptions;
  domain::accounts::AccountService& accounts;  ///< authenticates callers
  IdempotencyDeps idempotency;                 ///< for POST …/subscriptions
};

/// Registers the subscription routes.
void add_subscription_routes(http::Router& router, const SubscriptionRoutesDeps& deps);

}  // namespace ferr::api
