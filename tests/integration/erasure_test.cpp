// The right to erasure over HTTP (api.md "Deletion"): `DELETE /auth/me` with the password, the
// last-owner refusal naming the orgs, and what is left afterwards — nothing of the person's but
// the audit entries' actor_id; their telemetry rows gone, everyone else's kept (read back from
// the database itself, SQLite or PostgreSQL).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/telemetry/emitter.hpp"
#include "support/org_fixture.hpp"
#include "support/stored_events.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;

class ErasureTest : public testing::OrgFixture {
 protected:
  testing::HttpReply erase(const std::string& who,
                           const std::string& password = testing::kPassword) {
    return call("DELETE", "/v1/auth/me", R"({"password":")" + password + "\"}", auth_[who]);
  }
  std::string org_token_of(const std::string& who) {
    auto r = call("POST", "/v1/orgs/acme/tokens", R"({"name":"bot","scopes":["*"]})", auth_[who]);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(json(r)["plaintext"].as_string());
  }
};

TEST_F(ErasureTest, RefusalsChangeNothing) {
  EXPECT_EQ(call("DELETE", "/v1/auth/me", R"({"password":"x"})").status, 401);
  EXPECT_EQ(code_of(call("DELETE", "/v1/auth/me", "{}", auth_["member"])), "VALIDATION_FAILED");
  auto wrong = erase("member", "not the password at all");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(code_of(wrong), "AUTH_INVALID_CREDENTIALS");

  // Session only: a personal token is forbidden, an org token does not reach account routes.
  auto pat = json(call("POST", "/v1/auth/tokens", R"({"name":"ci","scopes":["*"]})",
                       auth_["member"]))["plaintext"];
  EXPECT_EQ(code_of(call("DELETE", "/v1/auth/me", R"({"password":"correct horse battery staple"})",
                         bearer(std::string(pat.as_string())))),
            "AUTH_FORBIDDEN");
  EXPECT_EQ(call("DELETE", "/v1/auth/me", R"({"password":"correct horse battery staple"})",
                 bearer(org_token_of("admin")))
                .status,
            401);

  // The only owner of acme: refused, naming it.
  auto last = erase("owner");
  EXPECT_EQ(last.status, 409);
  EXPECT_EQ(code_of(last), "ORG_LAST_OWNER");
  EXPECT_EQ(json(last)["orgs"], boost::json::array({"acme"}));
  EXPECT_EQ(login("owner@example.com").status, 200);
  EXPECT_EQ(login("member@example.com").status, 200);
}

TEST_F(ErasureTest, AWrongPasswordCountsTowardTheLoginLock) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(erase("member", "wrong password number one").status, 401);
  auto locked = erase("member");
  EXPECT_EQ(locked.status, 423);
  EXPECT_FALSE(locked.header("retry-after").empty());
  EXPECT_EQ(login("member@example.com").status, 423);
}

TEST_F(ErasureTest, EverythingOfThePersonGoesAndTheAddressCanRegisterAgain) {
  auto pat = std::string(json(call("POST", "/v1/auth/tokens", R"({"name":"ci","scopes":["*"]})",
                                   auth_["admin"]))["plaintext"]
                             .as_string());
  auto creator_token = org_token_of("admin");
  auto org_owned = json(call("POST", "/v1/orgs/acme/tokens",
                             R"({"name":"org-bot","scopes":["*"],"owner":"org"})", auth_["admin"]));
  auto second_session = json(login("admin@example.com"));

  auto r = erase("admin");
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.header("set-cookie"), "fl_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");

  // Every credential of the account is dead at once.
  EXPECT_EQ(call("GET", "/v1/auth/me", "", auth_["admin"]).status, 401);
  EXPECT_EQ(call("GET", "/v1/auth/me", "",
                 bearer(std::string(second_session["access_token"].as_string())))
                .status,
            401);
  EXPECT_EQ(post("/v1/auth/refresh", {{"refresh_token", second_session["refresh_token"]}}).status,
            401);
  EXPECT_EQ(call("GET", "/v1/auth/me", "", bearer(pat)).status, 401);
  EXPECT_EQ(call("GET", "/v1/orgs/acme", "", bearer(creator_token)).status, 401);
  EXPECT_EQ(
      call("GET", "/v1/orgs/acme", "", bearer(std::string(org_owned["plaintext"].as_string())))
          .status,
      200)
      << "an org-owned token belongs to the org";
  EXPECT_EQ(login("admin@example.com").status, 401);

  // The org lost a member, audited with the person as actor; their creator token is revoked.
  auto members = boost::json::parse(call("GET", "/v1/orgs/acme/members", "", auth_["owner"]).body);
  for (const auto& m : members.as_array())
    EXPECT_NE(m.as_object().at("user_id"), boost::json::value(id_["admin"]));
  auto audit = boost::json::parse(call("GET", "/v1/orgs/acme/audit", "", auth_["owner"]).body);
  const auto& newest = audit.as_array().at(0).as_object();
  EXPECT_EQ(newest.at("action"), "org.member.removed");
  EXPECT_EQ(newest.at("actor_id"), boost::json::value(id_["admin"]));
  EXPECT_EQ(newest.at("target"), boost::json::value(id_["admin"]));
  auto tokens = boost::json::parse(call("GET", "/v1/orgs/acme/tokens", "", auth_["owner"]).body);
  for (const auto& t : tokens.as_array()) {
    const auto& o = t.as_object();
    EXPECT_EQ(o.at("revoked"), o.at("owner") == "creator") << boost::json::serialize(o);
    EXPECT_TRUE(o.at("created_by_email").is_null()) << "the address is gone";
  }

  // A notice went to the address, which may register again.
  auto notice = mailbox_->wait_for("admin@example.com", 2);
  ASSERT_TRUE(notice);
  EXPECT_NE(notice->find("was deleted"), std::string::npos);
  clock_.advance(2min);
  ASSERT_EQ(register_user("admin@example.com").status, 202);
  auto code = mailbox_->code_for("admin@example.com", 3);  // the first code, the notice, this one
  ASSERT_TRUE(code);
  auto again = post("/auth/verify-email", {{"email", "admin@example.com"}, {"code", *code}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_NE(json(again)["user"].as_object()["id"], boost::json::value(id_["admin"]));
}

TEST_F(ErasureTest, ThePersonsTelemetryRowsGoOthersStay) {
  app_->emitter().flush();
  const auto member = testing::b3sum_pseudonym(id_["member"]);
  const auto owner = testing::b3sum_pseudonym(id_["owner"]);
  auto rows_of = [&](const std::string& pseudonym) {
    int n = 0;
    for (const auto& e : testing::stored_events(*app_))
      if (e.user_hash == pseudonym || e.properties.find(pseudonym) != std::string::npos) ++n;
    return n;
  };
  ASSERT_GT(rows_of(member), 0);
  const int owners = rows_of(owner);
  ASSERT_GT(owners, 0);
  ASSERT_EQ(erase("member").status, 204);
  EXPECT_EQ(rows_of(member), 0);
  EXPECT_EQ(rows_of(owner), owners);
}

}  // namespace
}  // namespace ferr
