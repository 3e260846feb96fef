// The export and erasure use cases over the in-memory repositories: the session check comes
// first, one export per user per minute (with the wait), what it gathers belongs to the caller
// alone; an erasure needs the password, refuses while the person is an org's only owner, and
// removes the account and its telemetry rows, no one else's.

#include "domain/privacy/personal_data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/org_repository.hpp"
#include "fakes/recorders.hpp"
#include "fakes/telemetry_store.hpp"
#include "fakes/token_repository.hpp"

namespace ferr::domain::privacy {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;

template <typename T>
T run(core::Task<T> task) {
  return core::run_to_completion(std::move(task));
}

crypto::TelemetryKey test_key() {
  return *crypto::TelemetryKey::from_salt(core::Secret(std::string(32, 's')));
}

accounts::AccountSettings settings() {
  accounts::AccountSettings s;
  s.jwt_secret = core::Secret(std::string(32, 'j'));
  s.code_key = core::Secret(std::string(32, 'c'));
  s.refresh_key = core::Secret(std::string(32, 'r'));
  return s;
}

constexpr const char* kPassword = "a long and unusual passphrase";

class PersonalDataTest : public ::testing::Test {
 protected:
  telemetry::EventRow row_of(const std::string& user_hash) {
    telemetry::EventRow row;
    row.id = db_.next_id<core::OrgId>().value;
    row.surface = "ferrlabs";
    row.event = "auth.login";
    row.user_hash = user_hash;
    row.occurred_at = row.received_at = clock_.now();
    return row;
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  fakes::Database db_;
  fakes::FakeAccountRepository accounts_{db_};
  fakes::FakeOrgRepository orgs_{db_};
  fakes::FakeTelemetryStore telemetry_{db_};
  fakes::FakeTokenRepository tokens_{db_};
  core::SeededRandom random_{5};
  crypto::PasswordHasher hasher_{crypto::PasswordParams{1, 8192}};
  core::BlockingPool hash_pool_{1};
  fakes::RecordingMailer mailer_;
  fakes::RecordingAccountEvents events_;
  accounts::AccountService account_service_{accounts_, hasher_, hash_pool_, mailer_,
                                            events_,   clock_,  random_,    settings()};
  PersonalData service_{account_service_, accounts_,  orgs_, tokens_,
                        telemetry_,       test_key(), clock_};
};

TEST_F(PersonalDataTest, ARevokedSessionIsUnauthorizedAndTakesNoSlot) {
  auto user = db_.add_user("ada@example.com");
  auto principal = db_.sign_in(user);
  db_.revoke(principal);
  auto refused = run(service_.export_account(principal));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::auth_unauthorized);
  EXPECT_TRUE(db_.last_export_at.empty());
}

TEST_F(PersonalDataTest, OneExportAMinuteTellingHowLongToWait) {
  auto principal = db_.sign_in(db_.add_user("ada@example.com"));
  ASSERT_TRUE(run(service_.export_account(principal)));
  clock_.advance(20s + 500ms);
  auto refused = run(service_.export_account(principal));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::rate_limit_exceeded);
  EXPECT_EQ(refused.error().retry_after_seconds, 40) << "rounded up";
  clock_.advance(39s + 500ms);
  EXPECT_TRUE(run(service_.export_account(principal)));
}

TEST_F(PersonalDataTest, TheExportGathersTheCallersOwnData) {
  auto ada = db_.add_user("ada@example.com");
  auto bob = db_.add_user("bob@example.com");
  auto principal = db_.sign_in(ada);
  auto acme = db_.add_org("acme", "Acme");
  db_.add_member(acme, ada, orgs::Role::admin);
  db_.add_member(acme, bob, orgs::Role::owner);
  const std::string ada_pseudonym = crypto::pseudonym(test_key(), ada.value);
  db_.telemetry_events.push_back(row_of(ada_pseudonym));
  db_.telemetry_events.push_back(row_of(crypto::pseudonym(test_key(), bob.value)));

  auto data = run(service_.export_account(principal));
  ASSERT_TRUE(data) << data.error().message;
  EXPECT_EQ(data->user.id, ada);
  EXPECT_EQ(data->exported_at, clock_.now());
  EXPECT_EQ(data->current_session, principal.session_id);
  ASSERT_EQ(data->sessions.size(), 1u);
  ASSERT_EQ(data->memberships.size(), 1u);
  EXPECT_EQ(data->memberships[0].role, orgs::Role::admin);
  EXPECT_EQ(data->pseudonym, ada_pseudonym);
  EXPECT_EQ(data->key_id, crypto::key_id(test_key()));
  ASSERT_EQ(data->telemetry_events.size(), 1u);
  EXPECT_EQ(data->telemetry_events[0].user_hash, ada_pseudonym);
}

TEST_F(PersonalDataTest, ErasureNeedsThePasswordAndCountsAWrongOne) {
  auto ada = db_.add_user("ada@example.com", true, *hasher_.hash(kPassword));
  auto principal = db_.sign_in(ada);
  auto refused = run(service_.erase_account(principal, "not the password"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::auth_invalid_credentials);
  EXPECT_EQ(db_.login_throttle["ada@example.com"].consecutive_failures, 1);
  EXPECT_TRUE(db_.users.contains(ada));
  db_.revoke(principal);
  EXPECT_EQ(run(service_.erase_account(principal, kPassword)).error().code,
            ErrorCode::auth_unauthorized);
}

TEST_F(PersonalDataTest, ErasureIsRefusedWhileThePersonIsAnOrgsOnlyOwner) {
  auto ada = db_.add_user("ada@example.com", true, *hasher_.hash(kPassword));
  auto bob = db_.add_user("bob@example.com");
  auto acme = db_.add_org("acme", "Acme");
  auto beta = db_.add_org("beta", "Beta");
  auto shared = db_.add_org("shared", "Shared");
  db_.add_member(acme, ada, orgs::Role::owner);
  db_.add_member(beta, ada, orgs::Role::owner);
  db_.add_member(shared, ada, orgs::Role::owner);
  db_.add_member(shared, bob, orgs::Role::owner);
  auto refused = run(service_.erase_account(db_.sign_in(ada), kPassword));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::org_last_owner);
  EXPECT_EQ(refused.error().orgs, (std::vector<std::string>{"acme", "beta"}));
  EXPECT_TRUE(db_.users.contains(ada)) << "nothing changed";
  EXPECT_EQ(db_.memberships.size(), 4u);
}

TEST_F(PersonalDataTest, ErasureRemovesTheAccountAndItsTelemetryRowsOnly) {
  auto ada = db_.add_user("ada@example.com", true, *hasher_.hash(kPassword));
  auto bob = db_.add_user("bob@example.com");
  auto acme = db_.add_org("acme", "Acme");
  db_.add_member(acme, bob, orgs::Role::owner);
  db_.add_member(acme, ada, orgs::Role::admin);
  auto principal = db_.sign_in(ada);
  db_.telemetry_events.push_back(row_of(crypto::pseudonym(test_key(), ada.value)));
  db_.telemetry_events.push_back(row_of(crypto::pseudonym(test_key(), bob.value)));

  auto erased = run(service_.erase_account(principal, kPassword));
  ASSERT_TRUE(erased) << erased.error().message;
  EXPECT_FALSE(db_.users.contains(ada));
  EXPECT_TRUE(db_.users.contains(bob));
  EXPECT_EQ(db_.memberships.size(), 1u);
  EXPECT_FALSE(db_.session_live(principal));
  ASSERT_EQ(db_.telemetry_events.size(), 1u);
  EXPECT_EQ(db_.telemetry_events[0].user_hash, crypto::pseudonym(test_key(), bob.value));
  auto audit = db_.audit_of(acme);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.back().action, "org.member.removed");
  EXPECT_EQ(audit.back().actor_id, ada);
  EXPECT_EQ(audit.back().metadata, R"({"role":"admin"})");
  ASSERT_FALSE(mailer_.sent().empty());
  EXPECT_EQ(mailer_.sent().back().to, "ada@example.com");
}

}  // namespace
}  // namespace ferr::domain::privacy
