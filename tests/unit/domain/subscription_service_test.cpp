#include "domain/orgs/subscription_service.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferr::domain::orgs {
namespace {

using core::ErrorCode;

core::Uuid uuid(std::uint8_t n) {
  core::Uuid id;
  id.bytes[15] = n;
  return id;
}

std::string name(Product product) { return std::string(product_name(product)); }
std::string name(Tier tier) { return std::string(tier_name(tier)); }

/// One organization and its members' roles; the service only looks orgs up.
class FakeOrgs final : public OrgRepository {
 public:
  core::Result<std::optional<OrgView>> org_for_member(const std::string& slug,
                                                      const core::Uuid& user) override {
    if (error) return core::fail(*error);
    auto role = roles.find(user.to_string());
    if (slug != org.slug || role == roles.end()) return std::optional<OrgView>{};
    OrgView view = org;
    view.role = role->second;
    return view;
  }

  core::Result<OrgView> create_org(const core::Uuid&, const std::string&, const std::string&,
                                   const core::Uuid&, const AuditRecord&) override {
    return unused();
  }
  core::Result<std::vector<OrgView>> orgs_of(const core::Uuid&) override { return unused(); }
  core::Result<OrgView> update_org(const core::Uuid&, const core::Uuid&,
                                   const std::optional<std::string>&,
                                   const std::optional<std::string>&, const AuditRecord&) override {
    return unused();
  }
  core::Result<std::vector<Member>> members(const core::Uuid&) override { return unused(); }
  core::Result<Member> add_member(const core::Uuid&, const std::string&, Role,
                                  AuditRecord) override {
    return unused();
  }
  core::Result<Member> change_role(const core::Uuid&, const core::Uuid&, Role, const RoleCheck&,
                                   AuditRecord) override {
    return unused();
  }
  core::Result<void> remove_member(const core::Uuid&, const core::Uuid&, const RoleCheck&,
                                   AuditRecord) override {
    return unused();
  }
  core::Result<void> set_telemetry_opt_out(const core::Uuid&, bool, const AuditRecord&) override {
    return unused();
  }
  core::Result<std::vector<AuditRecord>> audit_log(const core::Uuid&, int,
                                                   const std::optional<core::Uuid>&) override {
    return unused();
  }

  OrgView org;
  std::map<std::string, Role> roles;  ///< by user id
  std::optional<core::Error> error;

 private:
  static tl::unexpected<core::Error> unused() {
    ADD_FAILURE() << "SubscriptionService has no business here";
    return core::fail(core::Error::internal("unused"));
  }
};

/// The rows of one organization in memory, with the rules of the interface. Every call is
/// written to `trace` ("activate" or "activate failed"), as are the events, so the order shows.
class FakeSubscriptions final : public SubscriptionRepository {
 public:
  FakeSubscriptions(core::Uuid org, std::vector<std::string>& trace) : org_(org), trace_(trace) {}

  core::Result<std::vector<Subscription>> subscriptions(const core::Uuid& org_id) override {
    if (auto refusal = enter("subscriptions", org_id)) return *refusal;
    std::vector<Subscription> out;
    for (const auto& [product, row] : rows) out.push_back(row);
    return out;
  }
  core::Result<Subscription> activate(const core::Uuid& org_id, const core::Uuid& new_id,
                                      Product product, Tier tier,
                                      const AuditRecord& audit) override {
    if (auto refusal = enter("activate", org_id)) return *refusal;
    auto row = rows.find(product);
    if (row != rows.end() && row->second.live())
      return refuse("activate", ErrorCode::subscription_already_active);
    Subscription s{row != rows.end() ? row->second.id : new_id,
                   product,
                   tier,
                   SubscriptionStatus::active,
                   audit.created_at,
                   audit.created_at,
                   std::nullopt};
    rows[product] = s;
    audits.push_back(audit);
    return s;
  }
  core::Result<TierChange> change_tier(const core::Uuid& org_id, Product product, Tier tier,
                                       AuditRecord audit) override {
    if (auto refusal = enter("change_tier", org_id)) return *refusal;
    auto row = rows.find(product);
    if (row == rows.end() || !row->second.live())
      return refuse("change_tier", ErrorCode::subscription_not_found);
    Tier from = row->second.tier;
    if (from == tier) return TierChange{row->second, from};
    row->second.tier = tier;
    audit.metadata = "{\"from\":\"" + name(from) + "\",\"to\":\"" + name(tier) + "\"}";
    audits.push_back(audit);
    return TierChange{row->second, from};
  }
  core::Result<Subscription> cancel(const core::Uuid& org_id, Product product,
                                    AuditRecord audit) override {
    if (auto refusal = enter("cancel", org_id)) return *refusal;
    auto row = rows.find(product);
    if (row == rows.end() || !row->second.live())
      return refuse("cancel", ErrorCode::subscription_not_found);
    row->second.status = SubscriptionStatus::canceled;
    row->second.canceled_at = audit.created_at;
    audits.push_back(audit);
    return row->second;
  }

  std::map<Product, Subscription> rows;
  std::vector<AuditRecord> audits;
  std::optional<core::Error> error;  ///< when set, every call fails with it
  int calls = 0;

 private:
  /// Counts and traces the call; the injected error, if any.
  std::optional<tl::unexpected<core::Error>> enter(const std::string& call,
                                                   const core::Uuid& org_id) {
    EXPECT_EQ(org_id, org_);
    ++calls;
    if (error) {
      trace_.push_back(call + " failed");
      return core::fail(*error);
    }
    trace_.push_back(call);
    return std::nullopt;
  }
  tl::unexpected<core::Error> refuse(const std::string& call, ErrorCode code) {
    trace_.back() = call + " failed";
    return core::fail(core::Error::make(code, "refused"));
  }

  core::Uuid org_;
  std::vector<std::string>& trace_;
};

/// Writes each event to the trace, e.g. `product.activated ferrflow pro`.
class RecordingEvents final : public OrgEvents {
 public:
  RecordingEvents(core::Uuid org, std::vector<std::string>& trace) : org_(org), trace_(trace) {}

  void org_created(const core::Uuid&, const core::Uuid&) override {
    trace_.push_back("org.created");
  }
  void member_added(const core::Uuid&, const core::Uuid&, Role) override {
    trace_.push_back("org.member.added");
  }
  void product_activated(const core::Uuid& org_id, Product product, Tier tier) override {
    EXPECT_EQ(org_id, org_);
    trace_.push_back("product.activated " + name(product) + " " + name(tier));
  }
  void product_tier_changed(const core::Uuid& org_id, Product product, Tier from,
                            Tier to) override {
    EXPECT_EQ(org_id, org_);
    trace_.push_back("product.tier_changed " + name(product) + " " + name(from) + " " + name(to));
  }
  void product_canceled(const core::Uuid& org_id, Product product) override {
    EXPECT_EQ(org_id, org_);
    trace_.push_back("product.canceled " + name(product));
  }

 private:
  core::Uuid org_;
  std::vector<std::string>& trace_;
};

using Trace = std::vector<std::string>;

class SubscriptionServiceTest : public ::testing::Test {
 protected:
  SubscriptionServiceTest() {
    orgs_.org.id = org_id_;
    orgs_.org.slug = "acme";
    orgs_.org.name = "Acme";
    orgs_.roles = {{owner_.to_string(), Role::owner},
                   {admin_.to_string(), Role::admin},
                   {member_.to_string(), Role::member},
                   {viewer_.to_string(), Role::viewer}};
  }

  /// Activates `product` at `tier` as the admin, then forgets the trace.
  void seed(Product product, Tier tier) {
    ASSERT_TRUE(service_.activate(admin_, "acme", product, tier));
    trace_.clear();
  }

  const core::Uuid org_id_ = uuid(100);
  const core::Uuid owner_ = uuid(1);
  const core::Uuid admin_ = uuid(2);
  const core::Uuid member_ = uuid(3);
  const core::Uuid viewer_ = uuid(4);
  const core::Uuid outsider_ = uuid(5);
  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{7};
  Trace trace_;
  FakeOrgs orgs_;
  FakeSubscriptions subscriptions_{org_id_, trace_};
  RecordingEvents events_{org_id_, trace_};
  SubscriptionService service_{orgs_, subscriptions_, events_, clock_, random_};
};

TEST_F(SubscriptionServiceTest, ActivateAuditsThenEmitsAfterTheRepository) {
  auto activated = service_.activate(admin_, "acme", Product::ferrflow, Tier::pro);
  ASSERT_TRUE(activated) << activated.error().message;
  EXPECT_EQ(activated->product, Product::ferrflow);
  EXPECT_EQ(activated->tier, Tier::pro);
  EXPECT_EQ(activated->status, SubscriptionStatus::active);
  EXPECT_EQ(trace_, (Trace{"activate", "product.activated ferrflow pro"}));

  ASSERT_EQ(subscriptions_.audits.size(), 1u);
  const auto& audit = subscriptions_.audits[0];
  EXPECT_EQ(audit.actor_id, admin_);
  EXPECT_EQ(audit.action, "subscription.activated");
  EXPECT_EQ(audit.target, "ferrflow");
  EXPECT_EQ(audit.metadata, R"({"product":"ferrflow","tier":"pro"})");
  EXPECT_EQ(audit.created_at, clock_.now());
  EXPECT_NE(audit.id, activated->id) << "the row and its audit entry have their own ids";
}

TEST_F(SubscriptionServiceTest, OwnersActivateToo) {
  ASSERT_TRUE(service_.activate(owner_, "acme", Product::ferrvault, Tier::enterprise));
  EXPECT_EQ(trace_, (Trace{"activate", "product.activated ferrvault enterprise"}));
  EXPECT_EQ(subscriptions_.audits.at(0).metadata, R"({"product":"ferrvault","tier":"enterprise"})");
}

TEST_F(SubscriptionServiceTest, ARefusedActivationEmitsNothing) {
  seed(Product::ferrflow, Tier::pro);
  auto again = service_.activate(admin_, "acme", Product::ferrflow, Tier::team);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::subscription_already_active);
  EXPECT_EQ(trace_, (Trace{"activate failed"}));
  EXPECT_EQ(subscriptions_.audits.size(), 1u);
}

TEST_F(SubscriptionServiceTest, ChangeTierEmitsOnlyWhenTheTierChanges) {
  seed(Product::ferrflow, Tier::pro);
  auto same = service_.change_tier(admin_, "acme", "ferrflow", Tier::pro);
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->tier, Tier::pro);
  EXPECT_EQ(trace_, (Trace{"change_tier"})) << "same tier: no event";

  clock_.advance(std::chrono::seconds(1));
  auto changed = service_.change_tier(owner_, "acme", "ferrflow", Tier::team);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->tier, Tier::team);
  EXPECT_EQ(trace_,
            (Trace{"change_tier", "change_tier", "product.tier_changed ferrflow pro team"}));
  ASSERT_EQ(subscriptions_.audits.size(), 2u);
  const auto& audit = subscriptions_.audits[1];
  EXPECT_EQ(audit.actor_id, owner_);
  EXPECT_EQ(audit.action, "subscription.tier_changed");
  EXPECT_EQ(audit.target, "ferrflow");
  EXPECT_EQ(audit.created_at, clock_.now());
}

TEST_F(SubscriptionServiceTest, ChangingTheTierOfNoLiveSubscriptionEmitsNothing) {
  auto absent = service_.change_tier(admin_, "acme", "ferrvault", Tier::pro);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::subscription_not_found);
  EXPECT_EQ(trace_, (Trace{"change_tier failed"}));
}

TEST_F(SubscriptionServiceTest, CancelAuditsThenEmitsAfterTheRepository) {
  seed(Product::ferrgrowth, Tier::team);
  auto canceled = service_.cancel(admin_, "acme", "ferrgrowth");
  ASSERT_TRUE(canceled) << canceled.error().message;
  EXPECT_EQ(canceled->status, SubscriptionStatus::canceled);
  EXPECT_EQ(trace_, (Trace{"cancel", "product.canceled ferrgrowth"}));
  ASSERT_EQ(subscriptions_.audits.size(), 2u);
  EXPECT_EQ(subscriptions_.audits[1].action, "subscription.canceled");
  EXPECT_EQ(subscriptions_.audits[1].target, "ferrgrowth");
  EXPECT_EQ(subscriptions_.audits[1].actor_id, admin_);

  trace_.clear();
  auto again = service_.cancel(admin_, "acme", "ferrgrowth");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::subscription_not_found);
  EXPECT_EQ(trace_, (Trace{"cancel failed"}));
}

TEST_F(SubscriptionServiceTest, RepositoryErrorsEmitNothing) {
  seed(Product::ferrflow, Tier::pro);
  subscriptions_.error = core::Error::database("database is locked");
  auto activated = service_.activate(admin_, "acme", Product::ferrvault, Tier::pro);
  auto changed = service_.change_tier(admin_, "acme", "ferrflow", Tier::team);
  auto canceled = service_.cancel(admin_, "acme", "ferrflow");
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
  int calls = subscriptions_.calls;
  for (const char* product : {"ferrnope", "FERRFLOW", "", "ferrflow "}) {
    auto changed = service_.change_tier(admin_, "acme", product, Tier::team);
    ASSERT_FALSE(changed) << product;
    EXPECT_EQ(changed.error().code, ErrorCode::subscription_not_found) << product;
    auto canceled = service_.cancel(admin_, "acme", product);
    ASSERT_FALSE(canceled) << product;
    EXPECT_EQ(canceled.error().code, ErrorCode::subscription_not_found) << product;
  }
  EXPECT_EQ(subscriptions_.calls, calls);
  EXPECT_TRUE(trace_.empty());
}

TEST_F(SubscriptionServiceTest, NonMembersAndMissingOrgsAreOrgNotFound) {
  seed(Product::ferrflow, Tier::pro);
  int calls = subscriptions_.calls;
  for (auto [actor, slug] : {std::pair{outsider_, "acme"}, std::pair{admin_, "other"}}) {
    auto listed = service_.list(actor, slug);
    auto activated = service_.activate(actor, slug, Product::ferrvault, Tier::pro);
    auto changed = service_.change_tier(actor, slug, "ferrflow", Tier::team);
    auto canceled = service_.cancel(actor, slug, "ferrflow");
    ASSERT_FALSE(listed);
    ASSERT_FALSE(activated);
    ASSERT_FALSE(changed);
    ASSERT_FALSE(canceled);
    EXPECT_EQ(listed.error().code, ErrorCode::org_not_found) << slug;
    EXPECT_EQ(activated.error().code, ErrorCode::org_not_found) << slug;
    EXPECT_EQ(changed.error().code, ErrorCode::org_not_found) << slug;
    EXPECT_EQ(canceled.error().code, ErrorCode::org_not_found) << slug;
  }
  EXPECT_EQ(subscriptions_.calls, calls);
  EXPECT_TRUE(trace_.empty());
}

TEST_F(SubscriptionServiceTest, MembersAndViewersReadButDoNotWrite) {
  seed(Product::ferrflow, Tier::pro);
  int calls = subscriptions_.calls;
  for (const auto& actor : {member_, viewer_}) {
    auto activated = service_.activate(actor, "acme", Product::ferrvault, Tier::pro);
    auto changed = service_.change_tier(actor, "acme", "ferrflow", Tier::team);
    auto canceled = service_.cancel(actor, "acme", "ferrflow");
    ASSERT_FALSE(activated);
    ASSERT_FALSE(changed);
    ASSERT_FALSE(canceled);
    EXPECT_EQ(activated.error().code, ErrorCode::auth_forbidden);
    EXPECT_EQ(changed.error().code, ErrorCode::auth_forbidden);
    EXPECT_EQ(canceled.error().code, ErrorCode::auth_forbidden);
  }
  EXPECT_EQ(subscriptions_.calls, calls);
  EXPECT_TRUE(trace_.empty());

  auto listed = service_.list(viewer_, "acme");
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).tier, Tier::pro);
}

TEST_F(SubscriptionServiceTest, OrgLookupErrorsPropagate) {
  orgs_.error = core::Error::database("no reader");
  auto activated = service_.activate(admin_, "acme", Product::ferrflow, Tier::pro);
  ASSERT_FALSE(activated);
  EXPECT_EQ(activated.error().code, ErrorCode::internal_database);
  EXPECT_EQ(subscriptions_.calls, 0);
  EXPECT_TRUE(trace_.empty());
}

}  // namespace
}  // namespace ferr::domain::orgs
