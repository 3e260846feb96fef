// Housekeeping: the cut-offs are now minus the domain's ages, and the job runs a pass at start,
// another on request, counts what each removed and each failure in the metrics, and stops.

#include "domain/accounts/housekeeping.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "core/background_loop.hpp"
#include "core/metrics.hpp"
#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"

namespace ferr::domain::accounts {
namespace {

using namespace std::chrono_literals;

const core::TimePoint kStart(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5));

TEST(HousekeepingCutoffs, AreNowMinusEachAge) {
  auto c = housekeeping_cutoffs(kStart);
  EXPECT_EQ(c.now, kStart);
  EXPECT_EQ(c.pending_registered_before, kStart - 7 * 24h);
  EXPECT_EQ(c.codes_expired_before, kStart - 24h);
  EXPECT_EQ(c.reset_tokens_ended_before, kStart - 24h);
  EXPECT_EQ(c.mail_sent_before, kStart - 24h);
  EXPECT_EQ(c.login_failed_before, kStart - 24h);
  EXPECT_EQ(c.sessions_ended_before, kStart - 30 * 24h);
  EXPECT_EQ(c.refresh_tokens_expired_before, kStart - 30 * 24h);
}

std::uint64_t series(const core::MetricsRegistry& metrics, const std::string& name) {
  auto text = metrics.render();
  auto at = text.find(name + " ");
  return at == std::string::npos ? 0 : std::stoull(text.substr(at + name.size() + 1));
}

TEST(HousekeepingJob, AFailedPassIsCountedAndTheNextOneRunsOnRequest) {
  fakes::Database db;
  fakes::FakeAccountRepository repo(db);
  core::ManualClock clock(kStart);
  core::MetricsRegistry metrics;
  core::BackgroundLoop loop;
  ASSERT_TRUE(core::run_to_completion(repo.register_account(
      "bot@x.io", "h", std::nullopt, *core::UserId::parse("01890a5d-ac96-774b-bcce-b302099a8057"),
      clock.now())));
  repo.hooks.fail_next(core::Error::database("disk full"), "delete_expired");
  repo.hooks.hold("delete_expired");
  HousekeepingJob job(repo, clock, metrics, loop.executor());
  repo.hooks.wait_until_held();  // the pass at start is in flight, and will fail
  repo.hooks.release();
  clock.advance(HousekeepingAges::pending_account + 1s);
  ASSERT_TRUE(job.run_now());
  EXPECT_EQ(series(metrics, R"(housekeeping_runs_total{outcome="failed"})"), 1u)
      << "the pass at start";
  EXPECT_EQ(series(metrics, R"(housekeeping_runs_total{outcome="completed"})"), 1u);
  EXPECT_EQ(series(metrics, R"(housekeeping_rows_deleted_total{kind="pending_accounts"})"), 1u);
  EXPECT_NE(metrics.render().find(R"(housekeeping_rows_deleted_total{kind="sessions"} 0)"),
            std::string::npos)
      << "every series shows from the start";
  EXPECT_TRUE(db.users.empty());
  job.stop();
  EXPECT_FALSE(job.run_now()) << "a stopped job runs no pass";
  EXPECT_EQ(repo.hooks.calls("delete_expired"), 2);
}

}  // namespace
}  // namespace ferr::domain::accounts
