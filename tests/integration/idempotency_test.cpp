// `Idempotency-Key` on POST /v1/orgs, POST …/members and POST …/subscriptions: a retry of the same
// request replays the first response without a second effect, the key with another request is
// refused, keys are per user and kept 24 hours.

#include <gtest/gtest.h>

#include <future>

#include "support/org_fixture.hpp"

namespace ferr {
namespace {

using namespace std::chrono_literals;

class IdempotencyTest : public testing::OrgFixture {
 protected:
  static std::string key(const std::string& value) { return "Idempotency-Key: " + value + "\r\n"; }

  testing::HttpReply post_with_key(const std::string& path, const std::string& body,
                                   const std::string& k, const std::string& who = "owner") {
    return call("POST", path, body, auth_[who] + key(k));
  }
  std::size_t audit_rows() {
    return boost::json::parse(call("GET", "/v1/orgs/acme/audit?limit=200", "", auth_["owner"]).body)
        .as_array()
        .size();
  }
  // Access tokens last 15 minutes: after moving the clock by hours, log in again.
  void relogin(const std::string& who) {
    auth_[who] = bearer(std::string(json(login(who + "@example.com"))["access_token"].as_string()));
  }
};

TEST_F(IdempotencyTest, ARetryReplaysTheFirstResponseOnEachCreatingRoute) {
  struct Route {
    std::string path, body;
  };
  for (const auto& [path, body] : std::vector<Route>{
           {"/v1/orgs/acme/subscriptions", R"({"product":"ferrflow","tier":"pro"})"},
           {"/v1/orgs/acme/members", R"({"email":"extra@example.com","role":"viewer"})"},
       }) {
    auto first = post_with_key(path, body, "k-" + path);
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first.header("idempotent-replayed"), "");
    auto rows = audit_rows();
    auto retry = post_with_key(path, body, "k-" + path);
    EXPECT_EQ(retry.status, 201) << path;
    EXPECT_EQ(retry.body, first.body) << path;
    EXPECT_EQ(retry.header("idempotent-replayed"), "true");
    EXPECT_EQ(retry.header("content-type"), "application/json");
    EXPECT_EQ(audit_rows(), rows) << "no second effect: " << path;
    // Without the key the same request runs again and meets the first one's effect.
    EXPECT_EQ(call("POST", path, body, auth_["owner"]).status, 409) << path;
  }

  auto org = post_with_key("/v1/orgs", R"({"slug":"beta","name":"Beta"})", "org-1");
  ASSERT_EQ(org.status, 201);
  auto again = post_with_key("/v1/orgs", R"({"slug":"beta","name":"Beta"})", "org-1");
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, org.body);
  auto orgs = boost::json::parse(call("GET", "/v1/orgs", "", auth_["owner"]).body).as_array();
  EXPECT_EQ(orgs.size(), 2u) << "one org beta, not two";
}

TEST_F(IdempotencyTest, TheKeyWithADifferentRequestIsRefused) {
  ASSERT_EQ(post_with_key("/v1/orgs", R"({"slug":"beta","name":"Beta"})", "k1").status, 201);
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {"/v1/orgs", R"({"slug":"beta","name":"Beta 2"})"},
           {"/v1/orgs", R"({"name":"Beta","slug":"beta"})"},  // the exact bytes count
           {"/v1/orgs/acme/subscriptions", R"({"slug":"beta","name":"Beta"})"},
       }) {
    auto r = post_with_key(path, body, "k1");
    EXPECT_EQ(r.status, 422) << path << " " << body;
    EXPECT_EQ(code_of(r), "IDEMPOTENCY_KEY_REUSED");
  }
  auto orgs = boost::json::parse(call("GET", "/v1/orgs", "", auth_["owner"]).body).as_array();
  EXPECT_EQ(orgs.size(), 2u);
}

TEST_F(IdempotencyTest, KeysArePerUser) {
  ASSERT_EQ(post_with_key("/v1/orgs", R"({"slug":"beta","name":"Beta"})", "shared").status, 201);
  auto other = post_with_key("/v1/orgs", R"({"slug":"beta","name":"Beta"})", "shared", "outsider");
  EXPECT_EQ(other.status, 409) << "another user's key is not a replay: the request ran";
  EXPECT_EQ(code_of(other), "ORG_SLUG_TAKEN");
}

TEST_F(IdempotencyTest, AnErrorAnswerIsReplayedToo) {
  const std::string body = R"({"product":"ferrvault"})";
  ASSERT_EQ(call("POST", "/v1/orgs/acme/subscriptions", body, auth_["owner"]).status, 201);
  auto refused = post_with_key("/v1/orgs/acme/subscriptions", body, "late");
  ASSERT_EQ(refused.status, 409);
  ASSERT_EQ(call("DELETE", "/v1/orgs/acme/subscriptions/ferrvault", "", auth_["owner"]).status,
            200);
  auto retry = post_with_key("/v1/orgs/acme/subscriptions", body, "late");
  EXPECT_EQ(retry.status, 409) << "the first answer stands, although activation would now work";
  EXPECT_EQ(retry.body, refused.body);
}

TEST_F(IdempotencyTest, KeysAreKeptTwentyFourHours) {
  const std::string body = R"({"slug":"beta","name":"Beta"})";
  auto first = post_with_key("/v1/orgs", body, "day");
  ASSERT_EQ(first.status, 201);

  clock_.advance(24h - 1s);
  relogin("owner");
  auto replay = post_with_key("/v1/orgs", body, "day");
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body, first.body);

  clock_.advance(2s);
  relogin("owner");
  auto expired = post_with_key("/v1/orgs", body, "day");
  EXPECT_EQ(expired.status, 409) << "the key is forgotten: the request runs again";
  EXPECT_EQ(code_of(expired), "ORG_SLUG_TAKEN");
}

TEST_F(IdempotencyTest, KeysMustBeOneTo255PrintableCharacters) {
  const std::string body = R"({"slug":"beta","name":"Beta"})";
  for (const std::string& bad : {std::string(256, 'k'), std::string("tab\there")}) {
    auto r = post_with_key("/v1/orgs", body, bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(json(r)["field"], "Idempotency-Key");
  }
  auto empty = call("POST", "/v1/orgs", body, auth_["owner"] + "Idempotency-Key:\r\n");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(json(empty)["field"], "Idempotency-Key");
  EXPECT_EQ(post_with_key("/v1/orgs", body, std::string(255, '~')).status, 201);
  EXPECT_EQ(post_with_key("/v1/orgs", body, std::string(255, '~')).status, 201);
}

TEST_F(IdempotencyTest, ConcurrentRetriesRunOnceAndAllGetTheSameAnswer) {
  const std::string body = R"({"product":"ferrgrowth","tier":"team"})";
  std::vector<std::future<testing::HttpReply>> calls;
  for (int i = 0; i < 6; ++i)
    calls.push_back(std::async(std::launch::async, [&] {
      return post_with_key("/v1/orgs/acme/subscriptions", body, "burst");
    }));
  std::vector<testing::HttpReply> replies;
  for (auto& f : calls) replies.push_back(f.get());
  for (const auto& r : replies) {
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.body, replies.front().body);
  }
  auto audit = boost::json::parse(call("GET", "/v1/orgs/acme/audit", "", auth_["owner"]).body);
  int activations = 0;
  for (const auto& e : audit.as_array())
    activations += e.as_object().at("action") == "subscription.activated";
  EXPECT_EQ(activations, 1);
}

}  // namespace
}  // namespace ferr
