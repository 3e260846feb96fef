// The account rules both storage backends ask inside their transactions.

#include "domain/accounts/account_rules.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace ferr::domain::accounts {
namespace {

using namespace std::chrono_literals;

TEST(DecideRegistration, CreatesUpdatesPendingAndLeavesActiveAlone) {
  EXPECT_EQ(decide_registration(std::nullopt), RegisterAction::create);
  EXPECT_EQ(decide_registration(StoredStatus::pending), RegisterAction::update_pending);
  EXPECT_EQ(decide_registration(StoredStatus::active), RegisterAction::leave_active);
}

class DecideRefresh : public ::testing::Test {
 protected:
  StoredRefreshToken token(bool rotated, bool revoked, core::TimePoint expires) const {
    StoredRefreshToken t;
    t.expires_at = expires;
    if (rotated) t.rotated_at = now_ - 1min;
    t.session_revoked = revoked;
    return t;
  }

  core::TimePoint now_ = core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5));
  core::TimePoint later_ = now_ + 1h;
};

TEST_F(DecideRefresh, ALiveUnspentTokenRotates) {
  EXPECT_EQ(decide_refresh(token(false, false, later_), now_), RefreshAction::rotate);
}

TEST_F(DecideRefresh, ASpentTokenRevokesTheFamilyWhateverElseHolds) {
  // Reuse is checked first: a copy of a spent token ends its session even once expired, and
  // whether or not the session was already revoked.
  for (bool revoked : {false, true}) {
    for (auto expires : {later_, now_, now_ - 1h}) {
      EXPECT_EQ(decide_refresh(token(true, revoked, expires), now_), RefreshAction::revoke_family)
          << revoked;
    }
  }
}

TEST_F(DecideRefresh, ASpentTokenBackWithinTheGraceWindowIsReissued) {
  StoredRefreshToken spent = token(false, false, later_);
  spent.rotated_at = now_;
  EXPECT_EQ(decide_refresh(spent, now_), RefreshAction::reissue) << "a concurrent refresh";
  EXPECT_EQ(decide_refresh(spent, now_ + kRefreshGrace), RefreshAction::reissue)
      << "the window is inclusive";
  EXPECT_EQ(decide_refresh(spent, now_ + kRefreshGrace + 1ns), RefreshAction::revoke_family);
  spent.session_revoked = true;
  EXPECT_EQ(decide_refresh(spent, now_), RefreshAction::revoke_family)
      << "a revoked session is never revived";
}

TEST_F(DecideRefresh, AnExpiredTokenIsRefusedFromItsExpiryOn) {
  EXPECT_EQ(decide_refresh(token(false, false, now_), now_), RefreshAction::refuse)
      << "expiry is exclusive";
  EXPECT_EQ(decide_refresh(token(false, false, now_ - 1ns), now_), RefreshAction::refuse);
  EXPECT_EQ(decide_refresh(token(false, false, now_ + 1ns), now_), RefreshAction::rotate);
}

TEST_F(DecideRefresh, ATokenOfARevokedSessionIsRefused) {
  EXPECT_EQ(decide_refresh(token(false, true, later_), now_), RefreshAction::refuse);
  EXPECT_EQ(decide_refresh(token(false, true, now_ - 1h), now_), RefreshAction::refuse);
}

}  // namespace
}  // namespace ferr::domain::accounts
