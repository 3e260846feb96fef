// The subscription use cases over the in-memory repositories: who may do what, what is audited,
// and that events are emitted after the repository, never for a refusal or an error. Every
// repository call and every event is written to one trace ("activate", "activate failed",
// "product.activated ferrflow pro"), so the order shows.

#include "domain/subscriptions/subscription_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "fakes/database.hpp"
#include "fakes/org_repository.hpp"
#include "fakes/recorders.hpp"
#include "fakes/subscription_repository.hpp"

namespace ferr::domain::subscriptions {
namespace {

using accounts::Principal;
using core::ErrorCode;
using orgs::AuditRecord;
using orgs::Role;
using orgs::role_name;
using Trace = std::vector<std::string>;

template <typename T>
T run(core::Task<T> task) {
  return core::run_to_completion(std::move(task));
}

class SubscriptionServiceTest : public ::testing::Test {
 protected:
  SubscriptionServiceTest() {
    subscriptions_.hooks.on_return = [this](std::string_view method, bool ok) {
      trace_.push_back(std::string(method) + (ok ? "" : " failed"));
    };
  }

  void TearDown() override {
    // Every change and every event concerns the one organization the service was asked about.
    for (const auto& id : events_.org_ids()) EXPECT_EQ(id, org_id_);
    for (const auto& [key, row] : db_.subscriptions) EXPECT_EQ(key.first, org_id_);
    for (const auto& row : db_.audit_log) EXPECT_EQ(row.org_id, org_id_);
  }

  /// A member of acme with `role`, signed in.
  Principal member_with(Role role) {
    auto user = db_.add_user(std::string(role_name(role)) + "@example.com");
    db_.add_member(org_id_, user, role);
    return db_.sign_in(user);
  }

  /// Activates `product` at `tier` as the admin, then forgets the trace.
  void seed(Product product, Tier tier) {
    ASSERT_TRUE(run(service_.activate(admin_, "acme", product, tier)));
    trace_.clear();
  }

  std::vector<AuditRecord> audits() { return db_.audit_of(org_id_); }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{7};
  Trace trace_;
  fakes::Database db_;
  fakes::FakeOrgRepository orgs_{db_};
  fakes::FakeSubscriptionRepository subscriptions_{db_};
  fakes::RecordingOrgEvents events_{&trace_};
  SubscriptionService service_{orgs_, subscriptions_, events_, clock_, random_};

  const core::OrgId org_id_ = db_.add_org("acme", "Acme");
  const Principal owner_ = member_with(Role::owner);
  const Principal admin_ = member_with(Role::admin);
  const Principal member_ = member_with(Role::member);
  const Principal viewer_ = member_with(Role::viewer);
  const Principal outsider_ = db_.sign_in(db_.add_user("outsider@example.com"));
};

TEST_F(SubscriptionServiceTest, ActivateAuditsThenEmitsAfterTheRepository) {
  auto activated = run(service_.activate(admin_, "acme", Product::ferrflow, Tier::pro));
  ASSERT_TRUE(activated) << activated.error().message;
  EXPECT_EQ(activated->product, Product::ferrflow);
  EXPECT_EQ(activated->tier, Tier::pro);
  EXPECT_EQ(activated->status, SubscriptionStatus::active);
  EXPECT_EQ(trace_, (Trace{"activate", "product.activated ferrflow pro"}));

  ASSERT_EQ(audits().size(), 1u);
  const auto audit = audits()[0];
  EXPECT_EQ(audit.actor_id, admin_.user_id);
  EXPECT_EQ(audit.action, "subscription.activated");
  EXPECT_EQ(audit.target, "ferrflow");
  EXPECT_EQ(audit.metadata, R"({"product":"ferrflow","tier":"pro"})");
  EXPECT_EQ(audit.created_at, clock_.now());
  EXPECT_NE(audit.id.value, activated->id.value)
      << "the row and its audit entry have their own ids";
}

TEST_F(SubscriptionServiceTest, OwnersActivateToo) {
  ASSERT_TRUE(run(service_.activate(owner_, "acme", Product::ferrvault, Tier::enterprise)));
  EXPECT_EQ(trace_, (Trace{"activate", "product.activated ferrvault enterprise"}));
  EXPECT_EQ(audits().at(0).metadata, R"({"product":"ferrvault","tier":"enterprise"})");
}

TEST_F(SubscriptionServiceTest, ARefusedActivationEmitsNothing) {
  seed(Product::ferrflow, Tier::pro);
  auto again = run(service_.activate(admin_, "acme", Product::ferrflow, Tier::team));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::subscription_already_active);
  EXPECT_EQ(trace_, (Trace{"activate failed"}));
  EXPECT_EQ(audits().size(), 1u);
}

TEST_F(SubscriptionServiceTest, ACanceledProductIsReactivatedInPlace) {
  seed(Product::ferrflow, Tier::pro);
  auto first_id = db_.subscriptions.begin()->second.id;
  ASSERT_TRUE(run(service_.cancel(admin_, "acme", "ferrflow")));
  trace_.clear();
  auto again = run(service_.activate(admin_, "acme", Product::ferrflow, Tier::team));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id, first_id) << "the row keeps its id";
  EXPECT_EQ(again->tier, Tier::team);
  EXPECT_FALSE(again->canceled_at);
  EXPECT_EQ(trace_, (Trace{"activate", "product.activated ferrflow team"}));
}

TEST_F(SubscriptionServiceTest, ChangeTierEmitsOnlyWhenTheTierChanges) {
  seed(Product::ferrflow, Tier::pro);
  auto same = run(service_.change_tier(admin_, "acme", "ferrflow", Tier::pro));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->tier, Tier::pro);
  EXPECT_EQ(trace_, (Trace{"change_tier"})) << "same tier: no event";
  EXPECT_EQ(audits().size(), 1u) << "same tier: no audit row";

  clock_.advance(std::chrono::seconds(1));
  auto changed = run(service_.change_tier(owner_, "acme", "ferrflow", Tier::team));
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->tier, Tier::team);
  EXPECT_EQ(trace_,
            (Trace{"change_tier", "change_tier", "product.tier_changed ferrflow pro team"}));
  ASSERT_EQ(audits().size(), 2u);
  const auto audit = audits()[1];
  EXPECT_EQ(audit.actor_id, owner_.user_id);
  EXPECT_EQ(audit.action, "subscription.tier_changed");
  EXPECT_EQ(audit.target, "ferrflow");
  EXPECT_EQ(audit.metadata, R"({"from":"pro","to":"team"})");
  EXPECT_EQ(audit.created_at, clock_.now());
}

TEST_F(SubscriptionServiceTest, ChangingTheTierOfNoLiveSubscriptionEmitsNothing) {
  auto absent = run(service_.change_tier(admin_, "acme", "ferrvault", Tier::pro));
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::subscription_not_found);
  EXPECT_EQ(trace_, (Trace{"change_tier failed"}));
}

TEST_F(SubscriptionServiceTest, CancelAuditsThenEmitsAfterTheRepository) {
  seed(Product::ferrgrowth, Tier::team);
  auto canceled = run(service_.cancel(admin_, "acme", "ferrgrowth"));
  ASSERT_TRUE(canceled) << canceled.error().message;
  EXPECT_EQ(canceled->status, SubscriptionStatus::canceled);
  EXPECT_EQ(trace_, (Trace{"cancel", "product.canceled ferrgrowth"}));
  ASSERT_EQ(audits().size(), 2u);
  EXPECT_EQ(audits()[1].action, "subscription.canceled");
  EXPECT_EQ(audits()[1].target, "ferrgrowth");
  EXPECT_EQ(audits()[1].actor_id, admin_.user_id);
  EXPECT_EQ(audits()[1].metadata, R"({"tier":"team"})");

  trace_.clear();
  auto again = run(service_.cancel(admin_, "acme", "ferrgrowth"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::subscription_not_found);
  EXPECT_EQ(trace_, (Trace{"cancel failed"}));
}

TEST_F(SubscriptionServiceTest, RepositoryErrorsEmitNothing) {
  seed(Product::ferrflow, Tier::pro);
  subscriptions_.hooks.fail_always(core::Error::database("database is locked"));
  auto activated = run(service_.activate(admin_, "acme", Product::ferrvault, Tier::pro));
  auto changed = run(service_.change_tier(admin_, "acme", "ferrflow", Tier::team));
  auto canceled = run(service_.cancel(admin_, "acme", "ferrflow"));
  ASSERT_FALSE(activated);
  ASSERT_FALSE(changed);
  ASSERT_FALSE(canceled);
  EXPECT_EQ(activated.error().code, ErrorCode::internal_database);
  EXPECT_EQ(changed.error().code, ErrorCode::internal_database);
  EXPECT_EQ(canceled.error().code, ErrorCode::internal_database);
  EXPECT_EQ(trace_, (Trace{"activate failed", "change_tier failed", "cancel failed"}));
}

TEST_F(SubscriptionServiceTest, AnUnknownProductSegmentIsNotFoundWithoutAskingTheRepository) {
  seed(Product::ferrflow, Tier::pro);
  int calls = subscriptions_.hooks.calls();
  for (const char* product : {"ferrnope", "FERRFLOW", "", "ferrflow "}) {
    auto changed = run(service_.change_tier(admin_, "acme", product, Tier::team));
    ASSERT_FALSE(changed) << product;
    EXPECT_EQ(changed.error().code, ErrorCode::subscription_not_found) << product;
    auto canceled = run(service_.cancel(admin_, "acme", product));
    ASSERT_FALSE(canceled) << product;
    EXPECT_EQ(canceled.error().code, ErrorCode::subscription_not_found) << product;
  }
  EXPECT_EQ(subscriptions_.hooks.calls(), calls);
  EXPECT_TRUE(trace_.empty());
}

TEST_F(SubscriptionServiceTest, NonMembersAndMissingOrgsAreOrgNotFound) {
  seed(Product::ferrflow, Tier::pro);
  int calls = subscriptions_.hooks.calls();
  for (const auto& [actor, slug] : {std::pair{outsider_, "acme"}, std::pair{admin_, "other"}}) {
    auto listed = run(service_.list(actor, slug));
    auto activated = run(service_.activate(actor, slug, Product::ferrvault, Tier::pro));
    auto changed = run(service_.change_tier(actor, slug, "ferrflow", Tier::team));
    auto canceled = run(service_.cancel(actor, slug, "ferrflow"));
    ASSERT_FALSE(listed);
    ASSERT_FALSE(activated);
    ASSERT_FALSE(changed);
    ASSERT_FALSE(canceled);
    EXPECT_EQ(listed.error().code, ErrorCode::org_not_found) << slug;
    EXPECT_EQ(activated.error().code, ErrorCode::org_not_found) << slug;
    EXPECT_EQ(changed.error().code, ErrorCode::org_not_found) << slug;
    EXPECT_EQ(canceled.error().code, ErrorCode::org_not_found) << slug;
  }
  EXPECT_EQ(subscriptions_.hooks.calls(), calls);
  EXPECT_TRUE(trace_.empty());
}

TEST_F(SubscriptionServiceTest, ARevokedSessionIsUnauthorizedEverywhere) {
  seed(Product::ferrflow, Tier::pro);
  int calls = subscriptions_.hooks.calls();
  db_.revoke(admin_);
  auto listed = run(service_.list(admin_, "acme"));
  auto activated = run(service_.activate(admin_, "acme", Product::ferrvault, Tier::pro));
  auto changed = run(service_.change_tier(admin_, "acme", "ferrflow", Tier::team));
  auto canceled = run(service_.cancel(admin_, "acme", "ferrflow"));
  for (const auto* failed : {&activated, &changed, &canceled}) {
    ASSERT_FALSE(*failed);
    EXPECT_EQ(failed->error().code, ErrorCode::auth_unauthorized);
  }
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().code, ErrorCode::auth_unauthorized);
  EXPECT_EQ(subscriptions_.hooks.calls(), calls) << "nothing reaches the subscriptions";
  EXPECT_TRUE(trace_.empty());

  // A session that is live but belongs to someone else is no better.
  auto borrowed = run(service_.list(Principal{owner_.user_id, viewer_.session_id}, "acme"));
  ASSERT_FALSE(borrowed);
  EXPECT_EQ(borrowed.error().code, ErrorCode::auth_unauthorized);
}

TEST_F(SubscriptionServiceTest, MembersAndViewersReadButDoNotWrite) {
  seed(Product::ferrflow, Tier::pro);
  int calls = subscriptions_.hooks.calls();
  for (const auto& actor : {member_, viewer_}) {
    auto activated = run(service_.activate(actor, "acme", Product::ferrvault, Tier::pro));
    auto changed = run(service_.change_tier(actor, "acme", "ferrflow", Tier::team));
    auto canceled = run(service_.cancel(actor, "acme", "ferrflow"));
    ASSERT_FALSE(activated);
    ASSERT_FALSE(changed);
    ASSERT_FALSE(canceled);
    EXPECT_EQ(activated.error().code, ErrorCode::auth_forbidden);
    EXPECT_EQ(changed.error().code, ErrorCode::auth_forbidden);
    EXPECT_EQ(canceled.error().code, ErrorCode::auth_forbidden);
  }
  EXPECT_EQ(subscriptions_.hooks.calls(), calls);
  EXPECT_TRUE(trace_.empty());

  auto listed = run(service_.list(viewer_, "acme"));
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).tier, Tier::pro);
}

TEST_F(SubscriptionServiceTest, OrgLookupErrorsPropagate) {
  orgs_.hooks.fail_always(core::Error::database("no reader"));
  auto activated = run(service_.activate(admin_, "acme", Product::ferrflow, Tier::pro));
  ASSERT_FALSE(activated);
  EXPECT_EQ(activated.error().code, ErrorCode::internal_database);
  EXPECT_EQ(subscriptions_.hooks.calls(), 0);
  EXPECT_TRUE(trace_.empty());
}

}  // namespace
}  // namespace ferr::domain::subscriptions
