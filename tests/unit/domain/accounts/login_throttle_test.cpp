#include <gtest/gtest.h>

#include "domain/accounts/login_throttle.hpp"

namespace ferr::domain::accounts {
namespace {

TEST(LoginLock, FollowsTheTiersOfTheSpec) {
  using std::chrono::seconds;
  for (int f = 0; f < 5; ++f) EXPECT_EQ(login_lock_for(f), seconds(0)) << f;
  for (int f = 5; f < 10; ++f) EXPECT_EQ(login_lock_for(f), seconds(60)) << f;
  for (int f = 10; f < 20; ++f) EXPECT_EQ(login_lock_for(f), seconds(300)) << f;
  EXPECT_EQ(login_lock_for(20), seconds(3600));
  EXPECT_EQ(login_lock_for(1000), seconds(3600));
}

}  // namespace
}  // namespace ferr::domain::accounts
