#include "api/telemetry/page_routes.hpp"

#include <algorithm>
#include <memory>

#include "api/telemetry/page.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {
constexpr int kMaxChartDays = 365;
}  // namespace

void add_telemetry_page_routes(http::Router& router, const TelemetryPublicDeps& deps) {
  using boost::asio::awaitable;
  using http::Request;
  using http::Response;
  // The policy depends only on the stylesheet: hashed once, at start-up.
  auto csp = std::make_shared<const std::string>(telemetry_page_csp());
  // The charts cover the retention window, at most a year (the longest the stats route serves).
  const int chart_days = std::min(deps.retention_days, kMaxChartDays);
  for (auto language : {PageLanguage::en, PageLanguage::fr}) {
    router.add(http::Method::get, telemetry_page_path(language),
               [deps, csp, language, chart_days](Request& req) -> awaitable<Response> {
                 auto counts = co_await deps.statistics.recent();
                 if (!counts) co_return http::respond_error(req, counts.error());
                 auto daily = co_await deps.statistics.daily(chart_days);
                 if (!daily) co_return http::respond_error(req, daily.error());
                 Response response;
                 response.status = 200;
                 response.body = render_telemetry_page(
                     {.language = language,
                      .key_id = deps.key_id,
                      .retention_days = deps.retention_days,
                      .k = deps.statistics.k(),
                      // The older of the two: no count on the page is newer than this.
                      .generated_at = std::min(counts->computed_at, daily->computed_at),
                      .counts = *counts->value,
                      .daily = daily->value.get()});
                 response.headers.add("Content-Type", "text/html; charset=utf-8");
                 response.headers.add("Content-Security-Policy", *csp);
                 response.headers.add("Content-Language",
                                      language == PageLanguage::fr ? "fr" : "en");
                 // Live counts: a cached copy must be revalidated, i.e. fetched again.
                 response.headers.add("Cache-Control", "no-cache");
                 co_return response;
               });
  }
}

}  // namespace ferr::api
