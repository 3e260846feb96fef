#pragma once
/// Housekeeping of the account tables (docs/accounts.md, "Housekeeping"): rows that nothing will
/// read again (dead sessions and refresh tokens, spent codes and reset tokens, stale throttles,
/// accounts never verified) are deleted after the ages chosen here, by a job on the background
/// loop beside the telemetry retention job. Storage only deletes what is older than the cut-offs
/// it is given.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "core/task.hpp"
#include "core/wakeup.hpp"
#include "domain/accounts/account_repository.hpp"

namespace ferr::domain::accounts {

/// The ages after which each kind of row goes.
struct HousekeepingAges {
  /// A pending account whose last registration is older than this, and which holds no valid
  /// verification code, is removed (its address may register again).
  static constexpr std::chrono::days pending_account{7};
  /// A verification code this long past its expiry.
  static constexpr std::chrono::days expired_code{1};
  /// A reset token this long past its use or its expiry.
  static constexpr std::chrono::days ended_reset_token{1};
  /// A mail-throttle row this long after its last mail (the throttle itself spans a minute).
  static constexpr std::chrono::days mail_throttle{1};
  /// The failure window: a login-throttle row this long after its last failure, once its lock
  /// (if any) is over. Consecutive failures are forgotten after a day without one.
  static constexpr std::chrono::days login_failure_window{1};
  /// A session this long after its revocation or the expiry of its last refresh token, and a
  /// refresh token this long after its expiry (a spent one still revokes its family until then).
  static constexpr std::chrono::days dead_session{30};
};

/// The cut-offs of a pass at `now` (HousekeepingAges).
HousekeepingCutoffs housekeeping_cutoffs(core::TimePoint now);

/// One housekeeping pass at the clock's time.
core::Task<core::Result<HousekeepingRemoved>> run_housekeeping(AccountRepository& repo,
                                                               const core::Clock& clock);

/// Runs a housekeeping pass at start and then every `period`, as a coroutine on `executor`
/// (which must run on one thread at a time), until stopped; counts what each pass removed in
/// `housekeeping_rows_deleted_total{kind}` and each pass in `housekeeping_runs_total{outcome}`.
class HousekeepingJob {
 public:
  HousekeepingJob(AccountRepository& repo, const core::Clock& clock, core::MetricsRegistry& metrics,
                  core::Executor executor, std::chrono::minutes period = std::chrono::minutes(60));
  /// Stops the job (see stop()).
  ~HousekeepingJob();
  HousekeepingJob(const HousekeepingJob&) = delete;
  HousekeepingJob& operator=(const HousekeepingJob&) = delete;

  /// Asks for a pass now and blocks until a pass that started after the request is done; false
  /// when the job stopped first. For tests and tools: the job runs on its own schedule anyway.
  bool run_now();
  /// Ends the job once its pass in flight (if any) is done; blocks until then.
  void stop();

 private:
  core::Task<void> run();
  void count(const core::Result<HousekeepingRemoved>& removed);

  AccountRepository& repo_;
  const core::Clock& clock_;
  std::chrono::minutes period_;
  // The series, created with the job so that /metrics shows them from the start.
  struct Series {
    core::Counter* pending_accounts;
    core::Counter* verification_codes;
    core::Counter* reset_tokens;
    core::Counter* mail_throttle;
    core::Counter* login_throttle;
    core::Counter* sessions;
    core::Counter* refresh_tokens;
    core::Counter* completed;
    core::Counter* skipped;
    core::Counter* failed;
  } series_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool running_ = true;
  std::uint64_t requested_ = 0;  ///< run_now() requests so far
  std::uint64_t served_ = 0;     ///< requests the last finished pass started after
  core::Wakeup wakeup_;
};

}  // namespace ferr::domain::accounts
