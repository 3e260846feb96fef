#pragma once
/// JSON shape of a subscription (FerrLabs' `SubscriptionRow`, api.md "Subscriptions").

#include <string>
#include <vector>

#include "domain/subscriptions/subscription.hpp"

namespace ferr::api {

std::string subscription_json(const domain::subscriptions::Subscription& subscription);
std::string subscriptions_json(
    const std::vector<domain::subscriptions::Subscription>& subscriptions);

}  // namespace ferr::api
