// The export use case over the in-memory repositories: the session check comes first, one export
// per user per minute (with the wait), and what it gathers belongs to the caller alone.

#include "domain/privacy/personal_data.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/org_repository.hpp"
#include "fakes/telemetry_store.hpp"

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
  PersonalData service_{accounts_, orgs_, telemetry_, test_key(), clock_};
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

}  // namespace
}  // namespace ferr::domain::privacy
