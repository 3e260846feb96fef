// Micro-benchmarks of the per-request work done outside the handler: routing and access-log
// formatting. Run with `build/release/bench/micro_bench`.

#include <benchmark/benchmark.h>

#include "core/log.hpp"
#include "http/router.hpp"

namespace {

using boost::asio::awaitable;

ferr::http::Router& sample_router() {
  static ferr::http::Router router;
  static bool filled = [] {
    auto& r = router;
    auto none = [](ferr::http::Request&) -> awaitable<ferr::http::Response> {
      co_return ferr::http::Response{};
    };
    for (const char* p :
         {"/health", "/readyz", "/metrics", "/auth/login", "/auth/register", "/auth/me", "/v1/orgs",
          "/v1/orgs/{slug}", "/v1/orgs/{slug}/members", "/v1/orgs/{slug}/members/{user_id}",
          "/v1/orgs/{slug}/subscriptions", "/v1/orgs/{slug}/subscriptions/{product}",
          "/v1/telemetry", "/v1/telemetry/batch"})
      r.add(ferr::http::Method::get, p, none);
    return true;
  }();
  (void)filled;
  return router;
}

void BM_RouteStatic(benchmark::State& state) {
  auto& router = sample_router();
  std::vector<std::string> segments;
  ferr::http::split_path("/health", segments);
  for (auto _ : state) benchmark::DoNotOptimize(router.match(ferr::http::Method::get, segments));
}
BENCHMARK(BM_RouteStatic);

void BM_RouteWithTwoParameters(benchmark::State& state) {
  auto& router = sample_router();
  for (auto _ : state) {
    std::vector<std::string> segments;
    ferr::http::split_path("/v1/orgs/acme-corp/members/0190f5c2-7b1a-7cde-8f00-123456789abc",
                           segments);
    benchmark::DoNotOptimize(router.match(ferr::http::Method::get, segments));
  }
}
BENCHMARK(BM_RouteWithTwoParameters);

void BM_AccessLineFormat(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        ferr::core::log::format_line(ferr::core::log::Level::info, "request",
                                     {{"request_id", "b255ab704e69414cc8aae7050c9804c5"},
                                      {"method", "GET"},
                                      {"route", "/v1/orgs/{slug}"},
                                      {"path", "/v1/orgs/acme"},
                                      {"status", 200},
                                      {"duration_ms", 0.123},
                                      {"bytes", 312}}));
  }
}
BENCHMARK(BM_AccessLineFormat);

}  // namespace
