#pragma once
// A router with exactly the described routes, registered as the application does: the unit tests
// of the OpenAPI document and of its reference page build from it.

#include <string>
#include <string_view>

#include "api/openapi/operations.hpp"
#include "http/router.hpp"

namespace ferr::api::openapi::testing {

inline http::Handler nothing() {
  return [](http::Request&) -> boost::asio::awaitable<http::Response> {
    co_return http::Response::empty(204);
  };
}

/// Every described operation: `/v1/auth/x` also at `/auth/x`, `/health` also at `/v1/health`.
/// `except` leaves the operations of one path out.
inline void add_described_routes(http::Router& router, std::string_view except = "") {
  for (const auto& op : operations()) {
    if (op.path == except) continue;
    router.add(op.method, op.path, nothing());
    if (op.path.starts_with("/v1/auth/"))
      router.add(op.method, std::string(op.path.substr(3)), nothing());
    if (op.path == "/health") router.add(op.method, "/v1/health", nothing());
  }
}

}  // namespace ferr::api::openapi::testing
