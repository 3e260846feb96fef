#include "http/route_metrics.hpp"

namespace ferr::http {

RouteMetrics::RouteMetrics(core::MetricsRegistry& registry, std::string method, std::string route)
    : registry_(registry),
      method_(std::move(method)),
      route_(std::move(route)),
      duration_(registry.histogram("http_request_duration_seconds",
                                   "Request duration by route template", {{"route", route_}})) {}

void RouteMetrics::record(unsigned status, double seconds) {
  duration_.observe(seconds);
  if (status >= by_status_.size()) status = 500;
  core::Counter* counter = by_status_[status].load(std::memory_order_acquire);
  if (!counter) {
    // The registry hands out the same series for the same labels, so a race only repeats a lookup.
    counter = &registry_.counter(
        "http_requests_total", "HTTP responses by method, route template and status",
        {{"method", method_}, {"route", route_}, {"status", std::to_string(status)}});
    by_status_[status].store(counter, std::memory_order_release);
  }
  counter->inc();
}

}  // namespace ferr::http
