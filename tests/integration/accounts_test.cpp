// "Accounts and sessions" over HTTP against the real server: every route, every error code,
// enumeration resistance, throttling with an injected clock, token rotation and revocation.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/time_format.hpp"
#include "domain/accounts/account_rules.hpp"
#include "domain/telemetry/emitter.hpp"
#include "storage/sqlite/database.hpp"
#include "support/api_test.hpp"
#include "support/stored_events.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;
using testing::HttpReply;

using testing::kPassword;

class AccountsTest : public testing::ApiTest {};

TEST_F(AccountsTest, RegisterVerifyLoginMeRefreshLogout) {
  auto reg =
      post("/auth/register",
           {{"email", "  Ada@Example.COM "}, {"password", kPassword}, {"display_name", "Ada"}});
  EXPECT_EQ(reg.status, 202);
  EXPECT_EQ(reg.body, R"({"status":"verification_pending"})");

  auto code = mailbox_->code_for("ada@example.com");
  ASSERT_TRUE(code) << "the code is mailed to the trimmed, lower-cased address";
  auto verified = post("/auth/verify-email", {{"email", "ada@example.com"}, {"code", *code}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  auto tokens = json(verified);
  EXPECT_EQ(tokens["token_type"], "Bearer");
  EXPECT_EQ(tokens["expires_in"], 900);
  EXPECT_EQ(tokens["user"].as_object()["email"], "ada@example.com");
  EXPECT_EQ(tokens["user"].as_object()["email_verified"], true);
  EXPECT_EQ(tokens["user"].as_object()["display_name"], "Ada");
  EXPECT_EQ(tokens["user"].as_object()["timezone"], "UTC");
  EXPECT_EQ(tokens["user"].as_object()["locale"], "en");
  EXPECT_EQ(tokens["user"].as_object()["created_at"], "2026-05-05T00:00:00.000Z");
  EXPECT_EQ(verified.header("set-cookie"),
            "fl_session=" + std::string(tokens["access_token"].as_string()) +
                "; HttpOnly; SameSite=Lax; Path=/; Max-Age=604800");

  auto logged_in = login("ada@example.com");
  ASSERT_EQ(logged_in.status, 200);
  auto session = json(logged_in);
  std::string access(session["access_token"].as_string());
  std::string refresh(session["refresh_token"].as_string());
  EXPECT_EQ(refresh.size(), 43u) << "32 random bytes, base64url without padding";

  auto me = call("GET", "/auth/me", "", bearer(access));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(json(me)["email"], "ada@example.com");
  EXPECT_EQ(json(me)["id"], session["user"].as_object()["id"]);

  auto refreshed = post("/auth/refresh", {{"refresh_token", refresh}});
  ASSERT_EQ(refreshed.status, 200);
  std::string access2(json(refreshed)["access_token"].as_string());
  EXPECT_NE(std::string(json(refreshed)["refresh_token"].as_string()), refresh)
      << "rotated on every use";

  auto out = call("POST", "/auth/logout", "", bearer(access2));
  EXPECT_EQ(out.status, 204);
  EXPECT_EQ(out.header("set-cookie"), "fl_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(access2)).status, 401) << "revoked at once";
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(access)).status, 401)
      << "the whole family is revoked";
}

TEST_F(AccountsTest, LogoutRefusesAnAnonymousCaller) {
  auto anonymous = call("POST", "/auth/logout");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(code_of(anonymous), "AUTH_UNAUTHORIZED");
}

TEST_F(AccountsTest, RegisteringAnActiveAddressAnswersTheSameAndSendsANotice) {
  active_user("grace@example.com");
  clock_.advance(2min);  // past the one-mail-a-minute throttle
  auto again = register_user("grace@example.com", "an entirely different passphrase");
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.body, R"({"status":"verification_pending"})");
  auto notice = mailbox_->wait_for("grace@example.com", 2);
  ASSERT_TRUE(notice);
  EXPECT_NE(notice->find("already has one"), std::string::npos);
  EXPECT_EQ(notice->find("code is"), std::string::npos);
  EXPECT_EQ(login("grace@example.com").status, 200) << "the active account is untouched";
  EXPECT_EQ(login("grace@example.com", "an entirely different passphrase").status, 401);
}

TEST_F(AccountsTest, RegisterRejectsBadInputWithTheRightCodes) {
  auto missing = post("/auth/register", {{"password", kPassword}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(code_of(missing), "VALIDATION_FAILED");
  EXPECT_EQ(json(missing)["field"], "email");

  auto unknown = post("/auth/register",
                      {{"email", "a@example.com"}, {"password", kPassword}, {"admin", true}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(json(unknown)["field"], "admin");

  auto duplicate = call(
      "POST", "/auth/register",
      R"({"email":"a@example.com","password":"x","password":")" + std::string(kPassword) + "\"}");
  EXPECT_EQ(duplicate.status, 400);
  EXPECT_EQ(code_of(duplicate), "VALIDATION_FAILED");
  EXPECT_EQ(json(duplicate)["field"], "password");

  EXPECT_EQ(code_of(call("POST", "/auth/register", "{\"email\":")), "BAD_REQUEST");
  auto no_type =
      testing::request(port_, "POST", "/auth/register", "", R"({"email":"a@example.com"})");
  ASSERT_TRUE(no_type);
  EXPECT_EQ(no_type->status, 415);

  auto bad_email = post("/auth/register", {{"email", "not-an-address"}, {"password", kPassword}});
  EXPECT_EQ(json(bad_email)["field"], "email");
  auto long_email =
      post("/auth/register", {{"email", std::string(250, 'a') + "@x.io"}, {"password", kPassword}});
  EXPECT_EQ(code_of(long_email), "VALIDATION_FAILED") << "at most 254 characters";

  for (const std::string& weak :
       std::vector<std::string>{"short", std::string(129, 'x'), "a@example.com", "password"}) {
    auto r = register_user("a@example.com", weak);
    EXPECT_EQ(r.status, 400) << weak;
    EXPECT_EQ(code_of(r), "USER_PASSWORD_TOO_WEAK") << weak;
  }
  auto bad_name = post("/auth/register",
                       {{"email", "a@example.com"}, {"password", kPassword}, {"display_name", ""}});
  EXPECT_EQ(json(bad_name)["field"], "display_name");
  EXPECT_TRUE(mailbox_->messages_to("a@example.com").empty()) << "nothing was registered";
}

TEST_F(AccountsTest, VerificationCodeErrors) {
  auto unknown = post("/auth/verify-email", {{"email", "nobody@example.com"}, {"code", "123456"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(code_of(unknown), "AUTH_VERIFICATION_CODE_INVALID");

  ASSERT_EQ(register_user("lin@example.com").status, 202);
  auto code = mailbox_->code_for("lin@example.com");
  ASSERT_TRUE(code);
  std::string wrong = *code == "000000" ? "111111" : "000000";
  for (int i = 1; i <= 4; ++i) {
    auto r = post("/auth/verify-email", {{"email", "lin@example.com"}, {"code", wrong}});
    EXPECT_EQ(code_of(r), "AUTH_VERIFICATION_CODE_INVALID") << "attempt " << i;
  }
  auto fifth = post("/auth/verify-email", {{"email", "lin@example.com"}, {"code", wrong}});
  EXPECT_EQ(fifth.status, 429);
  EXPECT_EQ(code_of(fifth), "AUTH_VERIFICATION_TOO_MANY_ATTEMPTS");
  auto right_but_void = post("/auth/verify-email", {{"email", "lin@example.com"}, {"code", *code}});
  EXPECT_EQ(code_of(right_but_void), "AUTH_VERIFICATION_TOO_MANY_ATTEMPTS") << "the code is void";

  clock_.advance(61s);
  EXPECT_EQ(post("/auth/resend-verification", {{"email", "lin@example.com"}}).status, 202);
  auto fresh = mailbox_->code_for("lin@example.com", 2);
  ASSERT_TRUE(fresh);
  clock_.advance(15min + 1s);
  auto expired = post("/auth/verify-email", {{"email", "lin@example.com"}, {"code", *fresh}});
  EXPECT_EQ(expired.status, 410);
  EXPECT_EQ(code_of(expired), "AUTH_VERIFICATION_CODE_EXPIRED");

  EXPECT_EQ(post("/auth/resend-verification", {{"email", "lin@example.com"}}).status, 202);
  auto last = mailbox_->code_for("lin@example.com", 3);
  ASSERT_TRUE(last);
  EXPECT_EQ(post("/auth/verify-email", {{"email", "lin@example.com"}, {"code", *last}}).status,
            200);
  auto again = post("/auth/verify-email", {{"email", "lin@example.com"}, {"code", *last}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(code_of(again), "AUTH_EMAIL_ALREADY_VERIFIED");
}

TEST_F(AccountsTest, ResendIsAlways202AndMailsAtMostOncePerMinute) {
  EXPECT_EQ(post("/auth/resend-verification", {{"email", "ghost@example.com"}}).status, 202);
  ASSERT_EQ(register_user("kim@example.com").status, 202);
  auto first = mailbox_->code_for("kim@example.com");
  ASSERT_TRUE(first);
  clock_.advance(30s);
  EXPECT_EQ(post("/auth/resend-verification", {{"email", "kim@example.com"}}).status, 202);
  clock_.advance(29s);
  EXPECT_EQ(post("/auth/resend-verification", {{"email", "kim@example.com"}}).status, 202);
  clock_.advance(2s);
  EXPECT_EQ(post("/auth/resend-verification", {{"email", "kim@example.com"}}).status, 202);
  auto second = mailbox_->code_for("kim@example.com", 2);
  ASSERT_TRUE(second);
  EXPECT_EQ(mailbox_->messages_to("kim@example.com").size(), 2u) << "throttled within the minute";
  if (*first != *second) {
    EXPECT_EQ(code_of(post("/auth/verify-email", {{"email", "kim@example.com"}, {"code", *first}})),
              "AUTH_VERIFICATION_CODE_INVALID")
        << "a new code replaces the old one";
  }
  EXPECT_EQ(post("/auth/verify-email", {{"email", "kim@example.com"}, {"code", *second}}).status,
            200);
  EXPECT_TRUE(mailbox_->messages_to("ghost@example.com").empty());
}

TEST_F(AccountsTest, LoginAnswersAlikeForUnknownAddressAndWrongPassword) {
  active_user("ann@example.com");
  auto unknown = login("nobody@example.com");
  auto wrong = login("ann@example.com", "not the right passphrase");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(code_of(unknown), "AUTH_INVALID_CREDENTIALS");
  auto strip_id = [](boost::json::object o) {
    o.erase("request_id");
    return boost::json::serialize(o);
  };
  EXPECT_EQ(strip_id(json(unknown)), strip_id(json(wrong)));
}

TEST_F(AccountsTest, PendingAccountWithTheRightPasswordIsNotVerified) {
  ASSERT_EQ(register_user("pat@example.com").status, 202);
  auto r = login("pat@example.com");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(code_of(r), "AUTH_EMAIL_NOT_VERIFIED");
  EXPECT_EQ(json(r)["error"], "email_not_verified");
  EXPECT_EQ(code_of(login("pat@example.com", "wrong passphrase here")), "AUTH_INVALID_CREDENTIALS");
}

TEST_F(AccountsTest, LoginThrottleLocksAfter5Then10Then20Failures) {
  active_user("tom@example.com");
  auto fail_times = [&](int n) {
    for (int i = 0; i < n; ++i)
      EXPECT_EQ(login("tom@example.com", "wrong passphrase!").status, 401);
  };
  fail_times(5);
  auto locked = login("tom@example.com");
  EXPECT_EQ(locked.status, 423);
  EXPECT_EQ(code_of(locked), "AUTH_ACCOUNT_TEMPORARILY_LOCKED");
  EXPECT_EQ(locked.header("retry-after"), "60");
  clock_.advance(59s);
  EXPECT_EQ(login("tom@example.com").status, 423) << "even the right password waits";
  clock_.advance(1s);
  fail_times(1);  // failure 6 locks again for 60 s
  EXPECT_EQ(login("tom@example.com").header("retry-after"), "60");
  for (int failures = 7; failures <= 10; ++failures) {
    clock_.advance(61s);
    fail_times(1);
  }
  EXPECT_EQ(login("tom@example.com").header("retry-after"), "300");
  for (int failures = 11; failures <= 20; ++failures) {
    clock_.advance(301s);
    fail_times(1);
  }
  EXPECT_EQ(login("tom@example.com").header("retry-after"), "3600");
  clock_.advance(3601s);
  EXPECT_EQ(login("tom@example.com").status, 200) << "a success resets the count";
  fail_times(4);
  EXPECT_EQ(login("tom@example.com").status, 200) << "four failures do not lock";
}

TEST_F(AccountsTest, UnknownAddressesAreThrottledLikeKnownOnes) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("ghost@example.com").status, 401);
  EXPECT_EQ(login("ghost@example.com").status, 423) << "a lock reveals nothing about existence";
}

TEST_F(AccountsTest, LoginStoresNothingForAnAddressNobodyCanHave) {
  // Issue 14, item 5: the throttle counted (and stored) any string as an address. An address
  // that fails validation is refused like a wrong password, and nothing is counted for it: six
  // failures would otherwise lock it (423).
  for (const std::string& email :
       {std::string(16000, 'a'), std::string("ada@example.com\r\nBcc: x@example.com"),
        std::string("ada\0@example.com", 17), std::string("<script>@example.com")}) {
    for (int i = 0; i < 6; ++i) {
      auto refused = login(email);
      EXPECT_EQ(refused.status, 401) << "attempt " << i + 1;
      EXPECT_EQ(json(refused)["code"], "AUTH_INVALID_CREDENTIALS");
    }
  }
}

TEST_F(AccountsTest, TheThrottleIsStoredInTheDatabaseAndSurvivesARestart) {
  auto db = dir_ / "accounts.db";
  start({{"DATABASE_URL", "sqlite:" + db.string()}});
  active_user("rui@example.com");
  for (int i = 0; i < 5; ++i) login("rui@example.com", "wrong passphrase!");
  start({{"DATABASE_URL", "sqlite:" + db.string()}});
  EXPECT_EQ(login("rui@example.com").status, 423);
}

TEST_F(AccountsTest, CookieIsAcceptedOnlyWithoutAuthorizationHeader) {
  auto tokens = active_user("cy@example.com");
  std::string access(tokens["access_token"].as_string());
  EXPECT_EQ(call("GET", "/auth/me", "", "Cookie: theme=dark; fl_session=" + access + "\r\n").status,
            200);
  EXPECT_EQ(call("GET", "/auth/me", "",
                 "Authorization: Bearer nonsense\r\nCookie: fl_session=" + access + "\r\n")
                .status,
            401)
      << "the header wins over the cookie";
  EXPECT_EQ(call("GET", "/auth/me", "", "Authorization: Basic dXNlcjpwYXNz\r\n").status, 401);
  auto anonymous = call("GET", "/auth/me");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(code_of(anonymous), "AUTH_UNAUTHORIZED");
}

TEST_F(AccountsTest, AccessTokensExpireAfter15Minutes) {
  auto tokens = active_user("eve@example.com");
  std::string access(tokens["access_token"].as_string());
  clock_.advance(14min + 59s);
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(access)).status, 200);
  clock_.advance(2s);
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(access)).status, 401);
  auto refreshed = post("/auth/refresh", {{"refresh_token", tokens["refresh_token"]}});
  EXPECT_EQ(refreshed.status, 200) << "the refresh token outlives the access token";
}

TEST_F(AccountsTest, ReusingARotatedRefreshTokenRevokesTheWholeFamily) {
  auto tokens = active_user("mo@example.com");
  std::string first(tokens["refresh_token"].as_string());
  auto second = post("/auth/refresh", {{"refresh_token", first}});
  ASSERT_EQ(second.status, 200);
  std::string second_refresh(json(second)["refresh_token"].as_string());
  std::string second_access(json(second)["access_token"].as_string());

  clock_.advance(domain::accounts::kRefreshGrace + 1s);
  auto reuse = post("/auth/refresh", {{"refresh_token", first}});
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(code_of(reuse), "AUTH_SESSION_EXPIRED");
  EXPECT_EQ(code_of(post("/auth/refresh", {{"refresh_token", second_refresh}})),
            "AUTH_SESSION_EXPIRED");
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(second_access)).status, 401);

  EXPECT_EQ(code_of(post("/auth/refresh", {{"refresh_token", "made-up"}})), "AUTH_SESSION_EXPIRED");
  auto other = json(login("mo@example.com"));
  EXPECT_EQ(
      call("GET", "/auth/me", "", bearer(std::string(other["access_token"].as_string()))).status,
      200)
      << "other logins are separate families";
}

TEST_F(AccountsTest, RefreshTokensExpireAfter14Days) {
  auto tokens = active_user("old@example.com");
  clock_.advance(std::chrono::hours(24 * 14) + 1s);
  EXPECT_EQ(code_of(post("/auth/refresh", {{"refresh_token", tokens["refresh_token"]}})),
            "AUTH_SESSION_EXPIRED");
}

TEST_F(AccountsTest, ConcurrentRefreshesOfOneTokenAllGetTheSameSuccessor) {
  // Eight tabs (or retries) refresh one token at once: one rotation, and every caller gets the
  // token it was rotated into, within the grace window (issue 14, item 11). Before, seven of
  // them were reuses and revoked the session, the winner's new token included.
  auto tokens = active_user("race@example.com");
  std::string refresh(tokens["refresh_token"].as_string());
  std::vector<std::future<HttpReply>> attempts;
  for (int i = 0; i < 8; ++i)
    attempts.push_back(std::async(std::launch::async, [&] {
      return post("/auth/refresh", {{"refresh_token", refresh}});
    }));
  std::set<std::string> successors;
  std::string access;
  for (auto& a : attempts) {
    auto reply = a.get();
    ASSERT_EQ(reply.status, 200) << reply.body;
    successors.insert(std::string(json(reply)["refresh_token"].as_string()));
    access = std::string(json(reply)["access_token"].as_string());
  }
  ASSERT_EQ(successors.size(), 1u) << "one successor for all";
  EXPECT_EQ(call("GET", "/v1/auth/me", "", bearer(access)).status, 200) << "the session lives";

  // Past the window, the spent token is a reuse: the family ends, successor included.
  clock_.advance(domain::accounts::kRefreshGrace + 1s);
  EXPECT_EQ(code_of(post("/auth/refresh", {{"refresh_token", refresh}})), "AUTH_SESSION_EXPIRED");
  EXPECT_EQ(call("GET", "/v1/auth/me", "", bearer(access)).status, 401);
  EXPECT_EQ(code_of(post("/auth/refresh", {{"refresh_token", *successors.begin()}})),
            "AUTH_SESSION_EXPIRED");
}

TEST_F(AccountsTest, TheUserObjectCarriesAvatarUrlAndLastLogin) {
  auto verified = active_user("pic@example.com");
  const auto signed_up_at = core::format_rfc3339_ms(clock_.now());
  EXPECT_EQ(verified["user"].as_object()["last_login_at"], signed_up_at.c_str())
      << "verification starts the first session";
  EXPECT_TRUE(verified["user"].as_object()["avatar_url"].is_null());
  clock_.advance(1h);
  auto logged_in = json(login("pic@example.com"));
  const auto logged_in_at = core::format_rfc3339_ms(clock_.now());
  EXPECT_EQ(logged_in["user"].as_object()["last_login_at"], logged_in_at.c_str());
  const auto auth = bearer(std::string(logged_in["access_token"].as_string()));
  EXPECT_EQ(json(call("GET", "/v1/auth/me", "", auth))["last_login_at"], logged_in_at.c_str());

  auto set =
      call("PATCH", "/v1/auth/me", R"({"avatar_url":"https://cdn.example.com/p.png"})", auth);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(json(set)["avatar_url"], "https://cdn.example.com/p.png");
  EXPECT_EQ(json(call("GET", "/auth/me", "", auth))["avatar_url"], "https://cdn.example.com/p.png");
  for (const char* bad : {R"j({"avatar_url":"javascript:alert(1)"})j", R"({"avatar_url":"/p.png"})",
                          R"({"avatar_url":42})"}) {
    auto refused = call("PATCH", "/v1/auth/me", bad, auth);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(code_of(refused), "VALIDATION_FAILED") << bad;
    EXPECT_EQ(json(refused)["field"], "avatar_url") << bad;
  }
  std::string too_long = R"({"avatar_url":"https://example.com/)" + std::string(2030, 'a') + "\"}";
  EXPECT_EQ(code_of(call("PATCH", "/v1/auth/me", too_long, auth)), "VALIDATION_FAILED");
  auto cleared = call("PATCH", "/v1/auth/me", R"({"avatar_url":null})", auth);
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(json(cleared)["avatar_url"].is_null());
}

TEST_F(AccountsTest, SessionsAreListedWithTheCurrentOneAndRevokedById) {
  active_user("sue@example.com");
  auto login_with = [&](const std::string& agent) {
    clock_.advance(1min);
    auto r = post("/v1/auth/login", {{"email", "sue@example.com"}, {"password", kPassword}},
                  agent.empty() ? "" : "User-Agent: " + agent + "\r\n");
    EXPECT_EQ(r.status, 200) << r.body;
    return json(r);
  };
  auto laptop = login_with("Mozilla/5.0 (X11; Linux x86_64)");
  auto script = login_with(std::string(300, 'c'));
  const auto laptop_auth = bearer(std::string(laptop["access_token"].as_string()));
  const auto script_auth = bearer(std::string(script["access_token"].as_string()));

  auto listed = call("GET", "/v1/me/sessions", "", laptop_auth);
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto sessions = boost::json::parse(listed.body).as_array();
  ASSERT_EQ(sessions.size(), 3u) << "the verification's session and two logins";
  auto newest = sessions[0].as_object();
  auto middle = sessions[1].as_object();
  EXPECT_EQ(newest["user_agent"].as_string().size(), 256u) << "cut to 256 characters";
  EXPECT_EQ(newest["current"], false);
  EXPECT_EQ(middle["user_agent"], "Mozilla/5.0 (X11; Linux x86_64)");
  EXPECT_EQ(middle["current"], true) << "the caller's own";
  EXPECT_EQ(sessions[2].as_object()["current"], false);
  for (const auto& entry : sessions) {
    auto s = entry.as_object();
    EXPECT_EQ(s.size(), 8u);
    EXPECT_EQ(s["client_id"], "password");
    EXPECT_TRUE(s["ip"].is_null()) << "no address is ever stored";
    for (const char* time : {"last_active_at", "expires_at", "created_at"})
      EXPECT_TRUE(s[time].is_string()) << time;
  }

  // Revoking another session ends it at once; its id then names nothing.
  const std::string script_id(newest["id"].as_string());
  EXPECT_EQ(call("DELETE", "/v1/me/sessions/" + script_id, "", laptop_auth).status, 204);
  EXPECT_EQ(call("GET", "/v1/auth/me", "", script_auth).status, 401);
  EXPECT_EQ(code_of(post("/v1/auth/refresh", {{"refresh_token", script["refresh_token"]}})),
            "AUTH_SESSION_EXPIRED");
  auto again = call("DELETE", "/v1/me/sessions/" + script_id, "", laptop_auth);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(code_of(again), "SESSION_NOT_FOUND");
  EXPECT_EQ(
      boost::json::parse(call("GET", "/v1/me/sessions", "", laptop_auth).body).as_array().size(),
      2u);

  // Another user's session, an unknown id and a malformed one: the same 404.
  auto other = active_user("tom@example.com");
  const auto other_auth = bearer(std::string(other["access_token"].as_string()));
  auto others = boost::json::parse(call("GET", "/v1/me/sessions", "", other_auth).body).as_array();
  ASSERT_EQ(others.size(), 1u) << "only one's own sessions";
  const std::string other_id(others[0].as_object()["id"].as_string());
  for (const std::string& id :
       {other_id, std::string("0190f5c2-7b1a-7cde-8f00-123456789abc"), std::string("not-a-uuid")}) {
    auto r = call("DELETE", "/v1/me/sessions/" + id, "", laptop_auth);
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(code_of(r), "SESSION_NOT_FOUND") << id;
  }
  EXPECT_EQ(call("GET", "/v1/auth/me", "", other_auth).status, 200) << "untouched";

  // Anonymous callers, and the caller's own session revoked through the route.
  EXPECT_EQ(call("GET", "/v1/me/sessions").status, 401);
  EXPECT_EQ(call("DELETE", "/v1/me/sessions/" + other_id).status, 401);
  const std::string own_id(middle["id"].as_string());
  EXPECT_EQ(call("DELETE", "/v1/me/sessions/" + own_id, "", laptop_auth).status, 204);
  EXPECT_EQ(code_of(call("GET", "/v1/me/sessions", "", laptop_auth)), "AUTH_UNAUTHORIZED");
  EXPECT_EQ(code_of(call("DELETE", "/v1/me/sessions/" + own_id, "", laptop_auth)),
            "AUTH_UNAUTHORIZED");
}

TEST_F(AccountsTest, TheExportHoldsEverythingStoredAboutThePersonAndNothingOfAnyoneElse) {
  auto ada = active_user("ada@example.com");
  const std::string ada_id(ada["user"].as_object()["id"].as_string());
  const auto auth = bearer(std::string(ada["access_token"].as_string()));
  auto bob = active_user("bob@example.com");
  const auto bob_auth = bearer(std::string(bob["access_token"].as_string()));
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"acme","name":"Acme"})", auth).status, 201);
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"bobs","name":"Bob's"})", bob_auth).status, 201);
  ASSERT_EQ(call("POST", "/v1/orgs/bobs/members", R"({"email":"ada@example.com","role":"viewer"})",
                 bob_auth)
                .status,
            201);
  ASSERT_EQ(call("PUT", "/v1/me/telemetry-prefs", R"({"telemetry_opt_out":false})", auth).status,
            200);
  app_->emitter().flush();

  auto r = call("GET", "/v1/auth/me/export", "", auth);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-disposition"),
            "attachment; filename=\"ferrlabs-export-" + ada_id + ".json\"");
  EXPECT_EQ(r.header("cache-control"), "no-store");
  auto body = json(r);
  EXPECT_EQ(body["exported_at"], core::format_rfc3339_ms(clock_.now()).c_str());
  EXPECT_EQ(body["user"].as_object()["email"], "ada@example.com");
  EXPECT_EQ(body["telemetry_prefs"].as_object()["telemetry_opt_out"], false);
  EXPECT_EQ(body["sessions"].as_array().size(), 1u);
  EXPECT_EQ(body["sessions"].as_array()[0].as_object()["current"], true);
  EXPECT_TRUE(body["api_tokens"].as_array().empty());
  auto memberships = body["memberships"].as_array();
  ASSERT_EQ(memberships.size(), 2u);
  EXPECT_EQ(memberships[0].as_object()["slug"], "acme");
  EXPECT_EQ(memberships[0].as_object()["role"], "owner");
  EXPECT_EQ(memberships[1].as_object()["slug"], "bobs");
  EXPECT_EQ(memberships[1].as_object()["role"], "viewer");
  EXPECT_TRUE(memberships[1].as_object()["joined_at"].is_string());
  auto audit = body["audit_entries_by_you"].as_array();
  ASSERT_EQ(audit.size(), 1u) << "ada created acme; bob added her to his org";
  EXPECT_EQ(audit[0].as_object()["action"], "org.created");
  EXPECT_EQ(audit[0].as_object()["actor_id"], ada_id.c_str());

  // Telemetry: the rows under her pseudonym (the keyed hash b3sum computes), none of Bob's.
  auto telemetry = body["telemetry"].as_object();
  const std::string pseudonym = testing::b3sum_pseudonym(ada_id);
  EXPECT_EQ(telemetry["pseudonym"], pseudonym.c_str());
  EXPECT_EQ(telemetry["key_id"], "8e1199f3");
  std::multiset<std::string> events;
  for (const auto& e : telemetry["events"].as_array()) {
    auto row = e.as_object();
    events.insert(std::string(row["event"].as_string()));
    EXPECT_FALSE(row.contains("id")) << "every column but the internal id";
    const bool user_row = row["user_hash"] == pseudonym.c_str();
    const bool actor_row = row["properties"].as_object().contains("actor_hash") &&
                           row["properties"].as_object()["actor_hash"] == pseudonym.c_str();
    EXPECT_TRUE(user_row || actor_row) << boost::json::serialize(row);
  }
  EXPECT_EQ(events, (std::multiset<std::string>{"auth.signup", "org.created"}))
      << "her sign-up and the org she created; Bob's adding her is his act";

  // One export a minute (429 with Retry-After), then another.
  clock_.advance(30s);
  auto again = call("GET", "/auth/me/export", "", auth);
  EXPECT_EQ(again.status, 429);
  EXPECT_EQ(code_of(again), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(again.header("retry-after"), "30");
  EXPECT_EQ(call("GET", "/v1/auth/me/export", "", bob_auth).status, 200) << "Bob's own slot";
  clock_.advance(30s);
  EXPECT_EQ(call("GET", "/auth/me/export", "", auth).status, 200);
  EXPECT_EQ(call("GET", "/v1/auth/me/export").status, 401);
  ASSERT_EQ(call("POST", "/v1/auth/logout", "", auth).status, 204);
  clock_.advance(2min);
  EXPECT_EQ(call("GET", "/v1/auth/me/export", "", auth).status, 401);
}

TEST_F(AccountsTest, PasswordResetFlow) {
  auto tokens = active_user("rio@example.com");
  std::string old_access(tokens["access_token"].as_string());
  clock_.advance(2min);
  EXPECT_EQ(post("/auth/forgot-password", {{"email", "nobody@example.com"}}).status, 202);
  EXPECT_EQ(post("/auth/forgot-password", {{"email", "RIO@example.com"}}).status, 202);
  auto token = mailbox_->reset_token_for("rio@example.com", 2);
  ASSERT_TRUE(token);
  EXPECT_TRUE(mailbox_->messages_to("nobody@example.com").empty());

  auto weak = post("/auth/reset-password", {{"token", *token}, {"password", "short"}});
  EXPECT_EQ(code_of(weak), "USER_PASSWORD_TOO_WEAK");
  auto bogus =
      post("/auth/reset-password", {{"token", "bogus"}, {"password", "a brand new passphrase"}});
  EXPECT_EQ(bogus.status, 400);
  EXPECT_EQ(code_of(bogus), "AUTH_PASSWORD_RESET_TOKEN_INVALID");

  auto done =
      post("/auth/reset-password", {{"token", *token}, {"password", "a brand new passphrase"}});
  EXPECT_EQ(done.status, 204);
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(old_access)).status, 401)
      << "every session is revoked";
  EXPECT_EQ(code_of(post("/auth/refresh", {{"refresh_token", tokens["refresh_token"]}})),
            "AUTH_SESSION_EXPIRED");
  EXPECT_EQ(login("rio@example.com").status, 401);
  EXPECT_EQ(login("rio@example.com", "a brand new passphrase").status, 200);
  auto reused =
      post("/auth/reset-password", {{"token", *token}, {"password", "yet another passphrase"}});
  EXPECT_EQ(code_of(reused), "AUTH_PASSWORD_RESET_TOKEN_INVALID") << "single use";

  clock_.advance(2min);
  EXPECT_EQ(post("/auth/forgot-password", {{"email", "rio@example.com"}}).status, 202);
  auto late = mailbox_->reset_token_for("rio@example.com", 3);
  ASSERT_TRUE(late);
  clock_.advance(30min + 1s);
  auto expired =
      post("/auth/reset-password", {{"token", *late}, {"password", "yet another passphrase"}});
  EXPECT_EQ(expired.status, 410);
  EXPECT_EQ(code_of(expired), "AUTH_PASSWORD_RESET_TOKEN_EXPIRED");
}

TEST_F(AccountsTest, ForgotPasswordSendsNothingToPendingAccounts) {
  ASSERT_EQ(register_user("pen@example.com").status, 202);
  ASSERT_TRUE(mailbox_->wait_for("pen@example.com", 1));
  clock_.advance(2min);
  EXPECT_EQ(post("/auth/forgot-password", {{"email", "pen@example.com"}}).status, 202);
  EXPECT_EQ(mailbox_->messages_to("pen@example.com").size(), 1u);
}

TEST_F(AccountsTest, ProfileUpdates) {
  auto tokens = active_user("val@example.com");
  std::string auth = bearer(std::string(tokens["access_token"].as_string()));
  auto set = call("PATCH", "/auth/me",
                  R"({"display_name":"Val","timezone":"Europe/Paris","locale":"fr-FR"})", auth);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(json(set)["display_name"], "Val");
  EXPECT_EQ(json(set)["timezone"], "Europe/Paris");
  EXPECT_EQ(json(set)["locale"], "fr-FR");
  auto cleared = call("PATCH", "/auth/me", R"({"display_name":null})", auth);
  EXPECT_TRUE(json(cleared)["display_name"].is_null());
  EXPECT_EQ(json(cleared)["timezone"], "Europe/Paris") << "absent members are left alone";

  auto tz = call("PATCH", "/auth/me", R"({"timezone":"Mars/Olympus"})", auth);
  EXPECT_EQ(tz.status, 400);
  EXPECT_EQ(code_of(tz), "USER_INVALID_TIMEZONE");
  auto locale = call("PATCH", "/auth/me", R"({"locale":"french"})", auth);
  EXPECT_EQ(code_of(locale), "USER_INVALID_LOCALE");
  auto name =
      call("PATCH", "/auth/me", R"({"display_name":")" + std::string(101, 'x') + "\"}", auth);
  EXPECT_EQ(code_of(name), "VALIDATION_FAILED");
  EXPECT_EQ(code_of(call("PATCH", "/auth/me", R"({"email":"x@y.z"})", auth)), "VALIDATION_FAILED");
  EXPECT_EQ(call("PATCH", "/auth/me", R"({"locale":"en"})").status, 401);
}

TEST_F(AccountsTest, TelemetryPreferences) {
  auto tokens = active_user("tess@example.com");
  std::string auth = bearer(std::string(tokens["access_token"].as_string()));
  auto initial = call("GET", "/v1/me/telemetry-prefs", "", auth);
  EXPECT_EQ(initial.status, 200);
  EXPECT_EQ(initial.body, R"({"telemetry_opt_out":false})");
  auto set = call("PUT", "/v1/me/telemetry-prefs", R"({"telemetry_opt_out":true})", auth);
  EXPECT_EQ(set.body, R"({"telemetry_opt_out":true})");
  EXPECT_EQ(call("GET", "/v1/me/telemetry-prefs", "", auth).body, R"({"telemetry_opt_out":true})");
  EXPECT_EQ(code_of(call("PUT", "/v1/me/telemetry-prefs", R"({"telemetry_opt_out":"yes"})", auth)),
            "VALIDATION_FAILED");
  EXPECT_EQ(code_of(call("PUT", "/v1/me/telemetry-prefs", R"({})", auth)), "VALIDATION_FAILED");
  EXPECT_EQ(call("GET", "/v1/me/telemetry-prefs").status, 401);
  EXPECT_EQ(call("PUT", "/v1/me/telemetry-prefs", R"({"telemetry_opt_out":true})").status, 401);
}

TEST_F(AccountsTest, PerIpRateLimitOnUnauthenticatedAuthRoutes) {
  start({{"FERRLABS_AUTH_RATE", "1"}, {"TRUSTED_PROXY_HOPS", "1"}});
  auto from = [](const std::string& ip) { return "X-Forwarded-For: " + ip + "\r\n"; };
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(
        post("/auth/login", {{"email", "x@example.com"}, {"password", "p"}}, from("203.0.113.7"))
            .status,
        401);
  auto limited =
      post("/auth/login", {{"email", "x@example.com"}, {"password", "p"}}, from("203.0.113.7"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(code_of(limited), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(
      post("/auth/register", {{"email", "x@example.com"}, {"password", "p"}}, from("203.0.113.7"))
          .status,
      429)
      << "one bucket for the four routes";
  EXPECT_EQ(
      post("/auth/login", {{"email", "y@example.com"}, {"password", "p"}}, from("198.51.100.1"))
          .status,
      401)
      << "another client has its own bucket";
  EXPECT_EQ(post("/auth/refresh", {{"refresh_token", "x"}}, from("203.0.113.7")).status, 401)
      << "refresh is not limited";
  clock_.advance(1s);
  EXPECT_EQ(
      post("/auth/login", {{"email", "z@example.com"}, {"password", "p"}}, from("203.0.113.7"))
          .status,
      401)
      << "a token comes back each second";
}

TEST_F(AccountsTest, RateLimitBehindAProxyThatAddsItsOwnForwardedForLine) {
  // HAProxy's `option forwardfor` adds a line of its own after the client's: the client's forged
  // first line must not choose the bucket. The clock does not move, so no token comes back.
  start({{"FERRLABS_AUTH_RATE", "1"}, {"TRUSTED_PROXY_HOPS", "1"}});
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = post(
        "/auth/login", {{"email", "x@example.com"}, {"password", "p"}},
        "X-Forwarded-For: 10.0." + std::to_string(i) + ".1\r\nX-Forwarded-For: 198.51.100.9\r\n");
    if (r.status == 429) ++limited;
  }
  EXPECT_EQ(limited, 4) << "a burst of 4, then one bucket for 198.51.100.9";
}

TEST_F(AccountsTest, ConcurrentRegistrationsOfOneAddressCreateOneAccount) {
  std::vector<std::future<int>> attempts;
  for (int i = 0; i < 8; ++i)
    attempts.push_back(
        std::async(std::launch::async, [&] { return register_user("twin@example.com").status; }));
  for (auto& a : attempts) EXPECT_EQ(a.get(), 202);
  auto code = mailbox_->code_for("twin@example.com");
  ASSERT_TRUE(code);
  EXPECT_EQ(mailbox_->messages_to("twin@example.com").size(), 1u)
      << "one code mail within the minute";
  ASSERT_EQ(post("/auth/verify-email", {{"email", "twin@example.com"}, {"code", *code}}).status,
            200);
  EXPECT_EQ(login("twin@example.com").status, 200);
}

}  // namespace
}  // namespace ferr

namespace ferr {
namespace {

std::string stored_hash(const std::filesystem::path& db_path, const std::string& email) {
  auto db = storage::sqlite::Database::open(db_path.string(), 0);
  if (!db) return "";
  return (*db)->read([&](storage::sqlite::Connection& c) -> std::string {
    auto q = c.query("SELECT password_hash FROM users WHERE email = ?");
    if (!q) return "";
    (*q)->bind(1, email);
    auto row = (*q)->step();
    return row && *row ? (*q)->column_text(0) : "";
  });
}

TEST_F(AccountsTest, OlderHashParametersVerifyAndAreUpgradedOnLogin) {
  auto db = dir_ / "rehash.db";
  start({{"DATABASE_URL", "sqlite:" + db.string()}});
  active_user("hal@example.com");
  EXPECT_NE(stored_hash(db, "hal@example.com").find("m=64,t=1,p=1"), std::string::npos);

  start({{"DATABASE_URL", "sqlite:" + db.string()},
         {"FERRLABS_PASSWORD_MEMORY_KIB", "128"},
         {"FERRLABS_PASSWORD_ITERATIONS", "2"}});
  EXPECT_EQ(login("hal@example.com", "not the passphrase").status, 401);
  EXPECT_NE(stored_hash(db, "hal@example.com").find("m=64,t=1,p=1"), std::string::npos)
      << "a failed login changes nothing";
  EXPECT_EQ(login("hal@example.com").status, 200) << "the old hash still verifies";
  EXPECT_NE(stored_hash(db, "hal@example.com").find("m=128,t=2,p=1"), std::string::npos)
      << "and is upgraded to the current parameters";
  EXPECT_EQ(login("hal@example.com").status, 200);
}

std::int64_t user_count(const std::filesystem::path& db_path) {
  auto db = storage::sqlite::Database::open(db_path.string(), 0);
  if (!db) return -1;
  return (*db)->read([&](storage::sqlite::Connection& c) -> std::int64_t {
    auto q = c.query("SELECT count(*) FROM users");
    if (!q) return -1;
    auto row = (*q)->step();
    return row && *row ? (*q)->column_int(0) : -1;
  });
}

// Issue 14 item 6: `<script>@example.com` was answered 202 and left a pending account the mailer
// refused to write to. Register now applies the mailer's own address rule (core::is_valid_email).
TEST_F(AccountsTest, RegisterRefusesAddressesTheMailerCannotDeliverTo) {
  auto db = dir_ / "addresses.db";
  start({{"DATABASE_URL", "sqlite:" + db.string()}});
  for (const std::string& email :
       {std::string("<script>@example.com"), std::string("\"ada\"@example.com"),
        std::string("ada@example.com\r\nBcc: eve@example.org"),
        std::string("ada\0@example.com", 16), std::string(16'000, 'a') + "@example.com"}) {
    auto r = register_user(email);
    EXPECT_EQ(r.status, 400) << email.substr(0, 40);
    EXPECT_EQ(code_of(r), "VALIDATION_FAILED") << email.substr(0, 40);
    EXPECT_EQ(json(r)["field"], "email") << email.substr(0, 40);
  }
  EXPECT_EQ(user_count(db), 0) << "no pending account for an address no mail can reach";
  EXPECT_TRUE(std::filesystem::is_empty(mailbox_->dir()));

  EXPECT_EQ(register_user("o'brien@example.ie").status, 202) << "atext symbols stay accepted";
  EXPECT_TRUE(mailbox_->code_for("o'brien@example.ie")) << "and the mailer delivers to them";
  EXPECT_EQ(user_count(db), 1);
}

// Issue 14 item 7: on no compiled-in list, and accepted until zxcvbn's estimate was added.
TEST_F(AccountsTest, RegisterRefusesGuessablePasswordsAndSaysWhy) {
  for (const char* guessable : {"password123", "Password1!", "qwerty123456"}) {
    auto r = register_user("guess@example.com", guessable);
    EXPECT_EQ(r.status, 400) << guessable;
    EXPECT_EQ(code_of(r), "USER_PASSWORD_TOO_WEAK") << guessable;
    EXPECT_TRUE(std::string(json(r)["error"].as_string())
                    .starts_with("password is too easy to guess (under 10^8 guesses): "))
        << r.body;
  }
  // Strong for anyone else, but made of the display name given with it.
  auto named = post("/auth/register", {{"email", "guess@example.com"},
                                       {"password", "Byron.Lovelace"},
                                       {"display_name", "Ada Byron Lovelace"}});
  EXPECT_EQ(code_of(named), "USER_PASSWORD_TOO_WEAK");
  EXPECT_EQ(json(named)["error"],
            "password is too easy to guess (under 10^8 guesses): it contains your e-mail address "
            "or name");
  EXPECT_TRUE(mailbox_->messages_to("guess@example.com").empty()) << "nothing was registered";
  EXPECT_EQ(register_user("guess@example.com", "Byron.Lovelace").status, 202);
}

// api.md: accounts are `/v1/auth/…`; the unprefixed `/auth/…` paths stay as aliases.
TEST_F(AccountsTest, EveryAccountRouteIsServedUnderV1WithTheUnprefixedPathsAsAliases) {
  EXPECT_EQ(
      post("/v1/auth/register", {{"email", "vic@example.com"}, {"password", kPassword}}).status,
      202);
  auto code = mailbox_->code_for("vic@example.com");
  ASSERT_TRUE(code);
  clock_.advance(2min);
  EXPECT_EQ(post("/v1/auth/resend-verification", {{"email", "vic@example.com"}}).status, 202);
  code = mailbox_->code_for("vic@example.com", 2);
  ASSERT_TRUE(code) << "a new code is mailed through /v1";
  auto verified = post("/v1/auth/verify-email", {{"email", "vic@example.com"}, {"code", *code}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(code_of(post("/auth/verify-email", {{"email", "vic@example.com"}, {"code", *code}})),
            "AUTH_EMAIL_ALREADY_VERIFIED")
      << "both paths reach the same account";

  auto logged_in = post("/v1/auth/login", {{"email", "vic@example.com"}, {"password", kPassword}});
  ASSERT_EQ(logged_in.status, 200) << logged_in.body;
  std::string access(json(logged_in)["access_token"].as_string());
  std::string refresh(json(logged_in)["refresh_token"].as_string());
  auto renamed = call("PATCH", "/v1/auth/me", R"({"display_name":"Vic"})", bearer(access));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  auto me_v1 = call("GET", "/v1/auth/me", "", bearer(access));
  auto me = call("GET", "/auth/me", "", bearer(access));
  ASSERT_EQ(me_v1.status, 200);
  EXPECT_EQ(me_v1.body, me.body);
  EXPECT_EQ(json(me_v1)["display_name"], "Vic");

  auto refreshed = post("/v1/auth/refresh", {{"refresh_token", refresh}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  auto again = post("/auth/refresh", {{"refresh_token", refresh}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json(again)["refresh_token"], json(refreshed)["refresh_token"])
      << "the rotation done through /v1 is seen through the alias: the same successor, reissued";
  auto fresh = post("/auth/login", {{"email", "vic@example.com"}, {"password", kPassword}});
  std::string access2(json(fresh)["access_token"].as_string());
  EXPECT_EQ(call("POST", "/v1/auth/logout", "", bearer(access2)).status, 204);
  EXPECT_EQ(call("GET", "/auth/me", "", bearer(access2)).status, 401);

  clock_.advance(2min);
  EXPECT_EQ(post("/v1/auth/forgot-password", {{"email", "vic@example.com"}}).status, 202);
  auto reset = mailbox_->reset_token_for("vic@example.com", 3);
  ASSERT_TRUE(reset);
  EXPECT_EQ(
      post("/v1/auth/reset-password", {{"token", *reset}, {"password", "a brand new passphrase"}})
          .status,
      204);
  EXPECT_EQ(login("vic@example.com", "a brand new passphrase").status, 200);
}

TEST_F(AccountsTest, TheAliasesShareTheLoginThrottleAndThePerIpBucket) {
  start({{"FERRLABS_AUTH_RATE", "1"}, {"TRUSTED_PROXY_HOPS", "1"}});
  const std::string from = "X-Forwarded-For: 203.0.113.9\r\n";
  active_user("ali@example.com");
  auto login_at = [&](const std::string& path, const std::string& password) {
    return post(path, {{"email", "ali@example.com"}, {"password", password}}, from);
  };
  EXPECT_EQ(login_at("/auth/login", "wrong passphrase!").status, 401);
  EXPECT_EQ(login_at("/v1/auth/login", "wrong passphrase!").status, 401);
  EXPECT_EQ(login_at("/auth/login", "wrong passphrase!").status, 401);
  EXPECT_EQ(login_at("/v1/auth/login", "wrong passphrase!").status, 401);
  auto limited = login_at("/v1/auth/login", kPassword);
  EXPECT_EQ(code_of(limited), "RATE_LIMIT_EXCEEDED") << "four requests used one burst of 4";
  EXPECT_EQ(post("/v1/auth/register", {{"email", "x@example.com"}, {"password", "p"}}, from).status,
            429);
  clock_.advance(1s);
  EXPECT_EQ(login_at("/v1/auth/login", "wrong passphrase!").status, 401);
  clock_.advance(1s);
  auto locked = login_at("/auth/login", kPassword);
  EXPECT_EQ(locked.status, 423) << "five failures over both paths lock the account";
  EXPECT_EQ(code_of(locked), "AUTH_ACCOUNT_TEMPORARILY_LOCKED");
}

}  // namespace
}  // namespace ferr
