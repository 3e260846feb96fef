#pragma once
/// `GET /telemetry` (English) and `GET /fr/telemetry` (French): the public telemetry pages of
/// telemetry.md §6, rendered per request with the live counts.

#include "api/telemetry/public_routes.hpp"
#include "http/router.hpp"

namespace ferr::api {

/// Registers both pages, from the same data as the manifest and the statistics. Each answers
/// `200 text/html; charset=utf-8` with a Content-Security-Policy that lets nothing load and only
/// the page's own inline stylesheet (by its hash) apply.
void add_telemetry_page_routes(http::Router& router, const TelemetryPublicDeps& deps);

}  // namespace ferr::api
