#include "api/telemetry/page_routes.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/telemetry/page.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

constexpr int kMaxChartDays = 365;

using domain::telemetry::DailyStatistics;
using domain::telemetry::RecentCounts;

// The last page rendered in one language and the computations it was rendered from. The page is a
// pure function of those (and of what never changes while the process runs), so while the
// statistics cache hands out the same results every request gets the same bytes: rendering the
// charts costs about five times serving the page, so it happens once per computation, not once
// per request. Holding the results keeps their addresses from being reused by later ones.
class RenderedPage {
 public:
  template <typename Render>
  std::shared_ptr<const std::string> get(const core::Computed<std::vector<RecentCounts>>& counts,
                                         const core::Computed<DailyStatistics>& daily,
                                         Render render) {
    {
      std::lock_guard lock(mutex_);
      if (html_ && counts_ == counts.value && daily_ == daily.value) return html_;
    }
    // Two requests that miss at once both render; the same bytes, so either may be kept.
    auto html = std::make_shared<const std::string>(render());
    std::lock_guard lock(mutex_);
    counts_ = counts.value;
    daily_ = daily.value;
    html_ = html;
    return html;
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const std::vector<RecentCounts>> counts_;
  std::shared_ptr<const DailyStatistics> daily_;
  std::shared_ptr<const std::string> html_;
};

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
               [deps, csp, language, chart_days,
                rendered = std::make_shared<RenderedPage>()](Request& req) -> awaitable<Response> {
                 auto counts = co_await deps.statistics.recent();
                 if (!counts) co_return http::respond_error(req, counts.error());
                 auto daily = co_await deps.statistics.daily(chart_days);
                 if (!daily) co_return http::respond_error(req, daily.error());
                 Response response;
                 response.status = 200;
                 response.body = *rendered->get(*counts, *daily, [&] {
                   return render_telemetry_page(
                       {.language = language,
                        .key_id = deps.key_id,
                        .retention_days = deps.retention_days,
                        .k = deps.statistics.k(),
                        // The older of the two: no count on the page is newer than this.
                        .generated_at = std::min(counts->computed_at, daily->computed_at),
                        .counts = *counts->value,
                        .daily = daily->value.get()});
                 });
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
