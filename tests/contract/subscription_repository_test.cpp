// The SubscriptionRepository contract, run on every storage backend.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "contract/contract_test.hpp"
#include "contract/race.hpp"
#include "domain/orgs/audit.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;
using core::OrgId;
using core::SubscriptionId;
using domain::orgs::AuditRecord;
using domain::subscriptions::Product;
using domain::subscriptions::Subscription;
using domain::subscriptions::SubscriptionStatus;
using domain::subscriptions::Tier;

constexpr Product kProducts[] = {Product::ferrflow,   Product::ferrvault, Product::ferrtrack,
                                 Product::ferrgrowth, Product::ferrfleet, Product::ferrlens};

std::string name_of(Product product) {
  return std::string(domain::subscriptions::product_name(product));
}

class SubscriptionRepositoryContract : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    repo_ = &backend_->subscriptions();
    owner_ = active_user("owner@x.io");
    org_ = make_org("acme");
  }

  OrgId make_org(const std::string& slug) {
    auto org = run(backend_->orgs().create_org(next_id<OrgId>(), slug, slug, owner_,
                                               audit(owner_, "org.created", slug)));
    EXPECT_TRUE(org) << org.error().log_detail;
    return org ? org->id : OrgId{};
  }

  core::Result<Subscription> activate(Product product, Tier tier) {
    return run(
        repo_->activate(org_, next_id<SubscriptionId>(), product, tier,
                        audit(owner_, "subscription.activated", name_of(product),
                              domain::orgs::subscription_activated_metadata(product, tier))));
  }
  core::Result<Subscription> cancel(Product product) {
    return run(
        repo_->cancel(org_, product, audit(owner_, "subscription.canceled", name_of(product))));
  }
  core::Result<domain::subscriptions::TierChange> change_tier(Product product, Tier tier) {
    return run(repo_->change_tier(org_, product, tier,
                                  audit(owner_, "subscription.tier_changed", name_of(product))));
  }

  std::vector<Subscription> rows() { return run(repo_->subscriptions(org_)).value(); }
  /// The org's audit log, newest first.
  std::vector<AuditRecord> log() {
    return run(backend_->orgs().audit_log(org_, 200, std::nullopt)).value();
  }
  std::vector<core::AuditEntryId> log_ids() {
    auto entries = log();
    std::vector<core::AuditEntryId> ids;
    ids.reserve(entries.size());
    for (const auto& entry : entries) ids.push_back(entry.id);
    return ids;
  }

  domain::subscriptions::SubscriptionRepository* repo_ = nullptr;
  core::UserId owner_;
  OrgId org_;
};

TEST_P(SubscriptionRepositoryContract, ActivateInsertsAnActiveRowAndAuditsIt) {
  auto id = next_id<SubscriptionId>();
  auto record = audit(owner_, "subscription.activated", "ferrflow",
                      domain::orgs::subscription_activated_metadata(Product::ferrflow, Tier::pro));
  auto activated = run(repo_->activate(org_, id, Product::ferrflow, Tier::pro, record));
  ASSERT_TRUE(activated) << activated.error().log_detail;
  EXPECT_EQ(activated->id, id);
  EXPECT_EQ(activated->product, Product::ferrflow);
  EXPECT_EQ(activated->tier, Tier::pro);
  EXPECT_EQ(activated->status, SubscriptionStatus::active);
  EXPECT_EQ(activated->created_at, now());
  EXPECT_EQ(activated->updated_at, now());
  EXPECT_FALSE(activated->canceled_at);

  auto stored = rows();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, id);
  EXPECT_EQ(stored[0].tier, Tier::pro);
  EXPECT_EQ(stored[0].status, SubscriptionStatus::active);

  auto entries = log();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].actor_id, owner_);
  EXPECT_EQ(entries[0].action, "subscription.activated");
  EXPECT_EQ(entries[0].target, "ferrflow");
  EXPECT_EQ(entries[0].metadata, R"({"product":"ferrflow","tier":"pro"})");
  EXPECT_EQ(entries[0].created_at, now());
}

TEST_P(SubscriptionRepositoryContract, ActivatingALiveProductIsRefusedAndChangesNothing) {
  auto first = activate(Product::ferrflow, Tier::pro);
  ASSERT_TRUE(first) << first.error().log_detail;
  clock_.advance(1s);
  auto before = log_ids();
  EXPECT_TRUE(
      fails_with(activate(Product::ferrflow, Tier::team), ErrorCode::subscription_already_active));
  auto stored = rows();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, first->id);
  EXPECT_EQ(stored[0].tier, Tier::pro);
  EXPECT_EQ(stored[0].updated_at, first->updated_at);
  EXPECT_EQ(log_ids(), before);
}

TEST_P(SubscriptionRepositoryContract, ActivatingACanceledProductReactivatesItInPlace) {
  auto first = activate(Product::ferrflow, Tier::pro);
  ASSERT_TRUE(first) << first.error().log_detail;
  clock_.advance(1s);
  ASSERT_TRUE(cancel(Product::ferrflow));
  clock_.advance(1s);
  auto again = activate(Product::ferrflow, Tier::team);
  ASSERT_TRUE(again) << again.error().log_detail;
  EXPECT_EQ(again->id, first->id) << "the new id is not used";
  EXPECT_EQ(again->created_at, first->created_at);
  EXPECT_EQ(again->tier, Tier::team);
  EXPECT_EQ(again->status, SubscriptionStatus::active);
  EXPECT_FALSE(again->canceled_at);
  EXPECT_EQ(again->updated_at, now());
  EXPECT_GT(again->updated_at, first->updated_at);

  auto stored = rows();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].id, first->id);
  EXPECT_EQ(stored[0].status, SubscriptionStatus::active);
  EXPECT_FALSE(stored[0].canceled_at);
  auto entries = log();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].action, "subscription.activated");
}

TEST_P(SubscriptionRepositoryContract, ChangeTierNeedsALiveSubscription) {
  auto before = log_ids();
  EXPECT_TRUE(
      fails_with(change_tier(Product::ferrvault, Tier::pro), ErrorCode::subscription_not_found))
      << "absent";
  EXPECT_TRUE(rows().empty());
  EXPECT_EQ(log_ids(), before);
  ASSERT_TRUE(activate(Product::ferrvault, Tier::pro));
  ASSERT_TRUE(cancel(Product::ferrvault));
  before = log_ids();
  EXPECT_TRUE(
      fails_with(change_tier(Product::ferrvault, Tier::team), ErrorCode::subscription_not_found))
      << "canceled";
  auto stored = rows();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].tier, Tier::pro);
  EXPECT_EQ(stored[0].status, SubscriptionStatus::canceled);
  EXPECT_EQ(log_ids(), before);
}

TEST_P(SubscriptionRepositoryContract, ChangeTierToTheSameTierChangesNothing) {
  auto live = activate(Product::ferrflow, Tier::pro);
  ASSERT_TRUE(live) << live.error().log_detail;
  clock_.advance(1s);
  auto before = log_ids();
  auto change = change_tier(Product::ferrflow, Tier::pro);
  ASSERT_TRUE(change) << change.error().log_detail;
  EXPECT_FALSE(change->changed());
  EXPECT_EQ(change->from, Tier::pro);
  EXPECT_EQ(change->subscription.id, live->id);
  EXPECT_EQ(change->subscription.tier, Tier::pro);
  EXPECT_EQ(change->subscription.status, SubscriptionStatus::active);
  EXPECT_EQ(change->subscription.updated_at, live->updated_at);
  EXPECT_EQ(rows().at(0).updated_at, live->updated_at);
  EXPECT_EQ(log_ids(), before) << "no audit row";
}

TEST_P(SubscriptionRepositoryContract, ChangeTierMovesTheTierAndAuditsFromAndTo) {
  auto live = activate(Product::ferrflow, Tier::pro);
  ASSERT_TRUE(live) << live.error().log_detail;
  clock_.advance(1s);
  // The service leaves the metadata empty: the rule that reads the tier before writes it.
  auto record = audit(owner_, "subscription.tier_changed", "ferrflow");
  auto change = run(repo_->change_tier(org_, Product::ferrflow, Tier::enterprise, record));
  ASSERT_TRUE(change) << change.error().log_detail;
  EXPECT_TRUE(change->changed());
  EXPECT_EQ(change->from, Tier::pro);
  EXPECT_EQ(change->subscription.tier, Tier::enterprise);
  EXPECT_EQ(change->subscription.id, live->id);
  EXPECT_EQ(change->subscription.status, SubscriptionStatus::active);
  EXPECT_EQ(change->subscription.created_at, live->created_at);
  EXPECT_EQ(change->subscription.updated_at, now());
  EXPECT_EQ(rows().at(0).tier, Tier::enterprise);

  auto entries = log();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].action, "subscription.tier_changed");
  EXPECT_EQ(entries[0].target, "ferrflow");
  EXPECT_EQ(entries[0].metadata, R"({"from":"pro","to":"enterprise"})");
  EXPECT_EQ(entries[0].metadata, domain::orgs::tier_changed_metadata(Tier::pro, Tier::enterprise));
  EXPECT_EQ(entries[0].created_at, now());
}

TEST_P(SubscriptionRepositoryContract, CancelNeedsALiveSubscription) {
  auto before = log_ids();
  EXPECT_TRUE(fails_with(cancel(Product::ferrtrack), ErrorCode::subscription_not_found))
      << "absent";
  EXPECT_EQ(log_ids(), before);
  ASSERT_TRUE(activate(Product::ferrtrack, Tier::team));
  clock_.advance(1s);
  auto canceled = cancel(Product::ferrtrack);
  ASSERT_TRUE(canceled) << canceled.error().log_detail;
  clock_.advance(1s);
  before = log_ids();
  EXPECT_TRUE(fails_with(cancel(Product::ferrtrack), ErrorCode::subscription_not_found))
      << "already canceled";
  auto stored = rows();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].canceled_at, canceled->canceled_at) << "the first cancellation stands";
  EXPECT_EQ(log_ids(), before);
}

TEST_P(SubscriptionRepositoryContract, CancelEndsTheSubscriptionAtTheAuditTime) {
  auto live = activate(Product::ferrgrowth, Tier::team);
  ASSERT_TRUE(live) << live.error().log_detail;
  clock_.advance(1s + 5ms);
  auto record = audit(owner_, "subscription.canceled", "ferrgrowth");
  auto canceled = run(repo_->cancel(org_, Product::ferrgrowth, record));
  ASSERT_TRUE(canceled) << canceled.error().log_detail;
  EXPECT_EQ(canceled->id, live->id);
  EXPECT_EQ(canceled->status, SubscriptionStatus::canceled);
  EXPECT_FALSE(canceled->live());
  EXPECT_EQ(canceled->tier, Tier::team);
  EXPECT_EQ(canceled->canceled_at, record.created_at);
  EXPECT_EQ(canceled->updated_at, record.created_at);
  EXPECT_EQ(canceled->created_at, live->created_at);
  EXPECT_EQ(rows().at(0).status, SubscriptionStatus::canceled);

  auto entries = log();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].action, "subscription.canceled");
  EXPECT_EQ(entries[0].target, "ferrgrowth");
  EXPECT_EQ(entries[0].metadata, R"({"tier":"team"})");
  EXPECT_EQ(entries[0].metadata, domain::orgs::subscription_canceled_metadata(Tier::team));
}

TEST_P(SubscriptionRepositoryContract, SubscriptionsAreListedByProductNameWithCanceledRows) {
  EXPECT_TRUE(rows().empty());
  for (Product product : kProducts) {
    ASSERT_TRUE(activate(product, Tier::pro)) << name_of(product);
    clock_.advance(1s);
  }
  ASSERT_TRUE(cancel(Product::ferrtrack));
  auto other = make_org("other");
  ASSERT_TRUE(run(repo_->activate(other, next_id<SubscriptionId>(), Product::ferrflow, Tier::team,
                                  audit(owner_, "subscription.activated", "ferrflow"))));

  std::vector<std::string> expected;
  expected.reserve(std::size(kProducts));
  for (Product product : kProducts) expected.push_back(name_of(product));
  std::sort(expected.begin(), expected.end());
  auto stored = rows();
  std::vector<std::string> listed;
  listed.reserve(stored.size());
  for (const auto& s : stored) listed.push_back(name_of(s.product));
  EXPECT_EQ(listed, expected);
  for (const auto& s : stored) {
    EXPECT_EQ(s.status, s.product == Product::ferrtrack ? SubscriptionStatus::canceled
                                                        : SubscriptionStatus::active)
        << name_of(s.product);
  }
  auto others = run(repo_->subscriptions(other)).value();
  ASSERT_EQ(others.size(), 1u) << "each org has its own rows";
  EXPECT_EQ(others[0].tier, Tier::team);
  EXPECT_TRUE(run(repo_->subscriptions(next_id<OrgId>())).value().empty());
}

TEST_P(SubscriptionRepositoryContract, ConcurrentActivationsOfOneProductMakeOneLiveRow) {
  // Five rounds insert a new row, five more race to reactivate a canceled one.
  for (int round = 0; round < 10; ++round) {
    Product product = kProducts[round % 5];
    std::optional<SubscriptionId> original;
    if (round >= 5) {
      auto canceled = cancel(product);
      ASSERT_TRUE(canceled) << canceled.error().log_detail;
      original = canceled->id;
    }
    std::vector<SubscriptionId> ids{next_id<SubscriptionId>(), next_id<SubscriptionId>()};
    std::vector<AuditRecord> records{audit(owner_, "subscription.activated", name_of(product)),
                                     audit(owner_, "subscription.activated", name_of(product))};
    std::vector<Tier> tiers{Tier::pro, Tier::team};
    std::promise<void> start;
    std::shared_future<void> started = start.get_future().share();
    std::vector<std::future<core::Result<Subscription>>> calls;
    for (std::size_t i = 0; i < 2; ++i) {
      calls.push_back(std::async(std::launch::async, [&, i] {
        started.wait();
        return run(repo_->activate(org_, ids[i], product, tiers[i], records[i]));
      }));
    }
    start.set_value();
    std::vector<core::Result<Subscription>> results;
    results.reserve(calls.size());
    for (auto& call : calls) results.push_back(call.get());

    int won = 0;
    std::optional<Subscription> winner;
    for (const auto& r : results) {
      if (r) {
        ++won;
        winner = *r;
      } else {
        EXPECT_TRUE(fails_with(r, ErrorCode::subscription_already_active)) << "round " << round;
      }
    }
    ASSERT_EQ(won, 1) << "round " << round;
    auto stored = rows();
    auto row = std::find_if(stored.begin(), stored.end(),
                            [&](const Subscription& s) { return s.product == product; });
    ASSERT_NE(row, stored.end());
    EXPECT_EQ(row->id, winner->id);
    EXPECT_EQ(row->tier, winner->tier);
    EXPECT_EQ(row->status, SubscriptionStatus::active);
    if (original) {
      EXPECT_EQ(winner->id, *original) << "round " << round;
    }
  }
  EXPECT_EQ(rows().size(), 5u);
  int activations = 0;
  for (const auto& entry : log()) activations += entry.action == "subscription.activated";
  EXPECT_EQ(activations, 10) << "one audit row per successful activation";
}

TEST_P(SubscriptionRepositoryContract, ConcurrentCancelsOfOneSubscriptionCancelItOnce) {
  for (int round = 0; round < 10; ++round) {
    Product product = kProducts[round % 5];
    auto live = activate(product, Tier::pro);
    ASSERT_TRUE(live) << live.error().log_detail;
    clock_.advance(1s);
    std::vector<AuditRecord> records{audit(owner_, "subscription.canceled", name_of(product)),
                                     audit(owner_, "subscription.canceled", name_of(product)),
                                     audit(owner_, "subscription.canceled", name_of(product))};
    std::vector<std::function<core::Result<Subscription>()>> calls;
    for (std::size_t i = 0; i < records.size(); ++i) {
      calls.emplace_back([&, i] { return run(repo_->cancel(org_, product, records[i])); });
    }
    auto results = race(calls);
    int won = 0;
    for (const auto& r : results) {
      if (r) {
        ++won;
        EXPECT_EQ(r->id, live->id);
        EXPECT_EQ(r->status, SubscriptionStatus::canceled);
      } else {
        EXPECT_TRUE(fails_with(r, ErrorCode::subscription_not_found)) << "round " << round;
      }
    }
    ASSERT_EQ(won, 1) << "round " << round;
  }
  for (const auto& s : rows()) EXPECT_EQ(s.status, SubscriptionStatus::canceled);
  int cancels = 0;
  for (const auto& entry : log()) cancels += entry.action == "subscription.canceled";
  EXPECT_EQ(cancels, 10) << "one audit row per successful cancellation";
}

TEST_P(SubscriptionRepositoryContract, ConcurrentTierChangesChainTheirFromTiers) {
  auto live = activate(Product::ferrflow, Tier::free);
  ASSERT_TRUE(live) << live.error().log_detail;
  auto tier_changes = [&] {
    int n = 0;
    for (const auto& entry : log()) n += entry.action == "subscription.tier_changed";
    return n;
  };
  const std::vector<Tier> targets{Tier::pro, Tier::team, Tier::enterprise};
  for (int round = 0; round < 10; ++round) {
    Tier before = rows().at(0).tier;
    int audited_before = tier_changes();
    std::vector<AuditRecord> records;
    for (std::size_t i = 0; i < targets.size(); ++i)
      records.push_back(audit(owner_, "subscription.tier_changed", "ferrflow"));
    std::vector<std::function<core::Result<domain::subscriptions::TierChange>()>> calls;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      calls.emplace_back([&, i] {
        return run(repo_->change_tier(org_, Product::ferrflow, targets[i], records[i]));
      });
    }
    auto results = race(calls);
    // Serialised, each change starts from the tier the previous one left, so the `from` tiers
    // plus the final tier are the starting tier plus every target. Changes that all read the
    // starting tier (a lost update) would report it three times.
    std::vector<Tier> seen{rows().at(0).tier};
    int changed = 0;
    for (const auto& r : results) {
      ASSERT_TRUE(r) << r.error().log_detail;
      seen.push_back(r->from);
      changed += r->changed();
    }
    std::vector<Tier> expected{before, Tier::pro, Tier::team, Tier::enterprise};
    std::sort(seen.begin(), seen.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(seen, expected) << "round " << round;
    EXPECT_EQ(tier_changes() - audited_before, changed) << "an audit row per actual change";
  }
}

TEST_P(SubscriptionRepositoryContract, UnknownStoredTiersStatusesAndProductsFailLoudly) {
  ASSERT_TRUE(activate(Product::ferrflow, Tier::pro));
  auto before = log_ids();
  const std::string slug = "acme";
  auto principal = sign_in(owner_);
  struct Case {
    std::string column;
    std::string value;
  };
  for (const Case& bad :
       {Case{"tier", "platinum"}, Case{"status", "paused"}, Case{"product", "ferrnext"}}) {
    SCOPED_TRACE(bad.column);
    backend_->force_stored_value("subscriptions", bad.column, bad.value);
    EXPECT_TRUE(fails_on_unknown_value(run(repo_->subscriptions(org_)), bad.value));
    if (bad.column != "product") {
      // The row of (org, product) is found, and then refused rather than taken for a known one.
      EXPECT_TRUE(fails_on_unknown_value(change_tier(Product::ferrflow, Tier::team), bad.value));
      EXPECT_TRUE(fails_on_unknown_value(cancel(Product::ferrflow), bad.value));
      EXPECT_TRUE(fails_on_unknown_value(activate(Product::ferrflow, Tier::team), bad.value));
    }
    // Put the known value back for the next case.
    backend_->force_stored_value("subscriptions", bad.column,
                                 bad.column == "tier"     ? "pro"
                                 : bad.column == "status" ? "active"
                                                          : "ferrflow");
    ASSERT_TRUE(run(repo_->subscriptions(org_))) << "restored";
  }
  backend_->force_stored_value("subscriptions", "tier", "platinum");
  EXPECT_TRUE(
      fails_on_unknown_value(run(backend_->orgs().org_for_member(slug, principal)), "platinum"))
      << "the org's plan is never guessed from an unknown tier";
  EXPECT_TRUE(fails_on_unknown_value(run(backend_->orgs().orgs_of(owner_)), "platinum"));
  EXPECT_EQ(log_ids(), before) << "nothing was changed on the way";
}

INSTANTIATE_TEST_SUITE_P(Backends, SubscriptionRepositoryContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
