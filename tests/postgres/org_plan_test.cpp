// An organization's plan is computed from the tiers of its live subscriptions: a total mapping
// over the tiers the code knows, and a loud failure for a stored tier it does not know.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "domain/orgs/audit.hpp"
#include "pg_test_support.hpp"
#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/subscription_repository.hpp"

namespace ferr::storage::postgres {
namespace {

using namespace std::chrono_literals;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;

class OrgPlan : public ::testing::Test {
 protected:
  static std::unique_ptr<Database> open(const std::string& url) {
    PoolOptions options;
    options.connection.url = url;
    return std::make_unique<Database>(options);
  }

  void SetUp() override {
    ASSERT_TRUE(core::run_to_completion(db_->migrate()));
    ASSERT_TRUE(core::run_to_completion(
        accounts_.register_account("ada@example.com", "h", std::nullopt, owner_, clock_.now())));
    ASSERT_TRUE(core::run_to_completion(accounts_.create_session(
        {session_, owner_, "r", clock_.now() + 1h, std::nullopt}, clock_.now())));
    ASSERT_TRUE(core::run_to_completion(
        orgs_.create_org(org_, "acme", "Acme", owner_, audit("org.created"))));
  }

  orgs::AuditRecord audit(std::string action) {
    clock_.advance(1ms);
    return orgs::audit_record(clock_, random_, owner_, std::move(action), "x");
  }
  void activate(subscriptions::Product product, subscriptions::Tier tier) {
    ASSERT_TRUE(core::run_to_completion(
        subscriptions_.activate(org_, core::SubscriptionId::generate(clock_, random_), product,
                                tier, audit("subscription.activated"))));
  }
  core::Result<orgs::OrgLookup> lookup() {
    return core::run_to_completion(orgs_.org_for_member("acme", {owner_, session_}));
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{3};
  pgtest::ScratchDatabase scratch_;
  std::unique_ptr<Database> db_ = open(scratch_.url());
  PgAccountRepository accounts_{*db_};
  PgOrgRepository orgs_{*db_};
  PgSubscriptionRepository subscriptions_{*db_};
  core::UserId owner_ = core::UserId::generate(clock_, random_);
  core::SessionId session_ = core::SessionId::generate(clock_, random_);
  core::OrgId org_ = core::OrgId::generate(clock_, random_);
};

TEST_F(OrgPlan, IsTheHighestLiveTierAndFreeWithoutAny) {
  auto none = lookup();
  ASSERT_TRUE(none && none->org) << (none ? "no org" : none.error().log_detail);
  EXPECT_EQ(none->org->plan, subscriptions::Tier::free);
  activate(subscriptions::Product::ferrflow, subscriptions::Tier::team);
  activate(subscriptions::Product::ferrvault, subscriptions::Tier::pro);
  auto two = lookup();
  ASSERT_TRUE(two && two->org);
  EXPECT_EQ(two->org->plan, subscriptions::Tier::team);
  ASSERT_TRUE(core::run_to_completion(subscriptions_.cancel(org_, subscriptions::Product::ferrflow,
                                                            audit("subscription.canceled"))));
  auto after_cancel = lookup();
  ASSERT_TRUE(after_cancel && after_cancel->org);
  EXPECT_EQ(after_cancel->org->plan, subscriptions::Tier::pro);
}

TEST_F(OrgPlan, AStoredTierTheCodeDoesNotKnowFailsLoudly) {
  activate(subscriptions::Product::ferrflow, subscriptions::Tier::pro);
  pgtest::admin_scalar(scratch_.url(),
                       "ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_tier_check");
  pgtest::admin_scalar(scratch_.url(), "UPDATE subscriptions SET tier = 'platinum'");
  auto found = lookup();
  ASSERT_FALSE(found);  // never read as some known tier
  EXPECT_EQ(found.error().code, core::ErrorCode::internal_database);
  EXPECT_NE(found.error().log_detail.find("platinum"), std::string::npos)
      << found.error().log_detail;
}

}  // namespace
}  // namespace ferr::storage::postgres
