#pragma once
/// The routes of "Subscriptions" (api.md): /v1/orgs/{slug}/subscriptions….

#include "api/authentication.hpp"
#include "api/idempotent.hpp"
#include "domain/subscriptions/subscription_service.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct SubscriptionRoutesDeps {
  domain::subscriptions::SubscriptionService& subscriptions;
  const Authenticator& auth;
  IdempotencyDeps idempotency;  ///< for POST …/subscriptions
};

/// Registers the subscription routes.
void add_subscription_routes(http::Router& router, const SubscriptionRoutesDeps& deps);

}  // namespace ferr::api
