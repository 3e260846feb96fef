#include "domain/telemetry/retention.hpp"

#include "core/log.hpp"

namespace ferr::domain::telemetry {

core::TimePoint retention_cutoff(core::TimePoint now, int retention_days) {
  auto today = std::chrono::floor<std::chrono::days>(now);
  return core::TimePoint(today - std::chrono::days(retention_days));
}

core::Result<Expiry> expire_old_events(TelemetryStore& store, const core::Clock& clock,
                                       int retention_days) {
  return store.expire_before(retention_cutoff(clock.now(), retention_days));
}

RetentionJob::RetentionJob(TelemetryStore& store, const core::Clock& clock, int retention_days,
                           std::chrono::minutes period)
    : store_(store), clock_(clock), retention_days_(retention_days), period_(period) {
  thread_ = std::thread([this] { run(); });
}

RetentionJob::~RetentionJob() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void RetentionJob::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto expired = expire_old_events(store_, clock_, retention_days_);
    if (!expired) {
      core::log::warn("telemetry retention failed", {{"error", expired.error().log_detail}});
    } else if (expired->rows_deleted > 0) {
      core::log::info("telemetry retention", {{"rows_deleted", expired->rows_deleted},
                                              {"days_rolled_up", expired->days_rolled_up}});
    }
    lock.lock();
    wake_.wait_for(lock, period_, [&] { return stopping_; });
  }
}

}  // namespace ferr::domain::telemetry
