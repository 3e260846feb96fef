#pragma once
/// The per-request pipeline between a connection and a route handler.
///
/// plan() runs once the header is read (request id, target parsing, routing, CORS preflight);
/// the connection then reads the body within the route's limit; run() calls the handler;
/// finish() adds the response headers every answer carries, counts it and logs it.

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/middleware/cors.hpp"
#include "http/route_metrics.hpp"
#include "http/router.hpp"

namespace ferr::http {

/// What to do with a request whose header has been read.
struct Plan {
  Route* route = nullptr;  ///< the handler to run, when routing found one
  std::optional<Response>
      early;  ///< an answer that needs no handler (404, 405, OPTIONS, bad target)
  std::size_t body_limit = RouteOptions{}.body_limit;
  std::string_view label = "unmatched";  ///< route template for metrics and logs
  bool quiet = false;
  RouteMetrics* metrics = nullptr;
};

class Dispatcher {
 public:
  Dispatcher(Router& router, core::MetricsRegistry& metrics, std::vector<std::string> cors_origins);

  /// Assigns the request id, parses the target and routes; fills `request.segments`/`params`.
  Plan plan(Request& request);
  /// The plan for a request whose header could not be parsed (it still gets an id and is counted).
  Plan plan_unparsable(Request& request);
  /// Runs the route's handler; a stray exception becomes a logged 500 with the standard body.
  boost::asio::awaitable<Response> run(Request& request, Route& route);
  /// The standard error answer for `error`, logging internal details with the request id.
  Response reject(const Request& request, const core::Error& error);
  /// Adds CORS, security and request-id headers, records metrics and writes the access line.
  void finish(const Request& request, Response& response, const Plan& plan,
              std::chrono::steady_clock::time_point started);

 private:
  Router& router_;
  core::MetricsRegistry& metrics_;
  CorsPolicy cors_;
  std::array<std::unique_ptr<RouteMetrics>, 8> unmatched_metrics_;
};

}  // namespace ferr::http
