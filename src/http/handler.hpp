#pragma once
/// What a route runs: a coroutine from request to response, resumed on the I/O thread.

#include <cstddef>
#include <functional>

#include "core/task.hpp"
#include "http/request.hpp"

namespace ferr::http {

/// A route handler: a coroutine on the connection's I/O thread that awaits the services.
using Handler = std::function<core::Task<Response>(Request&)>;

/// Per-route behaviour the server applies before the handler runs.
struct RouteOptions {
  std::size_t body_limit = std::size_t{16} << 10;  ///< 16 KiB; larger bodies get 413
  bool json_body = false;         ///< the route takes a JSON body: 415 without the content type
  bool quiet_access_log = false;  ///< probes: access line at debug instead of info
  /// Only for routes a test adds to exercise the server itself: left out of the OpenAPI
  /// document, which otherwise refuses a route it has no description of (api/openapi).
  bool undocumented = false;
};

}  // namespace ferr::http
