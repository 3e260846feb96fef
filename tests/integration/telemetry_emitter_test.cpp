// The server-side emitter end to end: for each of the seven handlers, the row that appears (its
// pseudonyms checked against b3sum, its properties, origin and key id); nothing for refused
// requests, no-ops and idempotent replays; opt-outs; and business answers that telemetry
// failures cannot change.

#include <gtest/gtest.h>

#include "domain/telemetry/emitter.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "support/faulty_store.hpp"
#include "support/org_fixture.hpp"
#include "support/stored_events.hpp"

namespace ferr {
namespace {

using testing::b3sum_pseudonym;
using testing::FaultyStore;
using testing::stored_events;
using testing::StoredEvent;

class EmitterTest : public testing::OrgFixture {
 protected:
  std::vector<StoredEvent> events(const std::string& name) {
    app_->emitter().flush();
    return stored_events(*app_, name);
  }
  std::string org_id(const std::string& slug = "acme", const std::string& who = "owner") {
    return std::string(json(call("GET", "/v1/orgs/" + slug, "", auth_[who]))["id"].as_string());
  }
  std::uint64_t outcome(const std::string& name) {
    auto text = call("GET", "/metrics").body;
    auto line = "telemetry_events_total{outcome=\"" + name + "\"} ";
    auto at = text.find(line);
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + line.size()));
  }
  void expect_server_row(const StoredEvent& row) {
    EXPECT_EQ(row.surface, "ferrlabs");
    EXPECT_EQ(row.origin, "server");
    EXPECT_EQ(row.key_id, "8e1199f3") << "the key id of the test key (telemetry.md §2)";
    EXPECT_EQ(row.schema_version, 1);
    EXPECT_FALSE(row.event_id);
    EXPECT_EQ(row.occurred_at, row.received_at);
  }
};

TEST_F(EmitterTest, SignupAndLoginCarryTheUserPseudonym) {
  auto signups = events("auth.signup");
  ASSERT_EQ(signups.size(), 6u) << "six accounts were verified by the fixture";
  expect_server_row(signups[0]);
  EXPECT_EQ(signups[0].user_hash, b3sum_pseudonym(id_["owner"]));
  EXPECT_FALSE(signups[0].org_hash);
  EXPECT_TRUE(testing::properties_are(signups[0], R"({"method":"password"})"));
  EXPECT_EQ(signups[0].occurred_at, 1777939200000) << "the injected clock: 2026-05-05";

  ASSERT_EQ(login("member@example.com").status, 200);
  ASSERT_EQ(login("member@example.com", "wrong password!").status, 401);
  auto logins = events("auth.login");
  ASSERT_EQ(logins.size(), 1u) << "a failed login emits nothing";
  expect_server_row(logins[0]);
  EXPECT_EQ(logins[0].user_hash, b3sum_pseudonym(id_["member"]));
  EXPECT_TRUE(testing::properties_are(logins[0], R"({"method":"password"})"));
}

TEST_F(EmitterTest, OrgCreatedAndMemberAdded) {
  auto created = events("org.created");
  ASSERT_EQ(created.size(), 1u);
  expect_server_row(created[0]);
  EXPECT_EQ(created[0].org_hash, b3sum_pseudonym(org_id()));
  EXPECT_EQ(created[0].user_hash, b3sum_pseudonym(id_["owner"])) << "the creator";
  EXPECT_TRUE(testing::properties_are(created[0], "{}"));

  auto added = events("org.member.added");
  ASSERT_EQ(added.size(), 3u);
  auto actor = b3sum_pseudonym(id_["owner"]);
  const std::vector<std::string> roles{"admin", "member", "viewer"};  // in the fixture's order
  for (std::size_t i = 0; i < added.size(); ++i) {
    expect_server_row(added[i]);
    EXPECT_EQ(added[i].org_hash, b3sum_pseudonym(org_id()));
    EXPECT_FALSE(added[i].user_hash) << "the new member is not identified";
    EXPECT_TRUE(testing::properties_are(
        added[i], R"({"actor_hash":")" + actor + R"(","role":")" + roles[i] + R"("})"));
  }
  ASSERT_EQ(
      call("POST", "/v1/orgs/acme/members", R"({"email":"extra@example.com"})", auth_["viewer"])
          .status,
      403);
  EXPECT_EQ(events("org.member.added").size(), 3u) << "a refused request emits nothing";
}

TEST_F(EmitterTest, ProductEventsOnlyWhenSomethingChanges) {
  const std::string base = "/v1/orgs/acme/subscriptions";
  ASSERT_EQ(call("POST", base, R"({"product":"ferrvault","tier":"pro"})", auth_["admin"]).status,
            201);
  ASSERT_EQ(call("POST", base, R"({"product":"ferrvault"})", auth_["admin"]).status, 409);
  ASSERT_EQ(call("PATCH", base + "/ferrvault", R"({"tier":"pro"})", auth_["admin"]).status, 200);
  ASSERT_EQ(call("PATCH", base + "/ferrvault", R"({"tier":"team"})", auth_["admin"]).status, 200);
  ASSERT_EQ(call("DELETE", base + "/ferrvault", "", auth_["admin"]).status, 200);
  ASSERT_EQ(call("DELETE", base + "/ferrvault", "", auth_["admin"]).status, 404);

  auto org = b3sum_pseudonym(org_id());
  auto activated = events("product.activated");
  ASSERT_EQ(activated.size(), 1u) << "the 409 emits nothing";
  expect_server_row(activated[0]);
  EXPECT_EQ(activated[0].org_hash, org);
  EXPECT_FALSE(activated[0].user_hash);
  EXPECT_TRUE(testing::properties_are(activated[0], R"({"product":"ferrvault","tier":"pro"})"));
  auto changed = events("product.tier_changed");
  ASSERT_EQ(changed.size(), 1u) << "the same tier emits nothing";
  EXPECT_EQ(changed[0].org_hash, org);
  EXPECT_TRUE(testing::properties_are(
      changed[0], R"({"product":"ferrvault","tier_from":"pro","tier_to":"team"})"));
  auto canceled = events("product.canceled");
  ASSERT_EQ(canceled.size(), 1u);
  EXPECT_EQ(canceled[0].org_hash, org);
  EXPECT_TRUE(testing::properties_are(canceled[0], R"({"product":"ferrvault"})"));
}

TEST_F(EmitterTest, IdempotentReplaysEmitNothing) {
  auto key = [](const std::string& k) { return "Idempotency-Key: " + k + "\r\n"; };
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(
        call("POST", "/v1/orgs", R"({"slug":"beta","name":"Beta"})", auth_["owner"] + key("o"))
            .status,
        201);
    ASSERT_EQ(call("POST", "/v1/orgs/acme/members", R"({"email":"extra@example.com"})",
                   auth_["owner"] + key("m"))
                  .status,
              201);
    ASSERT_EQ(call("POST", "/v1/orgs/acme/subscriptions", R"({"product":"ferrflow"})",
                   auth_["owner"] + key("s"))
                  .status,
              201);
  }
  EXPECT_EQ(events("org.created").size(), 2u) << "acme, then beta once";
  EXPECT_EQ(events("org.member.added").size(), 4u) << "three by the fixture, then extra once";
  EXPECT_EQ(events("product.activated").size(), 1u);
}

TEST_F(EmitterTest, AUsersOptOutSuppressesExactlyTheirEventsFromTheNextOne) {
  const std::string prefs = "/v1/me/telemetry-prefs";
  app_->emitter().flush();
  ASSERT_EQ(call("PUT", prefs, R"({"telemetry_opt_out":true})", auth_["member"]).status, 200);
  ASSERT_EQ(login("member@example.com").status, 200);
  ASSERT_EQ(login("viewer@example.com").status, 200);
  auto logins = events("auth.login");
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0].user_hash, b3sum_pseudonym(id_["viewer"]));
  EXPECT_GE(outcome("opted_out"), 1u);

  // A user's opt-out leaves org events alone, even those the user causes.
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"mine","name":"Mine"})", auth_["member"]).status,
            201);
  EXPECT_EQ(events("org.created").size(), 2u);

  ASSERT_EQ(call("PUT", prefs, R"({"telemetry_opt_out":false})", auth_["member"]).status, 200);
  ASSERT_EQ(login("member@example.com").status, 200);
  EXPECT_EQ(events("auth.login").size(), 2u) << "opting back in is effective at once";
}

TEST_F(EmitterTest, AnOrgsOptOutSuppressesExactlyItsEventsFromTheNextOne) {
  const std::string prefs = "/v1/orgs/acme/telemetry-prefs";
  // The flag is read when a batch is written: events still queued when the org opts out are
  // suppressed too. Write the fixture's events first.
  app_->emitter().flush();
  ASSERT_EQ(call("PUT", prefs, R"({"telemetry_opt_out":true})", auth_["admin"]).status, 200);
  ASSERT_EQ(call("POST", "/v1/orgs/acme/subscriptions", R"({"product":"ferrflow"})", auth_["admin"])
                .status,
            201);
  ASSERT_EQ(
      call("POST", "/v1/orgs/acme/members", R"({"email":"extra@example.com"})", auth_["admin"])
          .status,
      201);
  ASSERT_EQ(call("POST", "/v1/orgs", R"({"slug":"other","name":"Other"})", auth_["admin"]).status,
            201);
  ASSERT_EQ(
      call("POST", "/v1/orgs/other/subscriptions", R"({"product":"ferrflow"})", auth_["admin"])
          .status,
      201);
  ASSERT_EQ(login("admin@example.com").status, 200);

  auto activated = events("product.activated");
  ASSERT_EQ(activated.size(), 1u) << "only the other org's";
  EXPECT_EQ(activated[0].org_hash, b3sum_pseudonym(org_id("other", "admin")));
  EXPECT_EQ(events("org.member.added").size(), 3u) << "none for acme after the opt-out";
  EXPECT_EQ(events("auth.login").size(), 1u) << "an org's opt-out leaves user events alone";

  ASSERT_EQ(call("PUT", prefs, R"({"telemetry_opt_out":false})", auth_["admin"]).status, 200);
  ASSERT_EQ(
      call("PATCH", "/v1/orgs/acme/subscriptions/ferrflow", R"({"tier":"pro"})", auth_["admin"])
          .status,
      200);
  EXPECT_EQ(events("product.tier_changed").size(), 1u);
}

class FaultyTelemetryTest : public EmitterTest {
 protected:
  void SetUp() override {}  // each test starts its own server
  void start_with(FaultyStore::Mode mode, const app::RawSettings& settings = {}) {
    app::Tuning tuning;
    tuning.wrap_telemetry_store = [this, mode](domain::telemetry::TelemetryStore& real) {
      auto store = std::make_unique<FaultyStore>(real, mode);
      store_ = store.get();
      return std::unique_ptr<domain::telemetry::TelemetryStore>(std::move(store));
    };
    start(settings, tuning);
  }
  void TearDown() override {
    if (store_) store_->release();
    EmitterTest::TearDown();
  }
  FaultyStore* store_ = nullptr;
};

TEST_F(FaultyTelemetryTest, AFailingStoreChangesNoBusinessAnswer) {
  start_with(FaultyStore::Mode::fail);
  populate();
  const std::string base = "/v1/orgs/acme/subscriptions";
  EXPECT_EQ(login("owner@example.com").status, 200);
  auto activated = call("POST", base, R"({"product":"ferrflow","tier":"pro"})", auth_["owner"]);
  EXPECT_EQ(activated.status, 201);
  EXPECT_EQ(json(activated)["tier"], "pro");
  EXPECT_EQ(call("PATCH", base + "/ferrflow", R"({"tier":"team"})", auth_["owner"]).status, 200);
  EXPECT_EQ(json(call("DELETE", base + "/ferrflow", "", auth_["owner"]))["status"], "canceled");
  app_->emitter().flush();
  EXPECT_TRUE(stored_events(*app_).empty());
  EXPECT_GE(outcome("failed"), 6u + 1u + 3u + 1u + 3u) << "signups, org, members, login, products";
  EXPECT_EQ(outcome("written"), 0u);
}

TEST_F(FaultyTelemetryTest, AnEventThatOccurredWhileOptedOutStaysOutAfterOptingBackIn) {
  // Opt out, log in, opt back in, all while the writer is held: the login occurred while opted
  // out and is never stored, though the flag is false again when the writer gets to it
  // (telemetry.md §3; issue 14, item 8). A login after the opt-in is stored.
  using namespace std::chrono_literals;
  start_with(FaultyStore::Mode::stall);
  const std::string prefs = "/v1/me/telemetry-prefs";
  const auto auth =
      bearer(std::string(active_user("quiet@example.com")["access_token"].as_string()));
  clock_.advance(1s);
  ASSERT_EQ(call("PUT", prefs, R"({"telemetry_opt_out":true})", auth).status, 200);
  clock_.advance(1s);
  ASSERT_EQ(login("quiet@example.com").status, 200);
  clock_.advance(1s);
  ASSERT_EQ(call("PUT", prefs, R"({"telemetry_opt_out":false})", auth).status, 200);
  clock_.advance(1s);
  const auto opted_in_again = clock_.now();
  ASSERT_EQ(login("quiet@example.com").status, 200);

  store_->release();
  app_->emitter().flush();
  auto logins = stored_events(*app_, "auth.login");
  ASSERT_EQ(logins.size(), 1u) << "only the login after opting back in";
  EXPECT_EQ(logins[0].occurred_at,
            std::chrono::duration_cast<std::chrono::milliseconds>(opted_in_again.time_since_epoch())
                .count());
  EXPECT_EQ(outcome("opted_out"), 2u)
      << "the login while opted out, and the sign-up that was queued when the user opted out";
  EXPECT_EQ(stored_events(*app_, "auth.signup").size(), 0u);
}

TEST_F(FaultyTelemetryTest, AFullQueueDropsAndCountsWithoutBlocking) {
  start_with(FaultyStore::Mode::stall, {{"FERRLABS_TELEMETRY_QUEUE", "2"}});
  // The writer is stuck on its first batch; the queue (2) fills; later events are dropped. Every
  // request still answers: were emit() blocking, these calls would never return.
  for (int i = 0; i < 5; ++i) {
    auto tokens = active_user("v" + std::to_string(i) + "@example.com");
    ASSERT_TRUE(tokens.contains("access_token"));
  }
  // The writer holds at most 2 (its batch) and the queue 2 more: at least one is dropped.
  EXPECT_GE(outcome("dropped_queue_full"), 1u);
  store_->release();
  app_->emitter().flush();
  auto written = stored_events(*app_, "auth.signup").size();
  EXPECT_EQ(written + outcome("dropped_queue_full"), 5u) << "every event written or counted";
}

}  // namespace
}  // namespace ferr
