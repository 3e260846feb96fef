#pragma once
/// JSON shape of a subscription (FerrLabs' `SubscriptionRow`, api.md "Subscriptions").

#include <string>
#include <vector>

#include "domain/orgs/subscription.hpp"

namespace ferr::api {

std::string subscription_json(const domain::orgs::Subscription& subscription);
std::string subscriptions_json(const std::vector<domain::orgs::Subscription>& subscriptions);

}  // namespace ferr::api
