#include "domain/telemetry/statistics_cache.hpp"

namespace ferr::domain::telemetry {

core::Task<core::Result<core::Computed<DailyStatistics>>> StatisticsCache::daily(int days) {
  core::SharedComputation<DailyStatistics>* shared = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto& slot = daily_[days];
    if (!slot)
      slot = std::make_unique<core::SharedComputation<DailyStatistics>>(clock_, fresh_for_);
    shared = slot.get();  // never removed: stays valid
  }
  co_return co_await shared->get([this, days] { return statistics_.daily(days); });
}

core::Task<core::Result<core::Computed<std::vector<RecentCounts>>>> StatisticsCache::recent() {
  co_return co_await recent_.get([this] { return statistics_.recent(); });
}

}  // namespace ferr::domain::telemetry
