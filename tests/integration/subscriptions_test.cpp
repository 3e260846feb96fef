// "Subscriptions" over HTTP: the authorization matrix, the lifecycle (activate, re-tier, cancel,
// reactivate), the org's plan, concurrent activations and the audit rows.

#include <gtest/gtest.h>

#include <future>

#include "core/uuid.hpp"

#include "support/org_fixture.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;

class SubscriptionsTest : public testing::OrgFixture {
 protected:
  static constexpr const char* kBase = "/v1/orgs/acme/subscriptions";

  testing::HttpReply activate(const std::string& body, const std::string& who = "owner") {
    return call("POST", kBase, body, auth_[who]);
  }
  testing::HttpReply retier(const std::string& product, const std::string& tier,
                            const std::string& who = "owner") {
    return call("PATCH", std::string(kBase) + "/" + product, R"({"tier":")" + tier + "\"}",
                auth_[who]);
  }
  testing::HttpReply cancel(const std::string& product, const std::string& who = "owner") {
    return call("DELETE", std::string(kBase) + "/" + product, "", auth_[who]);
  }
  std::string plan() {
    return std::string(json(call("GET", "/v1/orgs/acme", "", auth_["viewer"]))["plan"].as_string());
  }
  boost::json::array audit(int limit = 200) {
    return boost::json::parse(
               call("GET", "/v1/orgs/acme/audit?limit=" + std::to_string(limit), "", auth_["owner"])
                   .body)
        .as_array();
  }
};

TEST_F(SubscriptionsTest, AuthorizationMatrix) {
  const std::string flow = std::string(kBase) + "/ferrflow";
  ASSERT_EQ(activate(R"({"product":"ferrflow"})").status, 201);
  struct Case {
    std::string method, path, body;
    std::map<std::string, int> expected;  // caller → status
  };
  std::vector<Case> cases = {
      {"GET",
       kBase,
       "",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 200},
        {"member", 200},
        {"admin", 200},
        {"owner", 200}}},
      {"POST",
       kBase,
       R"({"product":"ferrvault"})",
       {{"anonymous", 401}, {"outsider", 404}, {"viewer", 403}, {"member", 403}, {"admin", 201}}},
      {"POST", kBase, R"({"product":"ferrtrack"})", {{"owner", 201}}},
      {"PATCH",
       flow,
       R"({"tier":"pro"})",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 403},
        {"member", 403},
        {"admin", 200},
        {"owner", 200}}},
      {"DELETE",
       flow,
       "",
       {{"anonymous", 401}, {"outsider", 404}, {"viewer", 403}, {"member", 403}, {"admin", 200}}},
      {"DELETE", std::string(kBase) + "/ferrvault", "", {{"owner", 200}}},
  };
  for (const auto& c : cases) {
    for (const auto& [who, expected] : c.expected) {
      auto r = call(c.method, c.path, c.body, who == "anonymous" ? "" : auth_[who]);
      EXPECT_EQ(r.status, expected) << who << " " << c.method << " " << c.path << " " << r.body;
      const std::map<int, std::string> codes{{404, "ORG_NOT_FOUND"}, {403, "AUTH_FORBIDDEN"}};
      if (codes.contains(expected)) {
        EXPECT_EQ(code_of(r), codes.at(expected)) << who << " " << c.method << " " << c.path;
      }
    }
  }
  // A non-member cannot tell a missing org from one it does not belong to.
  auto missing = call("GET", "/v1/orgs/nope/subscriptions", "", auth_["outsider"]);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(code_of(missing), "ORG_NOT_FOUND");
}

TEST_F(SubscriptionsTest, ActivateAnswersTheRowWithNullBillingFields) {
  auto r = activate(R"({"product":"ferrflow"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto row = json(r);
  EXPECT_EQ(row.size(), 10u);
  EXPECT_TRUE(core::Uuid::parse(row["id"].as_string()));
  EXPECT_EQ(row["product"], "ferrflow");
  EXPECT_EQ(row["tier"], "free") << "free by default";
  EXPECT_EQ(row["status"], "active");
  for (const char* field :
       {"trial_ends_at", "current_period_end", "stripe_subscription_id", "canceled_at"})
    EXPECT_TRUE(row[field].is_null()) << field;
  EXPECT_EQ(row["created_at"], "2026-05-05T00:00:00.000Z");
  EXPECT_EQ(row["updated_at"], "2026-05-05T00:00:00.000Z");

  auto again = activate(R"({"product":"ferrflow","tier":"pro"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(code_of(again), "SUBSCRIPTION_ALREADY_ACTIVE");
  auto list = boost::json::parse(call("GET", kBase, "", auth_["viewer"]).body).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].as_object().at("tier"), "free") << "the refused activation changed nothing";
}

TEST_F(SubscriptionsTest, LifecycleReTierCancelReactivate) {
  auto created = json(activate(R"({"product":"ferrvault","tier":"pro"})"));
  EXPECT_EQ(created["tier"], "pro");
  EXPECT_EQ(plan(), "pro");

  clock_.advance(1s);
  auto team = retier("ferrvault", "team");
  ASSERT_EQ(team.status, 200);
  EXPECT_EQ(json(team)["tier"], "team");
  EXPECT_EQ(json(team)["updated_at"], "2026-05-05T00:00:01.000Z");
  EXPECT_EQ(plan(), "team");
  auto same = retier("ferrvault", "team");
  EXPECT_EQ(same.status, 200) << "the same tier is a no-op, not an error";
  EXPECT_EQ(json(same)["tier"], "team");

  clock_.advance(1s);
  auto canceled = cancel("ferrvault");
  ASSERT_EQ(canceled.status, 200);
  EXPECT_EQ(json(canceled)["status"], "canceled");
  EXPECT_EQ(json(canceled)["canceled_at"], "2026-05-05T00:00:02.000Z");
  EXPECT_EQ(plan(), "free") << "canceled rows do not count";
  for (const auto& r : {retier("ferrvault", "pro"), cancel("ferrvault")}) {
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(code_of(r), "SUBSCRIPTION_NOT_FOUND");
  }
  EXPECT_EQ(code_of(cancel("ferrtrack")), "SUBSCRIPTION_NOT_FOUND") << "never activated";

  clock_.advance(1s);
  auto back = activate(R"({"product":"ferrvault","tier":"enterprise"})");
  ASSERT_EQ(back.status, 201);
  auto row = json(back);
  EXPECT_EQ(row["id"], created["id"]) << "a canceled row is reactivated in place";
  EXPECT_EQ(row["created_at"], created["created_at"]);
  EXPECT_EQ(row["tier"], "enterprise");
  EXPECT_EQ(row["status"], "active");
  EXPECT_TRUE(row["canceled_at"].is_null());
  EXPECT_EQ(plan(), "enterprise");
}

TEST_F(SubscriptionsTest, PlanIsTheHighestLiveTierAndTheListIsByProduct) {
  ASSERT_EQ(activate(R"({"product":"ferrvault","tier":"team"})").status, 201);
  ASSERT_EQ(activate(R"({"product":"ferrflow","tier":"pro"})").status, 201);
  ASSERT_EQ(activate(R"({"product":"ferrtrack","tier":"enterprise"})").status, 201);
  EXPECT_EQ(plan(), "enterprise");
  ASSERT_EQ(cancel("ferrtrack").status, 200);
  EXPECT_EQ(plan(), "team");
  auto orgs = boost::json::parse(call("GET", "/v1/orgs", "", auth_["member"]).body).as_array();
  EXPECT_EQ(orgs[0].as_object().at("plan"), "team") << "the list shows the plan too";

  auto list = boost::json::parse(call("GET", kBase, "", auth_["viewer"]).body).as_array();
  std::vector<std::string> products;
  for (const auto& s : list) products.emplace_back(s.as_object().at("product").as_string());
  EXPECT_EQ(products, (std::vector<std::string>{"ferrflow", "ferrtrack", "ferrvault"}))
      << "by product, canceled rows included";
  EXPECT_EQ(list[1].as_object().at("status"), "canceled");
}

TEST_F(SubscriptionsTest, FerrLensIsTheSixthProduct) {
  auto r = activate(R"({"product":"ferrlens","tier":"team"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["product"], "ferrlens");
  EXPECT_EQ(retier("ferrlens", "pro").status, 200);
  EXPECT_EQ(json(cancel("ferrlens"))["status"], "canceled");
}

TEST_F(SubscriptionsTest, BodiesAndPathsAreValidated) {
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"product":"ferrcake"})", "product"},
           {R"({"tier":"pro"})", "product"},
           {R"({"product":"ferrflow","tier":"gold"})", "tier"},
           {R"({"product":"ferrflow","tier":1})", "tier"},
           {R"({"product":"ferrflow","seats":3})", "seats"},
       }) {
    auto r = activate(body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(code_of(r), "VALIDATION_FAILED") << body;
    EXPECT_EQ(json(r)["field"], field.c_str()) << body;
  }
  ASSERT_EQ(activate(R"({"product":"ferrflow"})").status, 201);
  EXPECT_EQ(json(call("PATCH", std::string(kBase) + "/ferrflow", "{}", auth_["owner"]))["field"],
            "tier");
  EXPECT_EQ(json(retier("ferrflow", "gold"))["field"], "tier");
  EXPECT_EQ(code_of(retier("ferrcake", "pro")), "SUBSCRIPTION_NOT_FOUND");
  EXPECT_EQ(code_of(cancel("ferrcake")), "SUBSCRIPTION_NOT_FOUND");
  auto no_type = call("POST", kBase, "", auth_["owner"] + "Content-Type: text/plain\r\n");
  EXPECT_EQ(no_type.status, 415);

  // `immediate` is accepted; cancellation is immediate either way.
  auto r = call("DELETE", std::string(kBase) + "/ferrflow?immediate=false", "", auth_["owner"]);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["status"], "canceled");
}

TEST_F(SubscriptionsTest, ConcurrentIdenticalActivationsMakeOneLiveSubscription) {
  for (const std::string product : {"ferrflow", "ferrvault", "ferrtrack", "ferrgrowth"}) {
    const std::string body = R"({"product":")" + product + R"(","tier":"pro"})";
    std::vector<std::future<int>> calls;
    for (const std::string who : {"owner", "admin", "owner", "admin"})
      calls.push_back(
          std::async(std::launch::async, [this, body, who] { return activate(body, who).status; }));
    int created = 0, conflicts = 0;
    for (auto& f : calls) {
      int status = f.get();
      created += status == 201;
      conflicts += status == 409;
    }
    EXPECT_EQ(created, 1) << product;
    EXPECT_EQ(conflicts, 3) << product;
  }
  auto list = boost::json::parse(call("GET", kBase, "", auth_["viewer"]).body).as_array();
  EXPECT_EQ(list.size(), 4u);
  int activations = 0;
  for (const auto& e : audit())
    activations += e.as_object().at("action") == "subscription.activated";
  EXPECT_EQ(activations, 4);
}

TEST_F(SubscriptionsTest, EveryChangeIsAuditedAndNoOpsAreNot) {
  ASSERT_EQ(activate(R"({"product":"ferrflow"})", "admin").status, 201);
  ASSERT_EQ(retier("ferrflow", "pro").status, 200);
  ASSERT_EQ(retier("ferrflow", "pro").status, 200);              // no-op
  ASSERT_EQ(activate(R"({"product":"ferrflow"})").status, 409);  // refused
  ASSERT_EQ(retier("ferrflow", "team", "member").status, 403);   // refused
  ASSERT_EQ(cancel("ferrflow").status, 200);
  ASSERT_EQ(cancel("ferrflow").status, 404);  // refused

  auto entries = audit(3);
  ASSERT_EQ(entries.size(), 3u);
  auto entry = [&](std::size_t i) { return entries[i].as_object(); };
  EXPECT_EQ(entry(0).at("action"), "subscription.canceled");
  EXPECT_EQ(boost::json::serialize(entry(0).at("metadata")), R"({"tier":"pro"})");
  EXPECT_EQ(entry(1).at("action"), "subscription.tier_changed");
  EXPECT_EQ(boost::json::serialize(entry(1).at("metadata")), R"({"from":"free","to":"pro"})");
  EXPECT_EQ(entry(2).at("action"), "subscription.activated");
  EXPECT_EQ(boost::json::serialize(entry(2).at("metadata")),
            R"({"product":"ferrflow","tier":"free"})");
  EXPECT_EQ(std::string(entry(2).at("actor_id").as_string()), id_["admin"]);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(entry(i).at("target"), "ferrflow");
  EXPECT_EQ(audit().size(), 4u + 3u) << "org.created, three members added, three changes";
}

}  // namespace
}  // namespace ferr
