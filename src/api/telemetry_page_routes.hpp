#pragma once
/// `GET /telemetry` (English) and `GET /fr/telemetry` (French): the public telemetry pages of
/// telemetry.md §6, rendered per request with the live counts.

#include <string>

#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "domain/telemetry/statistics.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct TelemetryPageDeps {
  domain::telemetry::TelemetryStatistics& statistics;
  core::BlockingPool& pool;
  const core::Clock& clock;
  std::string key_id;
  int retention_days;
};

/// Registers both pages. Each answers `200 text/html; charset=utf-8` with a Content-Security-Policy
/// that lets nothing load and only the page's own inline stylesheet (by its hash) apply.
void add_telemetry_page_routes(http::Router& router, const TelemetryPageDeps& deps);

}  // namespace ferr::api
