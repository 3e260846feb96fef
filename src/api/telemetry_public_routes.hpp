#pragma once
/// The public telemetry reads of telemetry.md §6: the catalog manifest and the statistics.

#include <string>

#include "core/clock.hpp"
#include "domain/telemetry/statistics.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct TelemetryPublicDeps {
  domain::telemetry::TelemetryStatistics& statistics;
  const core::Clock& clock;
  std::string key_id;
  int retention_days;
};

/// Registers `GET /v1/telemetry/catalog` and `GET /v1/telemetry/stats`.
void add_telemetry_public_routes(http::Router& router, const TelemetryPublicDeps& deps);

/// The statistics body: `{"generated_at", "k", "days": [{"date", "event", "count"}…]}`.
std::string stats_json(const std::vector<domain::telemetry::DailyCell>& cells, int k,
                       core::TimePoint generated_at);

}  // namespace ferr::api
