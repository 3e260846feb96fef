#include "domain/accounts/housekeeping.hpp"

#include <string>

#include "core/log.hpp"
#include "domain/accounts/account_repository.hpp"

namespace ferr::domain::accounts {

namespace {

constexpr const char* kDeletedName = "housekeeping_rows_deleted_total";
constexpr const char* kDeletedHelp = "Rows the account housekeeping job deleted, by kind";
constexpr const char* kRunsName = "housekeeping_runs_total";
constexpr const char* kRunsHelp =
    "Account housekeeping passes: completed, skipped (another instance held the lock), failed";

core::Counter* deleted(core::MetricsRegistry& metrics, const std::string& kind) {
  return &metrics.counter(kDeletedName, kDeletedHelp, {{"kind", kind}});
}

core::Counter* runs(core::MetricsRegistry& metrics, const std::string& outcome) {
  return &metrics.counter(kRunsName, kRunsHelp, {{"outcome", outcome}});
}

void add(core::Counter* counter, std::int64_t n) {
  if (n > 0) counter->inc(static_cast<std::uint64_t>(n));
}

}  // namespace

HousekeepingCutoffs housekeeping_cutoffs(core::TimePoint now) {
  using A = HousekeepingAges;
  return HousekeepingCutoffs{
      .now = now,
      .pending_registered_before = now - A::pending_account,
      .codes_expired_before = now - A::expired_code,
      .reset_tokens_ended_before = now - A::ended_reset_token,
      .mail_sent_before = now - A::mail_throttle,
      .login_failed_before = now - A::login_failure_window,
      .sessions_ended_before = now - A::dead_session,
      .refresh_tokens_expired_before = now - A::dead_session,
  };
}

core::Task<core::Result<HousekeepingRemoved>> run_housekeeping(AccountRepository& repo,
                                                               const core::Clock& clock) {
  co_return co_await repo.delete_expired(housekeeping_cutoffs(clock.now()));
}

HousekeepingJob::HousekeepingJob(AccountRepository& repo, const core::Clock& clock,
                                 core::MetricsRegistry& metrics, core::Executor executor,
                                 std::chrono::minutes period)
    : repo_(repo),
      clock_(clock),
      period_(period),
      series_{.pending_accounts = deleted(metrics, "pending_accounts"),
              .verification_codes = deleted(metrics, "verification_codes"),
              .reset_tokens = deleted(metrics, "reset_tokens"),
              .mail_throttle = deleted(metrics, "mail_throttle"),
              .login_throttle = deleted(metrics, "login_throttle"),
              .sessions = deleted(metrics, "sessions"),
              .refresh_tokens = deleted(metrics, "refresh_tokens"),
              .completed = runs(metrics, "completed"),
              .skipped = runs(metrics, "skipped"),
              .failed = runs(metrics, "failed")},
      wakeup_(executor) {
  core::spawn_detached(executor, run());
}

HousekeepingJob::~HousekeepingJob() { stop(); }

bool HousekeepingJob::run_now() {
  std::unique_lock lock(mutex_);
  const std::uint64_t request = ++requested_;
  wakeup_.notify();
  changed_.wait(lock, [&] { return served_ >= request || !running_; });
  return served_ >= request;
}

void HousekeepingJob::stop() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  wakeup_.notify();
  changed_.wait(lock, [&] { return !running_; });
}

void HousekeepingJob::count(const core::Result<HousekeepingRemoved>& removed) {
  if (!removed) {
    series_.failed->inc();
    core::log::warn("account housekeeping failed", {{"error", removed.error().log_detail}});
    return;
  }
  if (!removed->ran) {
    series_.skipped->inc();
    return;
  }
  series_.completed->inc();
  add(series_.pending_accounts, removed->pending_accounts);
  add(series_.verification_codes, removed->verification_codes);
  add(series_.reset_tokens, removed->reset_tokens);
  add(series_.mail_throttle, removed->mail_throttle);
  add(series_.login_throttle, removed->login_throttle);
  add(series_.sessions, removed->sessions);
  add(series_.refresh_tokens, removed->refresh_tokens);
  const std::int64_t total = removed->pending_accounts + removed->verification_codes +
                             removed->reset_tokens + removed->mail_throttle +
                             removed->login_throttle + removed->sessions + removed->refresh_tokens;
  if (total > 0) core::log::info("account housekeeping", {{"rows_deleted", total}});
}

core::Task<void> HousekeepingJob::run() {
  for (;;) {
    std::uint64_t serving = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      serving = requested_;  // the requests made before this pass starts
    }
    auto removed = co_await run_housekeeping(repo_, clock_);
    count(removed);
    {
      std::lock_guard lock(mutex_);
      served_ = serving;
      changed_.notify_all();
    }
    auto next = std::chrono::steady_clock::now() + period_;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_ || requested_ > served_) break;
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= next) break;
      co_await wakeup_.sleep_for(next - now);
    }
  }
  // Notified under the lock: stop() may destroy the job as soon as it can take the lock.
  std::lock_guard lock(mutex_);
  running_ = false;
  changed_.notify_all();
}

}  // namespace ferr::domain::accounts
