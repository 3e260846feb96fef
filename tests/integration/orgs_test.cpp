// "Organizations and members" over HTTP: every route against every kind of caller (anonymous,
// non-member, viewer, member, admin, owner), the last-owner rule under concurrency, audit rows.

#include <gtest/gtest.h>

#include <future>
#include <map>

#include "support/org_fixture.hpp"

namespace ferr {
namespace {

using OrgsTest = testing::OrgFixture;

TEST_F(OrgsTest, CreateAnswersTheOrgWithTheCallerAsOwner) {
  auto r = call("POST", "/v1/orgs", R"({"slug":"beta-2","name":"Beta"})", auth_["outsider"]);
  ASSERT_EQ(r.status, 201);
  auto org = json(r);
  EXPECT_EQ(org["slug"], "beta-2");
  EXPECT_EQ(org["name"], "Beta");
  EXPECT_EQ(org["plan"], "free");
  EXPECT_EQ(org["role"], "owner");
  EXPECT_EQ(org["member_count"], 1);
  EXPECT_EQ(org["telemetry_opt_out"], false);
  EXPECT_EQ(org["created_at"], "2026-05-05T00:00:00.000Z");
  EXPECT_EQ(
      code_of(call("POST", "/v1/orgs", R"({"slug":"beta-2","name":"Again"})", auth_["owner"])),
      "ORG_SLUG_TAKEN");
}

TEST_F(OrgsTest, CreateValidatesSlugAndName) {
  for (const std::string& slug :
       std::vector<std::string>{"a", "-ab", "ab-", "Ab", "a_b", "a b", std::string(41, 'a')}) {
    auto r = call("POST", "/v1/orgs", R"({"slug":")" + slug + R"(","name":"X"})", auth_["owner"]);
    EXPECT_EQ(r.status, 400) << slug;
    EXPECT_EQ(json(r)["field"], "slug") << slug;
  }
  EXPECT_EQ(call("POST", "/v1/orgs", R"({"slug":")" + std::string(40, 'a') + R"(","name":"X"})",
                 auth_["owner"])
                .status,
            201);
  EXPECT_EQ(
      json(call("POST", "/v1/orgs", R"({"slug":"ok-slug","name":""})", auth_["owner"]))["field"],
      "name");
  EXPECT_EQ(json(call("POST", "/v1/orgs", R"({"slug":"ok-slug"})", auth_["owner"]))["field"],
            "name");
  EXPECT_EQ(call("POST", "/v1/orgs", R"({"slug":"ok-slug","name":"X"})").status, 401);
}

TEST_F(OrgsTest, ListShowsTheCallersOrgsBySlug) {
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"aaa","name":"First"})", auth_["member"]).status,
            201);
  auto r = call("GET", "/v1/orgs", "", auth_["member"]);
  ASSERT_EQ(r.status, 200);
  auto list = boost::json::parse(r.body).as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].as_object().at("slug"), "aaa");
  EXPECT_EQ(list[1].as_object().at("slug"), "acme");
  EXPECT_EQ(list[1].as_object().at("role"), "member");
  EXPECT_EQ(list[1].as_object().at("member_count"), 4);
  EXPECT_EQ(call("GET", "/v1/orgs", "", auth_["outsider"]).body, "[]");
}

TEST_F(OrgsTest, ListRefusesAnAnonymousCaller) {
  auto anonymous = call("GET", "/v1/orgs");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(code_of(anonymous), "AUTH_UNAUTHORIZED");
}

TEST_F(OrgsTest, AuthorizationMatrix) {
  struct Case {
    std::string method, path, body;
    std::map<std::string, int> expected;  // caller → status
  };
  const std::string target = "/v1/orgs/acme/members/" + id_["viewer"];
  std::vector<Case> cases = {
      {"GET",
       "/v1/orgs/acme",
       "",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 200},
        {"member", 200},
        {"admin", 200},
        {"owner", 200}}},
      {"PATCH",
       "/v1/orgs/acme",
       R"({"name":"Acme Inc"})",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 403},
        {"member", 403},
        {"admin", 200},
        {"owner", 200}}},
      {"GET",
       "/v1/orgs/acme/members",
       "",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 200},
        {"member", 200},
        {"admin", 200},
        {"owner", 200}}},
      {"POST",
       "/v1/orgs/acme/members",
       R"({"email":"extra@example.com","role":"viewer"})",
       {{"anonymous", 401}, {"outsider", 404}, {"viewer", 403}, {"member", 403}}},
      {"PATCH",
       target,
       R"({"role":"member"})",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 403},
        {"member", 403},
        {"admin", 200},
        {"owner", 200}}},
      {"GET",
       "/v1/orgs/acme/audit",
       "",
       {{"anonymous", 401},
        {"outsider", 404},
        {"viewer", 403},
        {"member", 403},
        {"admin", 200},
        {"owner", 200}}},
      {"DELETE",
       target,
       "",
       {{"anonymous", 401}, {"outsider", 404}, {"viewer", 403}, {"member", 403}}},
  };
  for (const auto& c : cases) {
    for (const auto& [who, expected] : c.expected) {
      EXPECT_EQ(status(who, c.method, c.path, c.body), expected)
          << who << " " << c.method << " " << c.path;
    }
  }
  // A missing org and a non-member's view are indistinguishable.
  auto missing = call("GET", "/v1/orgs/nope", "", auth_["outsider"]);
  auto hidden = call("GET", "/v1/orgs/acme", "", auth_["outsider"]);
  EXPECT_EQ(code_of(missing), "ORG_NOT_FOUND");
  EXPECT_EQ(code_of(hidden), "ORG_NOT_FOUND");
  EXPECT_EQ(json(missing)["error"], json(hidden)["error"]);
  EXPECT_EQ(status("admin", "POST", "/v1/orgs/acme/members",
                   R"({"email":"extra@example.com","role":"viewer"})"),
            201);
  EXPECT_EQ(status("admin", "DELETE", "/v1/orgs/acme/members/" + id_["extra"]), 204);
}

TEST_F(OrgsTest, OnlyAnOwnerGrantsOrRemovesOwnerAndAdmin) {
  auto grant = call("PATCH", "/v1/orgs/acme/members/" + id_["member"], R"({"role":"admin"})",
                    auth_["admin"]);
  EXPECT_EQ(grant.status, 403);
  EXPECT_EQ(code_of(grant), "AUTH_FORBIDDEN");
  EXPECT_EQ(
      status("admin", "PATCH", "/v1/orgs/acme/members/" + id_["admin"], R"({"role":"member"})"),
      403)
      << "an admin cannot demote an admin, not even itself";
  EXPECT_EQ(status("admin", "DELETE", "/v1/orgs/acme/members/" + id_["owner"]), 403);
  EXPECT_EQ(status("admin", "POST", "/v1/orgs/acme/members",
                   R"({"email":"extra@example.com","role":"admin"})"),
            403)
      << "only an owner adds an admin";
  auto owner_role = call("POST", "/v1/orgs/acme/members",
                         R"({"email":"extra@example.com","role":"owner"})", auth_["owner"]);
  EXPECT_EQ(json(owner_role)["field"], "role") << "nobody is added as owner";
  EXPECT_EQ(
      status("owner", "PATCH", "/v1/orgs/acme/members/" + id_["member"], R"({"role":"owner"})"),
      200);
  EXPECT_EQ(
      status("owner", "PATCH", "/v1/orgs/acme/members/" + id_["admin"], R"({"role":"viewer"})"),
      200);
}

TEST_F(OrgsTest, MemberErrors) {
  auto unknown =
      call("POST", "/v1/orgs/acme/members", R"({"email":"nobody@example.com"})", auth_["owner"]);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(code_of(unknown), "USER_NOT_FOUND");
  ASSERT_EQ(register_user("pending@example.com").status, 202);
  EXPECT_EQ(code_of(call("POST", "/v1/orgs/acme/members", R"({"email":"pending@example.com"})",
                         auth_["owner"])),
            "USER_NOT_FOUND")
      << "only active accounts";
  auto twice =
      call("POST", "/v1/orgs/acme/members", R"({"email":"MEMBER@example.com"})", auth_["owner"]);
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(code_of(twice), "ORG_MEMBER_ALREADY_EXISTS");
  auto self = call("DELETE", "/v1/orgs/acme/members/" + id_["admin"], "", auth_["admin"]);
  EXPECT_EQ(self.status, 400);
  EXPECT_EQ(code_of(self), "ORG_CANNOT_REMOVE_SELF");
  EXPECT_EQ(code_of(call("PATCH", "/v1/orgs/acme/members/" + id_["outsider"],
                         R"({"role":"member"})", auth_["owner"])),
            "ORG_MEMBER_NOT_FOUND");
  auto not_a_member =
      call("DELETE", "/v1/orgs/acme/members/" + id_["outsider"], "", auth_["owner"]);
  EXPECT_EQ(not_a_member.status, 404);
  EXPECT_EQ(code_of(not_a_member), "ORG_MEMBER_NOT_FOUND") << "USER_NOT_FOUND is for adding";
  EXPECT_EQ(status("owner", "PATCH", "/v1/orgs/acme/members/not-a-uuid", R"({"role":"member"})"),
            404);
  EXPECT_EQ(code_of(call("DELETE", "/v1/orgs/acme/members/not-a-uuid", "", auth_["owner"])),
            "ORG_MEMBER_NOT_FOUND");
  EXPECT_EQ(json(call("PATCH", "/v1/orgs/acme/members/" + id_["member"], R"({"role":"boss"})",
                      auth_["owner"]))["field"],
            "role");

  auto added =
      call("POST", "/v1/orgs/acme/members", R"({"email":"extra@example.com"})", auth_["owner"]);
  ASSERT_EQ(added.status, 201);
  EXPECT_EQ(json(added)["role"], "member") << "member by default";
  EXPECT_EQ(json(added)["email"], "extra@example.com");
}

TEST_F(OrgsTest, MembersAreListedByJoinDate) {
  auto r = call("GET", "/v1/orgs/acme/members", "", auth_["viewer"]);
  ASSERT_EQ(r.status, 200);
  auto list = boost::json::parse(r.body).as_array();
  ASSERT_EQ(list.size(), 4u);
  std::vector<std::string> roles;
  for (const auto& m : list) roles.emplace_back(m.as_object().at("role").as_string());
  EXPECT_EQ(roles, (std::vector<std::string>{"owner", "admin", "member", "viewer"}));
  EXPECT_TRUE(list[0].as_object().at("display_name").is_null());
}

TEST_F(OrgsTest, TheLastOwnerCanNeverLeaveEvenUnderConcurrency) {
  auto demote =
      call("PATCH", "/v1/orgs/acme/members/" + id_["owner"], R"({"role":"admin"})", auth_["owner"]);
  EXPECT_EQ(demote.status, 409);
  EXPECT_EQ(code_of(demote), "ORG_LAST_OWNER");

  // Two owners demote each other at the same time: one of them must stay owner.
  ASSERT_EQ(
      status("owner", "PATCH", "/v1/orgs/acme/members/" + id_["admin"], R"({"role":"owner"})"),
      200);
  for (int round = 0; round < 5; ++round) {
    auto a = std::async(std::launch::async, [&] {
      return status("owner", "PATCH", "/v1/orgs/acme/members/" + id_["admin"],
                    R"({"role":"member"})");
    });
    auto b = std::async(std::launch::async, [&] {
      return status("admin", "PATCH", "/v1/orgs/acme/members/" + id_["owner"],
                    R"({"role":"member"})");
    });
    int sa = a.get(), sb = b.get();
    EXPECT_TRUE((sa == 200) != (sb == 200)) << sa << " " << sb;
    auto list = boost::json::parse(call("GET", "/v1/orgs/acme/members", "", auth_["viewer"]).body)
                    .as_array();
    int owners = 0;
    for (const auto& m : list) owners += m.as_object().at("role") == "owner";
    ASSERT_EQ(owners, 1);
    // Make both owners again for the next round.
    std::string remaining = sa == 200 ? "owner" : "admin";
    std::string demoted = sa == 200 ? "admin" : "owner";
    ASSERT_EQ(
        status(remaining, "PATCH", "/v1/orgs/acme/members/" + id_[demoted], R"({"role":"owner"})"),
        200);
  }
}

TEST_F(OrgsTest, UpdateRenamesAndReslugs) {
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"taken","name":"T"})", auth_["outsider"]).status,
            201);
  EXPECT_EQ(code_of(call("PATCH", "/v1/orgs/acme", R"({"slug":"taken"})", auth_["admin"])),
            "ORG_SLUG_TAKEN");
  auto r = call("PATCH", "/v1/orgs/acme", R"({"slug":"acme-2","name":"Acme Two"})", auth_["admin"]);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["slug"], "acme-2");
  EXPECT_EQ(json(r)["role"], "admin");
  EXPECT_EQ(status("viewer", "GET", "/v1/orgs/acme"), 404);
  EXPECT_EQ(status("viewer", "GET", "/v1/orgs/acme-2"), 200);
  EXPECT_EQ(
      json(call("PATCH", "/v1/orgs/acme-2", R"({"slug":"Bad Slug"})", auth_["admin"]))["field"],
      "slug");
}

TEST_F(OrgsTest, EveryMutationIsAuditedNewestFirstWithPaging) {
  ASSERT_EQ(status("owner", "PATCH", "/v1/orgs/acme", R"({"name":"Acme Inc"})"), 200);
  ASSERT_EQ(status("owner", "PATCH", "/v1/orgs/acme", R"({"name":"Acme Inc"})"),
            200);  // no change, no row
  ASSERT_EQ(
      status("owner", "PATCH", "/v1/orgs/acme/members/" + id_["viewer"], R"({"role":"member"})"),
      200);
  ASSERT_EQ(status("owner", "DELETE", "/v1/orgs/acme/members/" + id_["viewer"]), 204);

  auto r = call("GET", "/v1/orgs/acme/audit", "", auth_["admin"]);
  ASSERT_EQ(r.status, 200);
  auto entries = boost::json::parse(r.body).as_array();
  std::vector<std::string> actions;
  for (const auto& e : entries) actions.emplace_back(e.as_object().at("action").as_string());
  EXPECT_EQ(actions,
            (std::vector<std::string>{"org.member.removed", "org.member.role_changed",
                                      "org.updated", "org.member.added", "org.member.added",
                                      "org.member.added", "org.created"}));
  auto role_changed = entries[1].as_object();
  EXPECT_EQ(std::string(role_changed.at("actor_id").as_string()), id_["owner"]);
  EXPECT_EQ(std::string(role_changed.at("target").as_string()), id_["viewer"]);
  EXPECT_EQ(boost::json::serialize(role_changed.at("metadata")),
            R"({"from":"viewer","to":"member"})");
  EXPECT_EQ(boost::json::serialize(entries[2].as_object().at("metadata")),
            R"({"name":"Acme Inc"})");

  auto page1 =
      boost::json::parse(call("GET", "/v1/orgs/acme/audit?limit=3", "", auth_["admin"]).body)
          .as_array();
  ASSERT_EQ(page1.size(), 3u);
  std::string last(page1[2].as_object().at("id").as_string());
  auto page2 =
      boost::json::parse(
          call("GET", "/v1/orgs/acme/audit?limit=3&before=" + last, "", auth_["admin"]).body)
          .as_array();
  ASSERT_EQ(page2.size(), 3u);
  EXPECT_EQ(page2[0].as_object().at("action"), "org.member.added");
  EXPECT_EQ(json(call("GET", "/v1/orgs/acme/audit?limit=0", "", auth_["admin"]))["field"], "limit");
  EXPECT_EQ(json(call("GET", "/v1/orgs/acme/audit?limit=201", "", auth_["admin"]))["field"],
            "limit");
  EXPECT_EQ(json(call("GET", "/v1/orgs/acme/audit?before=x", "", auth_["admin"]))["field"],
            "before");
}

TEST_F(OrgsTest, OrgTelemetryPreferenceMembersReadAdminsWriteEveryChangeAudited) {
  const std::string path = "/v1/orgs/acme/telemetry-prefs";
  for (const std::string who : {"viewer", "member", "admin", "owner"})
    EXPECT_EQ(call("GET", path, "", auth_[who]).body, R"({"telemetry_opt_out":false})") << who;
  EXPECT_EQ(status("anonymous", "GET", path), 401);
  EXPECT_EQ(status("outsider", "GET", path), 404);
  const std::string on = R"({"telemetry_opt_out":true})";
  EXPECT_EQ(status("anonymous", "PUT", path, on), 401);
  EXPECT_EQ(status("outsider", "PUT", path, on), 404);
  EXPECT_EQ(status("viewer", "PUT", path, on), 403);
  EXPECT_EQ(status("member", "PUT", path, on), 403);
  auto set = call("PUT", path, on, auth_["admin"]);
  EXPECT_EQ(set.status, 200);
  EXPECT_EQ(set.body, on);
  EXPECT_EQ(json(call("GET", "/v1/orgs/acme", "", auth_["viewer"]))["telemetry_opt_out"], true);
  EXPECT_EQ(status("owner", "PUT", path, R"({"telemetry_opt_out":false})"), 200);
  EXPECT_EQ(json(call("PUT", path, R"({"telemetry_opt_out":1})", auth_["owner"]))["field"],
            "telemetry_opt_out");

  auto entries =
      boost::json::parse(call("GET", "/v1/orgs/acme/audit?limit=2", "", auth_["owner"]).body)
          .as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].as_object().at("action"), "telemetry.opt_out.update");
  EXPECT_EQ(boost::json::serialize(entries[0].as_object().at("metadata")),
            R"({"from":true,"to":false})");
  EXPECT_EQ(boost::json::serialize(entries[1].as_object().at("metadata")),
            R"({"from":false,"to":true})");
}

TEST_F(OrgsTest, RefusedChangesWriteNoAuditRow) {
  call("PATCH", "/v1/orgs/acme/members/" + id_["owner"], R"({"role":"admin"})",
       auth_["owner"]);  // last owner
  call("PATCH", "/v1/orgs/acme/members/" + id_["member"], R"({"role":"admin"})",
       auth_["admin"]);  // forbidden
  auto entries =
      boost::json::parse(call("GET", "/v1/orgs/acme/audit", "", auth_["owner"]).body).as_array();
  EXPECT_EQ(entries.size(), 4u) << "created + three members added";
}

}  // namespace
}  // namespace ferr
