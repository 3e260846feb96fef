#include "api/subscription_json.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/time_format.hpp"

namespace ferr::api {

namespace {

boost::json::object subscription_object(const domain::subscriptions::Subscription& s) {
  // No payment provider yet: the billing fields are part of the shape and always null.
  boost::json::object o{{"id", s.id.to_string()},
                        {"product", domain::subscriptions::product_name(s.product)},
                        {"tier", domain::subscriptions::tier_name(s.tier)},
                        {"status", domain::subscriptions::status_name(s.status)},
                        {"trial_ends_at", nullptr},
                        {"current_period_end", nullptr},
                        {"stripe_subscription_id", nullptr},
                        {"created_at", core::format_rfc3339_ms(s.created_at)},
                        {"updated_at", core::format_rfc3339_ms(s.updated_at)},
                        {"canceled_at", nullptr}};
  if (s.canceled_at) o["canceled_at"] = core::format_rfc3339_ms(*s.canceled_at);
  return o;
}

}  // namespace

std::string subscription_json(const domain::subscriptions::Subscription& subscription) {
  return boost::json::serialize(subscription_object(subscription));
}

std::string subscriptions_json(
    const std::vector<domain::subscriptions::Subscription>& subscriptions) {
  boost::json::array a;
  for (const auto& s : subscriptions) a.push_back(subscription_object(s));
  return boost::json::serialize(a);
}

}  // namespace ferr::api
