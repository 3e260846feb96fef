// The account housekeeping pass on PostgreSQL takes a transaction-level advisory lock, so that of
// several instances one runs it at a time: while another session holds the lock, a pass skips
// its turn (and deletes nothing); once it is released, the next pass runs.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/task.hpp"
#include "database_test.hpp"
#include "domain/accounts/housekeeping.hpp"
#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {
namespace {

using namespace std::chrono_literals;

class HousekeepingLock : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(pool_options(2));
    auto migrated = core::run_to_completion(db_->migrate());
    ASSERT_TRUE(migrated) << migrated.error().log_detail;
    repo_ = std::make_unique<PgAccountRepository>(*db_);
  }

  core::Result<domain::accounts::HousekeepingRemoved> pass(core::TimePoint now) {
    return core::run_to_completion(
        repo_->delete_expired(domain::accounts::housekeeping_cutoffs(now)));
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<PgAccountRepository> repo_;
};

TEST_F(HousekeepingLock, APassSkipsItsTurnWhileAnotherHoldsTheLock) {
  const core::TimePoint t0(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5));
  ASSERT_TRUE(core::run_to_completion(repo_->claim_mail_slot("m@x.io", t0, t0 - 60s)));
  const auto later = t0 + domain::accounts::HousekeepingAges::mail_throttle + 1s;

  auto other = connect();
  ASSERT_TRUE(other);
  const std::string key = std::to_string(kHousekeepingLockKey);
  exec(*other, "SELECT pg_advisory_lock(" + key + ")");
  auto skipped = pass(later);
  ASSERT_TRUE(skipped) << skipped.error().log_detail;
  EXPECT_FALSE(skipped->ran);
  EXPECT_EQ(skipped->mail_throttle, 0);

  exec(*other, "SELECT pg_advisory_unlock(" + key + ")");
  auto ran = pass(later);
  ASSERT_TRUE(ran) << ran.error().log_detail;
  EXPECT_TRUE(ran->ran);
  EXPECT_EQ(ran->mail_throttle, 1);
  auto again = pass(later);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->ran) << "the lock ended with the pass's transaction";
}

}  // namespace
}  // namespace ferr::storage::postgres
