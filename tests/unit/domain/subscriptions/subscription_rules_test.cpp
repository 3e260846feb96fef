// The subscription rules both storage backends ask with the row they locked and read.

#include "domain/subscriptions/subscription_rules.hpp"

#include <gtest/gtest.h>

namespace ferr::domain::subscriptions {
namespace {

Subscription row(Tier tier, SubscriptionStatus status) {
  Subscription s;
  s.product = Product::ferrflow;
  s.tier = tier;
  s.status = status;
  return s;
}

const SubscriptionStatus kLive[] = {SubscriptionStatus::trialing, SubscriptionStatus::active,
                                    SubscriptionStatus::past_due, SubscriptionStatus::incomplete};
const Tier kTiers[] = {Tier::free, Tier::pro, Tier::team, Tier::enterprise};

TEST(PlanActivation, NeedsNoLiveRow) {
  EXPECT_TRUE(plan_activation(std::nullopt)) << "no row: a new one";
  EXPECT_TRUE(plan_activation(row(Tier::pro, SubscriptionStatus::canceled)))
      << "a canceled row is reactivated";
  for (auto status : kLive) {
    auto refused = plan_activation(row(Tier::pro, status));
    ASSERT_FALSE(refused) << status_name(status);
    EXPECT_EQ(refused.error().code, core::ErrorCode::subscription_already_active);
  }
}

TEST(PlanTierChange, NeedsALiveRow) {
  for (const auto& stored : {std::optional<Subscription>{},
                             std::optional(row(Tier::pro, SubscriptionStatus::canceled))}) {
    auto refused = plan_tier_change(stored, Tier::team);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::subscription_not_found);
    EXPECT_EQ(refused.error().message, subscription_not_found().message);
  }
}

TEST(PlanTierChange, TheSameTierChangesNothingAnyOtherIsAudited) {
  for (auto status : kLive) {
    for (auto from : kTiers) {
      for (auto to : kTiers) {
        auto plan = plan_tier_change(row(from, status), to);
        ASSERT_TRUE(plan);
        EXPECT_EQ(plan->from, from);
        EXPECT_EQ(plan->changes, from != to);
        if (from == to) {
          EXPECT_EQ(plan->audit_metadata, "");
        } else {
          EXPECT_EQ(plan->audit_metadata, "{\"from\":\"" + std::string(tier_name(from)) +
                                              "\",\"to\":\"" + std::string(tier_name(to)) + "\"}");
        }
      }
    }
  }
  EXPECT_EQ(
      plan_tier_change(row(Tier::pro, SubscriptionStatus::active), Tier::team)->audit_metadata,
      R"({"from":"pro","to":"team"})");
}

TEST(PlanCancel, NeedsALiveRowAndRecordsItsTier) {
  EXPECT_EQ(plan_cancel(std::nullopt).error().code, core::ErrorCode::subscription_not_found);
  EXPECT_EQ(plan_cancel(row(Tier::pro, SubscriptionStatus::canceled)).error().code,
            core::ErrorCode::subscription_not_found);
  for (auto status : kLive)
    EXPECT_EQ(plan_cancel(row(Tier::enterprise, status)).value(), R"({"tier":"enterprise"})");
}

}  // namespace
}  // namespace ferr::domain::subscriptions
