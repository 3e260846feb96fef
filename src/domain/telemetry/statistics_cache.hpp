#pragma once
/// The public statistics as the anonymous routes serve them: each computation shared by the
/// requests that arrive while it runs and reused for `fresh_for` (FERRLABS_STATS_CACHE_S), so
/// that however many people load the page, the database answers a few small reads per interval
/// (issue 14, item 15). The command line reads TelemetryStatistics directly.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/clock.hpp"
#include "core/shared_computation.hpp"
#include "domain/telemetry/statistics.hpp"

namespace ferr::domain::telemetry {

class StatisticsCache {
 public:
  StatisticsCache(TelemetryStatistics& statistics, const core::Clock& clock,
                  std::chrono::milliseconds fresh_for)
      : statistics_(statistics), clock_(clock), fresh_for_(fresh_for), recent_(clock, fresh_for) {}

  /// TelemetryStatistics::daily(days), one shared computation per value of `days`.
  core::Task<core::Result<core::Computed<DailyStatistics>>> daily(int days);
  /// TelemetryStatistics::recent().
  core::Task<core::Result<core::Computed<std::vector<RecentCounts>>>> recent();
  int k() const { return statistics_.k(); }

 private:
  TelemetryStatistics& statistics_;
  const core::Clock& clock_;
  std::chrono::milliseconds fresh_for_;
  core::SharedComputation<std::vector<RecentCounts>> recent_;
  std::mutex mutex_;
  /// By `days` (1–365: bounded by the route's validation).
  std::map<int, std::unique_ptr<core::SharedComputation<DailyStatistics>>> daily_;
};

}  // namespace ferr::domain::telemetry
