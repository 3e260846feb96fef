#include "domain/telemetry/retention.hpp"

#include "core/log.hpp"

namespace ferr::domain::telemetry {

core::TimePoint retention_cutoff(core::TimePoint now, int retention_days) {
  auto today = std::chrono::floor<std::chrono::days>(now);
  return core::TimePoint(today - std::chrono::days(retention_days));
}

core::Task<core::Result<Expiry>> expire_old_events(TelemetryStore& store, const core::Clock& clock,
                                                   int retention_days) {
  co_return co_await store.expire_before(retention_cutoff(clock.now(), retention_days));
}

RetentionJob::RetentionJob(TelemetryStore& store, const core::Clock& clock, int retention_days,
                           core::Executor executor, std::chrono::minutes period)
    : store_(store),
      clock_(clock),
      retention_days_(retention_days),
      period_(period),
      wakeup_(executor) {
  core::spawn_detached(executor, run());
}

RetentionJob::~RetentionJob() { stop(); }

void RetentionJob::stop() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  wakeup_.notify();
  finished_.wait(lock, [&] { return !running_; });
}

core::Task<void> RetentionJob::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    auto expired = co_await expire_old_events(store_, clock_, retention_days_);
    if (!expired) {
      core::log::warn("telemetry retention failed", {{"error", expired.error().log_detail}});
    } else if (expired->rows_deleted > 0) {
      core::log::info("telemetry retention", {{"rows_deleted", expired->rows_deleted},
                                              {"days_rolled_up", expired->days_rolled_up}});
    }
    auto next = std::chrono::steady_clock::now() + period_;
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) break;
      }
      auto now = std::chrono::steady_clock::now();
      if (now >= next) break;
      co_await wakeup_.sleep_for(next - now);
    }
  }
  // Notified under the lock: stop() may destroy the job as soon as it can take the lock.
  std::lock_guard lock(mutex_);
  running_ = false;
  finished_.notify_all();
}

}  // namespace ferr::domain::telemetry
