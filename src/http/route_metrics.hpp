#pragma once
/// Per-route request metrics with no lock on the hot path.
///
/// `http_requests_total{method,route,status}` series are created in the registry on the first
/// response with a given status, then reached through an atomic pointer.

#include <array>
#include <atomic>
#include <string>

#include "core/metrics.hpp"

namespace ferr::http {

class RouteMetrics {
 public:
  RouteMetrics(core::MetricsRegistry& registry, std::string method, std::string route);
  /// Counts one response and its duration.
  void record(unsigned status, double seconds);

 private:
  core::MetricsRegistry& registry_;
  std::string method_;
  std::string route_;
  core::Histogram& duration_;
  std::array<std::atomic<core::Counter*>, 600> by_status_{};
};

}  // namespace ferr::http
