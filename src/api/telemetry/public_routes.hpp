#pragma once
/// The public telemetry reads of telemetry.md §6: the catalog manifest and the statistics.

#include <string>

#include "core/clock.hpp"
#include "domain/telemetry/statistics.hpp"
#include "domain/telemetry/statistics_cache.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct TelemetryPublicDeps {
  /// Shared and briefly reused computations: an anonymous visitor cannot make the database work.
  domain::telemetry::StatisticsCache& statistics;
  std::string key_id;
  int retention_days;
};

/// Registers `GET /v1/telemetry/catalog` and `GET /v1/telemetry/stats`.
void add_telemetry_public_routes(http::Router& router, const TelemetryPublicDeps& deps);

/// The statistics body: `{"generated_at", "k", "from", "to", "days": [{"date", "event",
/// "count"}…], "series": [{"event", "counts": […]}…]}`; `generated_at` is when the counts were
/// computed, `from` and `to` the window's first and last day; each series has one count per day
/// of the window, oldest first (0 for no event, null when withheld), for every catalog event.
std::string stats_json(const domain::telemetry::DailyStatistics& daily, int k,
                       core::TimePoint generated_at);

}  // namespace ferr::api
