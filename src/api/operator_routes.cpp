#include "api/operator_routes.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "crypto/constant_time.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {
using boost::asio::awaitable;
using http::Request;
using http::Response;

constexpr http::RouteOptions kProbe{.quiet_access_log = true};

bool bearer_matches(const Request& request, const core::Secret& token) {
  auto header = request.headers.get("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (!header || header->size() <= kPrefix.size() || header->substr(0, kPrefix.size()) != kPrefix)
    return false;
  return crypto::constant_time_equals(header->substr(kPrefix.size()), token.expose());
}
}  // namespace

void add_operator_routes(http::Router& router, OperatorRoutesDeps deps) {
  auto shared = std::make_shared<OperatorRoutesDeps>(std::move(deps));

  boost::json::object health{
      {"status", "ok"}, {"service", "ferrlabs-api"}, {"version", shared->version}};
  // `/v1/health` answers like `/health` for clients configured with a base URL ending in `/v1`.
  const std::string health_body = boost::json::serialize(health);
  for (std::string_view path : {"/health", "/v1/health"}) {
    router.add(
        http::Method::get, path,
        [body = health_body](Request&) -> awaitable<Response> {
          co_return Response::json(200, body);
        },
        kProbe);
  }

  router.add(
      http::Method::get, "/readyz",
      [shared](Request& request) -> awaitable<Response> {
        if (shared->draining()) {
          co_return http::error_response(
              core::Error::make(core::ErrorCode::service_unavailable, "shutting down"),
              request.request_id);
        }
        auto ready = co_await shared->readiness.check();
        if (!ready) {
          core::Error e = ready.error();
          e.code = core::ErrorCode::service_unavailable;
          e.message = "not ready";
          co_return http::error_response(e, request.request_id);
        }
        co_return Response::json(200, R"({"status":"ready"})");
      },
      kProbe);

  router.add(
      http::Method::get, "/metrics",
      [shared](Request& request) -> awaitable<Response> {
        if (!shared->metrics_token.empty() && !bearer_matches(request, shared->metrics_token)) {
          Response r = http::error_response(core::Error::make(core::ErrorCode::auth_unauthorized,
                                                              "a valid metrics token is required"),
                                            request.request_id);
          r.headers.add("WWW-Authenticate", "Bearer");
          co_return r;
        }
        Response r;
        r.body = shared->metrics.render();
        r.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        co_return r;
      },
      kProbe);
}

}  // namespace ferr::api
