// How many round trips each repository operation needs on PostgreSQL (docs/postgres.md, "Round
// trips"): pinned here so the number cannot silently grow. Counted by the pool over the
// connections' own counters (Connection::round_trips), preparations included: a statement is
// prepared in the round trip that first runs it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "domain/orgs/audit.hpp"
#include "pg_test_support.hpp"
#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/idempotency_store.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/subscription_repository.hpp"
#include "storage/postgres/telemetry_store.hpp"

namespace ferr::storage::postgres {
namespace {

using namespace std::chrono_literals;
namespace accounts = domain::accounts;
namespace orgs = domain::orgs;
namespace subscriptions = domain::subscriptions;
using orgs::Role;
using subscriptions::Product;
using subscriptions::Tier;

class RoundTrips : public ::testing::Test {
 protected:
  static std::unique_ptr<Database> open(const std::string& url) {
    PoolOptions options;
    options.connection.url = url;
    options.max_size = 2;
    return std::make_unique<Database>(options);
  }

  void SetUp() override {
    auto migrated = core::run_to_completion(db_->migrate());
    ASSERT_TRUE(migrated) << migrated.error().log_detail;

    owner_ = user("owner@example.com");
    member_ = user("member@example.com");
    session_ = core::SessionId::generate(clock_, random_);
    ok(accounts_.create_session({session_, owner_, "refresh-1", clock_.now() + 1h, std::nullopt},
                                clock_.now()));
    org_ = core::OrgId::generate(clock_, random_);
    ok(orgs_.create_org(org_, "acme", "Acme", owner_, audit("org.created", "acme")));
  }

  /// Awaits `task` and returns the round trips it took; the task must succeed.
  template <typename T>
  std::uint64_t trips(core::Task<core::Result<T>> task) {
    const auto before = db_->pool().stats().round_trips;
    auto result = core::run_to_completion(std::move(task));
    EXPECT_TRUE(result) << result.error().log_detail;
    return db_->pool().stats().round_trips - before;
  }
  template <typename T>
  void ok(core::Task<core::Result<T>> task) {
    auto result = core::run_to_completion(std::move(task));
    ASSERT_TRUE(result) << result.error().log_detail;
  }

  core::UserId user(const std::string& email) {
    auto id = core::UserId::generate(clock_, random_);
    ok(accounts_.register_account(email, "hash", std::nullopt, id, clock_.now()));
    ok(accounts_.activate(id, clock_.now()));
    return id;
  }
  orgs::AuditRecord audit(std::string action, std::string target) {
    clock_.advance(1ms);
    return orgs::audit_record(clock_, random_, owner_, std::move(action), std::move(target));
  }
  accounts::Principal principal() const { return {owner_, session_}; }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{7};
  pgtest::ScratchDatabase scratch_;
  std::unique_ptr<Database> db_ = open(scratch_.url());
  PgAccountRepository accounts_{*db_};
  PgOrgRepository orgs_{*db_};
  PgSubscriptionRepository subscriptions_{*db_};
  core::UserId owner_;
  core::UserId member_;
  core::SessionId session_;
  core::OrgId org_;
};

TEST_F(RoundTrips, ChangingATierIsTwo) {
  ok(subscriptions_.activate(org_, core::SubscriptionId::generate(clock_, random_),
                             Product::ferrflow, Tier::free, audit("subscription.activated", "f")));
  // BEGIN + lock org + lock and read the row | update + audit + COMMIT.
  EXPECT_EQ(trips(subscriptions_.change_tier(org_, Product::ferrflow, Tier::pro,
                                             audit("subscription.tier_changed", "ferrflow"))),
            2u);
  // The same tier: BEGIN + locks + read | COMMIT.
  EXPECT_EQ(trips(subscriptions_.change_tier(org_, Product::ferrflow, Tier::pro,
                                             audit("subscription.tier_changed", "ferrflow"))),
            2u);
}

TEST_F(RoundTrips, ActivatingAndCancellingAreTwo) {
  EXPECT_EQ(trips(subscriptions_.activate(org_, core::SubscriptionId::generate(clock_, random_),
                                          Product::ferrvault, Tier::team,
                                          audit("subscription.activated", "ferrvault"))),
            2u);
  EXPECT_EQ(trips(subscriptions_.cancel(org_, Product::ferrvault,
                                        audit("subscription.canceled", "ferrvault"))),
            2u);
  EXPECT_EQ(trips(subscriptions_.activate(org_, core::SubscriptionId::generate(clock_, random_),
                                          Product::ferrvault, Tier::pro,
                                          audit("subscription.activated", "ferrvault"))),
            2u);  // reactivated in place
}

TEST_F(RoundTrips, RoleChangesAndRemovalsAreTwo) {
  ok(orgs_.add_member(org_, "member@example.com", Role::member, audit("org.member.added", "")));
  EXPECT_EQ(trips(orgs_.change_role(org_, member_, Role::admin, Role::owner,
                                    audit("org.member.role_changed", member_.to_string()))),
            2u);
  EXPECT_EQ(trips(orgs_.remove_member(org_, member_, Role::owner,
                                      audit("org.member.removed", member_.to_string()))),
            2u);
}

TEST_F(RoundTrips, TheAuthenticatedReadsAreOne) {
  EXPECT_EQ(trips(orgs_.org_for_member("acme", principal())), 1u);
  EXPECT_EQ(trips(accounts_.find_by_session(principal())), 1u);
  EXPECT_EQ(trips(accounts_.session_active(principal())), 1u);
}

TEST_F(RoundTrips, TheLoginPathWritesInOneEach) {
  EXPECT_EQ(trips(accounts_.record_login_failure("owner@example.com", clock_.now())), 1u);
  EXPECT_EQ(trips(accounts_.reset_login_failures("owner@example.com")), 1u);
  EXPECT_EQ(trips(accounts_.create_session({core::SessionId::generate(clock_, random_), owner_,
                                            "refresh-2", clock_.now() + 1h, std::nullopt},
                                           clock_.now())),
            1u);
  EXPECT_EQ(trips(accounts_.rotate_refresh_token({"refresh-2", "refresh-3", clock_.now() + 1h},
                                                 clock_.now())),
            2u);
}

TEST_F(RoundTrips, OneStatementMethodsAreOne) {
  auto fresh = core::UserId::generate(clock_, random_);
  EXPECT_EQ(trips(accounts_.register_account("new@example.com", "hash", std::nullopt, fresh,
                                             clock_.now())),
            1u);
  EXPECT_EQ(trips(accounts_.activate(fresh, clock_.now())), 1u);
  ok(accounts_.store_reset_token(fresh, "reset-1", clock_.now() + 1h, clock_.now()));
  EXPECT_EQ(trips(accounts_.complete_password_reset("reset-1", fresh, "new@example.com", "hash2",
                                                    clock_.now())),
            1u);
  EXPECT_EQ(trips(orgs_.set_telemetry_opt_out(org_, true, audit("telemetry.opt_out.update", ""))),
            1u);
  PgIdempotencyStore idempotency(*db_);
  EXPECT_EQ(trips(idempotency.claim(owner_, "key-1", "fp",
                                    {.now = clock_.now(),
                                     .expired_before = clock_.now() - 24h,
                                     .abandoned_before = clock_.now() - 1min})),
            1u);
}

TEST_F(RoundTrips, ATelemetryBatchIsOnePipeline) {
  PgTelemetryStore telemetry(*db_, {.retention_days = 90, .evidence_cap = 5});
  std::vector<domain::telemetry::EventRow> rows(600);  // three chunks of statements
  for (auto& row : rows) {
    row.id = core::Uuid::v7(clock_, random_);
    row.event_id = core::Uuid::v7(clock_, random_);
    row.surface = "ferrflow";
    row.event = "cli.run";
    row.occurred_at = clock_.now();
    row.received_at = clock_.now();
  }
  EXPECT_EQ(trips(telemetry.write_ingested(rows)), 1u);
}

}  // namespace
}  // namespace ferr::storage::postgres
