#include "api/telemetry/public_routes.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <memory>

#include "api/telemetry/manifest.hpp"
#include "core/time_format.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

std::string stats_json(const std::vector<domain::telemetry::DailyCell>& cells, int k,
                       core::TimePoint generated_at) {
  boost::json::array days;
  for (const auto& cell : cells) {
    boost::json::object o{{"date", cell.date}, {"event", cell.event}};
    if (cell.count) {
      o["count"] = *cell.count;
    } else {
      o["count"] = nullptr;
      o["suppressed"] = true;
    }
    days.push_back(std::move(o));
  }
  return boost::json::serialize(
      boost::json::object{{"generated_at", core::format_rfc3339_ms(generated_at)},
                          {"k", k},
                          {"days", std::move(days)}});
}

void add_telemetry_public_routes(http::Router& router, const TelemetryPublicDeps& deps) {
  using boost::asio::awaitable;
  using http::Request;
  using http::Response;
  // The manifest depends on nothing that changes while the process runs: built once.
  auto manifest =
      std::make_shared<const std::string>(manifest_json(deps.key_id, deps.retention_days));
  router.add(
      http::Method::get, "/v1/telemetry/catalog",
      [manifest](Request&) -> awaitable<Response> { co_return Response::json(200, *manifest); });
  router.add(http::Method::get, "/v1/telemetry/stats", [deps](Request& req) -> awaitable<Response> {
    int days = 30;
    if (auto text = req.query_param("days")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), days);
      if (ec != std::errc() || end != text->data() + text->size() || days < 1 || days > 365)
        co_return http::respond_error(
            req, core::Error::validation("days", "days must be a number from 1 to 365"));
    }
    auto cells = co_await deps.statistics.daily(days);
    if (!cells) co_return http::respond_error(req, cells.error());
    co_return Response::json(200,
                             stats_json(*cells->value, deps.statistics.k(), cells->computed_at));
  });
}

}  // namespace ferr::api
