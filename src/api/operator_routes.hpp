#pragma once
/// `GET /health` (also at `/v1/health`), `GET /readyz` and `GET /metrics`.

#include <functional>
#include <string>

#include "core/metrics.hpp"
#include "core/secret.hpp"
#include "domain/readiness.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct OperatorRoutesDeps {
  domain::ReadinessCheck& readiness;
  core::MetricsRegistry& metrics;
  std::function<bool()> draining;  ///< true while the server shuts down
  core::Secret metrics_token;      ///< empty: /metrics is open
  std::string version;
};

/// Registers the three operator routes.
void add_operator_routes(http::Router& router, OperatorRoutesDeps deps);

}  // namespace ferr::api
