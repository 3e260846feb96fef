// "API tokens" over HTTP (api.md): personal and organization tokens — creation shown once, both
// headers, scopes, expiry, revocation, last use, limits — and the authorization matrix of a
// session, a personal token and an org token against account and organization routes.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <vector>

#include "domain/telemetry/emitter.hpp"
#include "support/org_fixture.hpp"
#include "support/stored_events.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;

class TokensTest : public testing::OrgFixture {
 protected:
  /// Creates a personal token for `who` (a session); returns the creation answer.
  boost::json::object personal_token(const std::string& who,
                                     const std::string& body = R"({"name":"ci","scopes":["*"]})") {
    auto r = call("POST", "/v1/auth/tokens", body, auth_[who]);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }
  /// Creates a token of org `acme` as `who`; returns the creation answer.
  boost::json::object org_token(const std::string& who,
                                const std::string& body = R"({"name":"bot","scopes":["*"]})") {
    auto r = call("POST", "/v1/orgs/acme/tokens", body, auth_[who]);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }
  static std::string plaintext(const boost::json::object& created) {
    return std::string(created.at("plaintext").as_string());
  }
  static std::string api_token(const std::string& token) {
    return "x-api-token: " + token + "\r\n";
  }
  /// Both headers, as FerrLabs' clients send them.
  static std::string both(const std::string& token) { return bearer(token) + api_token(token); }
  std::vector<boost::json::object> audit_of(const std::string& action) {
    std::vector<boost::json::object> out;
    auto r = call("GET", "/v1/orgs/acme/audit", "", auth_["owner"]);
    EXPECT_EQ(r.status, 200) << r.body;
    auto entries = boost::json::parse(r.body);
    for (const auto& entry : entries.as_array())
      if (entry.as_object().at("action").as_string() == action) out.push_back(entry.as_object());
    return out;
  }
};

TEST_F(TokensTest, PersonalTokenIsShownOnceAndActsForItsUser) {
  auto r = call("POST", "/v1/auth/tokens", R"({"name":"ci","scopes":["*"]})", auth_["member"]);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("cache-control"), "no-store");
  auto created = json(r);
  auto token = plaintext(created);
  ASSERT_EQ(token.size(), 7u + 43u);
  EXPECT_EQ(token.substr(0, 7), "fl_pat_");
  EXPECT_EQ(created["token_prefix"], boost::json::value(token.substr(0, 12)));
  EXPECT_EQ(created["name"], "ci");
  EXPECT_EQ(created["scopes"], boost::json::array({"*"}));
  EXPECT_TRUE(created["expires_at"].is_null());
  EXPECT_TRUE(created["last_used_at"].is_null());
  EXPECT_EQ(created["created_at"], "2026-05-05T00:00:00.000Z");

  // Bearer, x-api-token, or both when they agree; both disagreeing is 401.
  for (const auto& headers : {bearer(token), api_token(token), both(token)}) {
    auto me = call("GET", "/v1/auth/me", "", headers);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(json(me)["email"], "member@example.com");
  }
  clock_.advance(1s);  // the list is newest first
  auto other = plaintext(personal_token("member"));
  EXPECT_EQ(call("GET", "/v1/auth/me", "", bearer(token) + api_token(other)).status, 401);
  EXPECT_EQ(code_of(call("GET", "/v1/auth/me", "", bearer(other) + api_token(token))),
            "AUTH_UNAUTHORIZED");
  EXPECT_EQ(call("GET", "/v1/auth/me", "", api_token(token + "x")).status, 401);
  EXPECT_EQ(call("GET", "/v1/auth/me", "", api_token("fl_pat_" + std::string(43, 'A'))).status,
            401);

  // The list never shows a plaintext, newest first; the alias path serves the same list.
  auto list = call("GET", "/auth/tokens", "", auth_["member"]);
  ASSERT_EQ(list.status, 200);
  auto tokens = boost::json::parse(list.body).as_array();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_FALSE(tokens[0].as_object().contains("plaintext"));
  EXPECT_EQ(tokens[1].as_object().at("id"), created["id"]);
  EXPECT_EQ(call("GET", "/v1/auth/tokens", "", auth_["admin"]).body, "[]");

  // It acts for its user on organization routes too (member of acme: reads, cannot write).
  EXPECT_EQ(call("GET", "/v1/orgs/acme", "", both(token)).status, 200);
  EXPECT_EQ(code_of(call("PATCH", "/v1/orgs/acme", R"({"name":"X"})", both(token))),
            "AUTH_FORBIDDEN");
}

TEST_F(TokensTest, APersonalTokenHasItsUsersRightsInEveryRole) {
  // The authorization matrix: for every kind of caller, a `*` personal token answers exactly as
  // the person's session does, route by route.
  const std::vector<std::tuple<std::string, std::string, std::string>> routes{
      {"GET", "/v1/orgs/acme", ""},
      {"GET", "/v1/orgs/acme/members", ""},
      {"PATCH", "/v1/orgs/acme", R"({"name":"Acme"})"},
      {"GET", "/v1/orgs/acme/audit", ""},
      {"GET", "/v1/orgs/acme/tokens", ""},
      {"GET", "/v1/orgs/acme/subscriptions", ""},
      {"PATCH", "/v1/orgs/acme/members/" + id_["viewer"], R"({"role":"viewer"})"},
      {"PUT", "/v1/orgs/acme/telemetry-prefs", R"({"telemetry_opt_out":false})"}};
  for (const std::string who : {"owner", "admin", "member", "viewer", "outsider"}) {
    auto token = both(plaintext(personal_token(who)));
    for (const auto& [method, path, body] : routes) {
      auto with_session = call(method, path, body, auth_[who]);
      auto with_token = call(method, path, body, token);
      EXPECT_EQ(with_token.status, with_session.status) << who << " " << method << " " << path;
      if (with_session.status >= 400) {
        EXPECT_EQ(code_of(with_token), code_of(with_session))
            << who << " " << method << " " << path;
      }
    }
  }
}

TEST_F(TokensTest, TheExportListsTheTokensMetadata) {
  auto created = personal_token("member", R"({"name":"exported","scopes":["read"]})");
  auto exported = call("GET", "/v1/auth/me/export", "", auth_["member"]);
  ASSERT_EQ(exported.status, 200) << exported.body;
  auto tokens = json(exported)["api_tokens"].as_array();
  ASSERT_EQ(tokens.size(), 1u);
  auto t = tokens[0].as_object();
  EXPECT_EQ(t["id"], created["id"]);
  EXPECT_EQ(t["name"], "exported");
  EXPECT_EQ(t["token_prefix"], created["token_prefix"]);
  EXPECT_FALSE(t.contains("plaintext"));
  EXPECT_EQ(json(call("GET", "/v1/auth/me/export", "", auth_["admin"]))["api_tokens"],
            boost::json::array())
      << "another person's tokens are not theirs";
}

TEST_F(TokensTest, StoredOnlyAsItsHash) {
  auto token = plaintext(personal_token("member"));
  // The data export shows the tokens' metadata: never the plaintext nor the hash.
  auto exported = call("GET", "/v1/auth/me/export", "", auth_["member"]);
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.body.find(token), std::string::npos);
  EXPECT_EQ(exported.body.find(token.substr(12)), std::string::npos);
}

TEST_F(TokensTest, TokensCannotMintTokens) {
  auto token = plaintext(personal_token("admin"));
  auto r = call("POST", "/v1/auth/tokens", R"({"name":"x","scopes":["*"]})", both(token));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code_of(r), "AUTH_FORBIDDEN");
  EXPECT_EQ(
      code_of(call("POST", "/v1/orgs/acme/tokens", R"({"name":"x","scopes":["*"]})", both(token))),
      "AUTH_FORBIDDEN");
  auto org = plaintext(org_token("admin"));
  EXPECT_EQ(
      code_of(call("POST", "/v1/orgs/acme/tokens", R"({"name":"x","scopes":["*"]})", both(org))),
      "AUTH_FORBIDDEN");
  EXPECT_EQ(call("POST", "/v1/auth/tokens", R"({"name":"x","scopes":["*"]})", both(org)).status,
            401);
}

TEST_F(TokensTest, CreationValidatesItsBody) {
  auto field_of = [&](const std::string& body) {
    auto r = call("POST", "/v1/auth/tokens", body, auth_["member"]);
    EXPECT_EQ(r.status, 400) << body;
    return std::string(json(r)["field"].as_string());
  };
  EXPECT_EQ(field_of(R"({"name":"","scopes":["*"]})"), "name");
  EXPECT_EQ(field_of(R"({"name":")" + std::string(101, 'a') + R"(","scopes":["*"]})"), "name");
  EXPECT_EQ(field_of(R"({"scopes":["*"]})"), "name");
  EXPECT_EQ(field_of(R"({"name":"x"})"), "scopes");
  EXPECT_EQ(field_of(R"({"name":"x","scopes":[]})"), "scopes");
  EXPECT_EQ(field_of(R"({"name":"x","scopes":["write"]})"), "scopes");
  EXPECT_EQ(field_of(R"({"name":"x","scopes":"*"})"), "scopes");
  EXPECT_EQ(field_of(R"({"name":"x","scopes":["*"],"expires_at":"tomorrow"})"), "expires_at");
  EXPECT_EQ(field_of(R"({"name":"x","scopes":["*"],"expires_at":"2026-05-04T00:00:00.000Z"})"),
            "expires_at");
  EXPECT_EQ(field_of(R"({"name":"x","scopes":["*"],"owner":"org"})"), "owner");
  auto org = call("POST", "/v1/orgs/acme/tokens", R"({"name":"x","scopes":["*"],"owner":"me"})",
                  auth_["admin"]);
  EXPECT_EQ(json(org)["field"], "owner");
  EXPECT_EQ(call("POST", "/v1/auth/tokens", R"({"name":"x","scopes":["*"]})").status, 401);
}

TEST_F(TokensTest, ReadScopeOnlyReads) {
  auto token = plaintext(personal_token("owner", R"({"name":"ro","scopes":["read"]})"));
  EXPECT_EQ(call("GET", "/v1/orgs/acme", "", both(token)).status, 200);
  EXPECT_EQ(call("GET", "/v1/orgs/acme/members", "", both(token)).status, 200);
  for (const auto& [method, path, body] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"PATCH", "/v1/orgs/acme", R"({"name":"X"})"},
           {"POST", "/v1/orgs", R"({"slug":"ro-org","name":"X"})"},
           {"PATCH", "/v1/auth/me", R"({"display_name":"X"})"},
           {"DELETE", "/v1/me/sessions/00000000-0000-7000-8000-000000000000", ""}}) {
    auto r = call(method, path, body, both(token));
    EXPECT_EQ(r.status, 403) << method << " " << path;
    EXPECT_EQ(code_of(r), "AUTH_FORBIDDEN") << method << " " << path;
  }
  // The export is everything about a person: it needs `*`.
  EXPECT_EQ(code_of(call("GET", "/v1/auth/me/export", "", both(token))), "AUTH_FORBIDDEN");
  auto full = plaintext(personal_token("owner", R"({"name":"rw","scopes":["*","read"]})"));
  EXPECT_EQ(call("GET", "/v1/auth/me/export", "", both(full)).status, 200);
  EXPECT_EQ(call("PATCH", "/v1/orgs/acme", R"({"name":"Acme 2"})", both(full)).status, 200);
}

TEST_F(TokensTest, ExpiredTokensAreRefused) {
  auto created = personal_token(
      "member", R"({"name":"short","scopes":["*"],"expires_at":"2026-05-05T01:00:00.000Z"})");
  EXPECT_EQ(created["expires_at"], "2026-05-05T01:00:00.000Z");
  auto token = plaintext(created);
  EXPECT_EQ(call("GET", "/v1/auth/me", "", both(token)).status, 200);
  clock_.advance(1h);
  EXPECT_EQ(code_of(call("GET", "/v1/auth/me", "", both(token))), "AUTH_UNAUTHORIZED");
  auto session = json(login("member@example.com"));  // the first one expired too
  EXPECT_EQ(
      call("GET", "/v1/auth/tokens", "", bearer(std::string(session["access_token"].as_string())))
          .body,
      "[]")
      << "the list shows live tokens only";
}

TEST_F(TokensTest, RevocationIsImmediate) {
  auto created = personal_token("member");
  auto token = plaintext(created);
  std::string id(created["id"].as_string());
  EXPECT_EQ(code_of(call("DELETE", "/v1/auth/tokens/" + id, "", auth_["admin"])), "TOKEN_NOT_FOUND")
      << "another user's token";
  EXPECT_EQ(code_of(call("DELETE", "/v1/auth/tokens/not-a-uuid", "", auth_["member"])),
            "TOKEN_NOT_FOUND");
  auto r = call("DELETE", "/v1/auth/tokens/" + id, "", both(token));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["message"], "token revoked");
  EXPECT_EQ(call("GET", "/v1/auth/me", "", both(token)).status, 401);
  EXPECT_EQ(code_of(call("DELETE", "/auth/tokens/" + id, "", auth_["member"])), "TOKEN_NOT_FOUND")
      << "revoked already";
  EXPECT_EQ(call("DELETE", "/v1/auth/tokens/" + id, "").status, 401);
}

TEST_F(TokensTest, LastUseIsRecordedAtMostOnceAMinute) {
  auto token = plaintext(personal_token("member"));
  auto last_used = [&]() -> std::string {  // as the member's session lists it
    auto list = boost::json::parse(call("GET", "/v1/auth/tokens", "", auth_["member"]).body);
    const auto& value = list.as_array().at(0).as_object().at("last_used_at");
    return value.is_null() ? "null" : std::string(value.as_string());
  };
  EXPECT_EQ(last_used(), "null");
  clock_.advance(10s);
  ASSERT_EQ(call("GET", "/v1/auth/me", "", both(token)).status, 200);
  EXPECT_EQ(last_used(), "2026-05-05T00:00:10.000Z");
  clock_.advance(59s);
  ASSERT_EQ(call("GET", "/v1/auth/me", "", both(token)).status, 200);
  EXPECT_EQ(last_used(), "2026-05-05T00:00:10.000Z") << "59 s later: not written again";
  clock_.advance(1s);
  ASSERT_EQ(call("GET", "/v1/auth/me", "", both(token)).status, 200);
  EXPECT_EQ(last_used(), "2026-05-05T00:01:10.000Z");
}

TEST_F(TokensTest, AtMostFiftyLiveTokensPerUserAndPerOrg) {
  for (int i = 0; i < 50; ++i) personal_token("viewer");
  auto r = call("POST", "/v1/auth/tokens", R"({"name":"51","scopes":["*"]})", auth_["viewer"]);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(code_of(r), "VALIDATION_FAILED");
  // Revoking one makes room again.
  auto first = boost::json::parse(call("GET", "/v1/auth/tokens", "", auth_["viewer"]).body);
  std::string id(first.as_array().at(0).as_object().at("id").as_string());
  ASSERT_EQ(call("DELETE", "/v1/auth/tokens/" + id, "", auth_["viewer"]).status, 200);
  personal_token("viewer");

  for (int i = 0; i < 50; ++i) org_token("admin");
  EXPECT_EQ(code_of(call("POST", "/v1/orgs/acme/tokens", R"({"name":"51","scopes":["*"]})",
                         auth_["owner"])),
            "VALIDATION_FAILED");
}

TEST_F(TokensTest, SessionsRoutesTakeAPersonalTokenButLogoutNeedsASession) {
  auto token = plaintext(personal_token("member"));
  auto sessions = call("GET", "/v1/me/sessions", "", both(token));
  ASSERT_EQ(sessions.status, 200) << sessions.body;
  auto list = boost::json::parse(sessions.body).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].as_object().at("current"), false) << "a token is no session";
  EXPECT_EQ(code_of(call("POST", "/v1/auth/logout", "", both(token))), "AUTH_FORBIDDEN");
  EXPECT_EQ(call("GET", "/v1/me/telemetry-prefs", "", both(token)).status, 200);
}

TEST_F(TokensTest, OrgTokenCreationAnswerAndList) {
  auto r = call("POST", "/v1/orgs/acme/tokens",
                R"({"name":"deploy","scopes":["read"],"expires_at":"2026-06-01T00:00:00.000Z"})",
                auth_["admin"]);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("cache-control"), "no-store");
  auto created = json(r);
  auto token = plaintext(created);
  EXPECT_EQ(token.substr(0, 7), "fl_org_");
  auto object = created["token"].as_object();
  EXPECT_EQ(object["name"], "deploy");
  EXPECT_EQ(object["token_prefix"], boost::json::value(token.substr(0, 12)));
  EXPECT_EQ(object["scopes"], boost::json::array({"read"}));
  EXPECT_EQ(object["owner"], "creator");
  EXPECT_EQ(object["created_by"], boost::json::value(id_["admin"]));
  EXPECT_EQ(object["created_by_email"], "admin@example.com");
  EXPECT_EQ(object["expires_at"], "2026-06-01T00:00:00.000Z");
  EXPECT_EQ(object["no_expiry"], false);
  EXPECT_EQ(object["stale"], false);
  EXPECT_EQ(object["revoked"], false);

  auto audited = audit_of("org.token.created");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0]["actor_id"], boost::json::value(id_["admin"]));
  EXPECT_EQ(audited[0]["target"], object["id"]);
  EXPECT_EQ(audited[0]["metadata"].as_object()["owner"], "creator");

  // Admin+ only; outsiders do not learn the org exists; anonymous is 401.
  EXPECT_EQ(status("member", "GET", "/v1/orgs/acme/tokens"), 403);
  EXPECT_EQ(status("viewer", "POST", "/v1/orgs/acme/tokens", R"({"name":"x","scopes":["*"]})"),
            403);
  EXPECT_EQ(status("outsider", "GET", "/v1/orgs/acme/tokens"), 404);
  EXPECT_EQ(status("anonymous", "GET", "/v1/orgs/acme/tokens"), 401);

  clock_.advance(1s);  // the list is newest first
  auto owned = org_token("owner", R"({"name":"org-bot","scopes":["*"],"owner":"org"})");
  std::string owned_id(owned["token"].as_object()["id"].as_string());
  const auto owned_headers = both(plaintext(owned));
  ASSERT_EQ(call("GET", "/v1/orgs", "", owned_headers).status, 200) << "known to this instance now";
  ASSERT_EQ(call("DELETE", "/v1/orgs/acme/tokens/" + owned_id, "", auth_["admin"]).status, 204);
  EXPECT_EQ(call("GET", "/v1/orgs/acme", "", owned_headers).status, 401) << "refused at once";
  EXPECT_EQ(call("GET", "/v1/orgs", "", owned_headers).status, 401);
  EXPECT_EQ(call("POST", "/v1/orgs/acme/members", R"({"email":"extra@example.com"})", owned_headers)
                .status,
            401);
  EXPECT_EQ(code_of(call("DELETE", "/v1/orgs/acme/tokens/" + owned_id, "", auth_["admin"])),
            "TOKEN_NOT_FOUND");
  EXPECT_EQ(audit_of("org.token.revoked").size(), 1u);

  clock_.advance(std::chrono::hours(24 * 91));
  auto session = json(login("owner@example.com"));  // the first one expired long ago
  auto list = call("GET", "/v1/orgs/acme/tokens", "",
                   bearer(std::string(session["access_token"].as_string())));
  ASSERT_EQ(list.status, 200);
  auto tokens = boost::json::parse(list.body).as_array();
  ASSERT_EQ(tokens.size(), 2u) << "revoked ones included";
  EXPECT_EQ(tokens[0].as_object().at("id"), boost::json::value(owned_id)) << "newest first";
  EXPECT_EQ(tokens[0].as_object().at("revoked"), true);
  EXPECT_EQ(tokens[0].as_object().at("owner").as_string(), "org");
  EXPECT_EQ(tokens[0].as_object().at("no_expiry"), true);
  EXPECT_EQ(tokens[1].as_object().at("stale"), true) << "unused for 91 days";
}

TEST_F(TokensTest, OrgTokenActsOnlyInsideItsOrgAsAnAdmin) {
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"beta","name":"Beta"})", auth_["owner"]).status,
            201);
  auto token = plaintext(org_token("owner"));
  auto h = both(token);

  auto orgs = call("GET", "/v1/orgs", "", h);
  ASSERT_EQ(orgs.status, 200) << orgs.body;
  auto list = boost::json::parse(orgs.body).as_array();
  ASSERT_EQ(list.size(), 1u) << "its org alone";
  EXPECT_EQ(list[0].as_object().at("slug"), "acme");
  EXPECT_EQ(list[0].as_object().at("role"), "admin") << "an admin's rights, even an owner's token";
  EXPECT_EQ(code_of(call("GET", "/v1/orgs/beta", "", h)), "ORG_NOT_FOUND");
  EXPECT_EQ(code_of(call("GET", "/v1/orgs/nope", "", h)), "ORG_NOT_FOUND");
  EXPECT_EQ(code_of(call("POST", "/v1/orgs", R"({"slug":"gamma","name":"G"})", h)),
            "AUTH_FORBIDDEN");

  // Account routes do not exist for it.
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/v1/auth/me"},
                                                        {"GET", "/auth/me"},
                                                        {"GET", "/v1/auth/tokens"},
                                                        {"GET", "/v1/me/sessions"},
                                                        {"GET", "/v1/auth/me/export"},
                                                        {"GET", "/v1/me/telemetry-prefs"},
                                                        {"POST", "/v1/auth/logout"}})
    EXPECT_EQ(call(method, path, "", h).status, 401) << method << " " << path;

  // Admin actions work; owner-only ones do not.
  auto added = call("POST", "/v1/orgs/acme/members",
                    R"({"email":"outsider@example.com","role":"member"})", h);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(call("PATCH", "/v1/orgs/acme/members/" + id_["admin"], R"({"role":"owner"})", h).status,
            403);
  EXPECT_EQ(call("GET", "/v1/orgs/acme/audit", "", h).status, 200);
  EXPECT_EQ(call("GET", "/v1/orgs/acme/tokens", "", h).status, 200);

  // Its audit rows name the token; a creator-owned token's actor is its creator.
  auto rows = audit_of("org.member.added");
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front()["actor_id"], boost::json::value(id_["owner"]));
  std::string token_id;
  auto listed = boost::json::parse(call("GET", "/v1/orgs/acme/tokens", "", h).body);
  for (const auto& t : listed.as_array())
    token_id = std::string(t.as_object().at("id").as_string());
  EXPECT_EQ(rows.front()["metadata"].as_object()["via_token"], boost::json::value(token_id));
  EXPECT_EQ(rows.front()["metadata"].as_object()["role"], "member");
}

TEST_F(TokensTest, OrgOwnedTokenHasNoActorAndOutlivesItsCreatorsRole) {
  auto creator_token = plaintext(org_token("admin"));
  auto org_owned = org_token("admin", R"({"name":"org-bot","scopes":["*"],"owner":"org"})");
  auto token = plaintext(org_owned);
  EXPECT_EQ(org_owned["token"].as_object()["owner"], "org");

  auto added = call("POST", "/v1/orgs/acme/members",
                    R"({"email":"extra@example.com","role":"viewer"})", both(token));
  ASSERT_EQ(added.status, 201) << added.body;
  auto rows = audit_of("org.member.added");
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(rows.front()["actor_id"].is_null()) << "no person acted";
  EXPECT_EQ(rows.front()["metadata"].as_object()["via_token"],
            org_owned["token"].as_object()["id"]);

  // Telemetry from it has no person's pseudonym: of the org's member.added events, this one
  // alone has a null actor (the fixture's adds name the owner).
  app_->emitter().flush();
  std::vector<boost::json::object> without_actor;
  for (const auto& event : testing::stored_events(*app_, "org.member.added")) {
    auto properties = boost::json::parse(event.properties).as_object();
    ASSERT_TRUE(properties.contains("actor_hash")) << event.properties;
    if (properties.at("actor_hash").is_null()) without_actor.push_back(properties);
  }
  ASSERT_EQ(without_actor.size(), 1u);
  EXPECT_EQ(without_actor.front().at("role"), "viewer");

  // The creator stops being admin+: their creator-owned token dies, the org's lives on.
  ASSERT_EQ(
      call("PATCH", "/v1/orgs/acme/members/" + id_["admin"], R"({"role":"member"})", auth_["owner"])
          .status,
      200);
  EXPECT_EQ(call("GET", "/v1/orgs/acme", "", both(creator_token)).status, 401);
  EXPECT_EQ(call("GET", "/v1/orgs/acme", "", both(token)).status, 200);
}

TEST_F(TokensTest, IdempotencyKeysOfAnOrgOwnedTokenAreItsOwn) {
  auto first = plaintext(org_token("owner", R"({"name":"a","scopes":["*"],"owner":"org"})"));
  auto second = plaintext(org_token("owner", R"({"name":"b","scopes":["*"],"owner":"org"})"));
  const std::string key = "Idempotency-Key: same-key-1\r\n";
  auto a = call("POST", "/v1/orgs/acme/members", R"({"email":"extra@example.com","role":"viewer"})",
                both(first) + key);
  ASSERT_EQ(a.status, 201) << a.body;
  auto b = call("POST", "/v1/orgs/acme/members",
                R"({"email":"outsider@example.com","role":"viewer"})", both(second) + key);
  EXPECT_EQ(b.status, 201) << "another caller's key, not a replay nor a reuse: " << b.body;
  auto replay = call("POST", "/v1/orgs/acme/members",
                     R"({"email":"extra@example.com","role":"viewer"})", both(first) + key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, a.body);
}

}  // namespace
}  // namespace ferr
