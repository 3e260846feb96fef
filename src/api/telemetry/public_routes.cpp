#include "api/telemetry/public_routes.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <chrono>
#include <memory>

#include "api/telemetry/manifest.hpp"
#include "core/field_limits.hpp"
#include "core/time_format.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

std::string stats_json(const domain::telemetry::DailyStatistics& daily, int k,
                       core::TimePoint generated_at) {
  boost::json::array days;
  for (const auto& cell : daily.cells) {
    boost::json::object o{{"date", cell.date}, {"event", cell.event}};
    if (cell.count) {
      o["count"] = *cell.count;
    } else {
      o["count"] = nullptr;
      o["suppressed"] = true;
    }
    days.push_back(std::move(o));
  }
  boost::json::array series;
  for (const auto& one : daily.series) {
    boost::json::array counts;
    counts.reserve(one.counts.size());
    for (const auto& count : one.counts) {
      if (count)
        counts.emplace_back(*count);
      else
        counts.emplace_back(nullptr);
    }
    series.push_back(
        boost::json::object{{"event", one.event->name}, {"counts", std::move(counts)}});
  }
  return boost::json::serialize(boost::json::object{
      {"generated_at", core::format_rfc3339_ms(generated_at)},
      {"k", k},
      {"from", core::format_date(daily.first_day)},
      {"to", core::format_date(daily.first_day + std::chrono::days(daily.days - 1))},
      {"days", std::move(days)},
      {"series", std::move(series)}});
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
    int days = core::limits::kStatsDaysDefault;
    if (auto text = req.query_param("days")) {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), days);
      if (ec != std::errc() || end != text->data() + text->size() ||
          days < core::limits::kStatsDaysMin || days > core::limits::kStatsDaysMax)
        co_return http::respond_error(
            req, core::Error::validation("days", "days must be a number from 1 to 365"));
    }
    auto daily = co_await deps.statistics.daily(days);
    if (!daily) co_return http::respond_error(req, daily.error());
    co_return Response::json(200,
                             stats_json(*daily->value, deps.statistics.k(), daily->computed_at));
  });
}

}  // namespace ferr::api
