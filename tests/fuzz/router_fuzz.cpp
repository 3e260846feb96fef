// Fuzz target for the router with the application's own route table: request targets of any
// bytes must never crash routing, and every match must be consistent with the route it names.
// The table is the one `serve` builds (an application on an in-memory database, started once on
// 127.0.0.1:0), so a route added to the API is fuzzed without touching this file.
//
// The test suite replays the corpus with g++ (ctest `fuzz_router`); to fuzz for real with clang's
// libFuzzer: `scripts/fuzz-campaign.sh router SECONDS` (tests/fuzz/README.md).

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "support/test_app.hpp"

namespace {

using ferr::http::Method;

ferr::http::Router& router() {
  static std::unique_ptr<ferr::app::Application> app =
      ferr::testing::start_app(ferr::testing::test_config({{"FERRLABS_THREADS", "1"}}));
  return app->router();
}

void require(bool property) {
  if (!property) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string target(reinterpret_cast<const char*>(data), size);
  auto question = target.find('?');
  std::string path = target.substr(0, question);

  ferr::http::Request request;
  request.query = question == std::string::npos ? "" : target.substr(question + 1);
  (void)request.query_param("limit");  // decoding a hostile query never crashes

  std::vector<std::string> segments;
  if (!ferr::http::split_path(path, segments)) return 0;
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del,
                   Method::options, Method::other}) {
    auto match = router().match(m, segments);
    if (match.kind == ferr::http::RouteMatch::Kind::not_found) {
      require(match.route == nullptr && match.params.empty());
      continue;
    }
    require(!match.allow.empty());
    if (match.kind == ferr::http::RouteMatch::Kind::method_not_allowed) {
      require(match.route == nullptr);
      continue;
    }
    require(match.route != nullptr);
    // The route's template, filled with the captured parameters, gives back the segments.
    std::vector<std::string> pattern;
    require(ferr::http::split_path(match.route->pattern, pattern));
    require(pattern.size() == segments.size());
    std::size_t param = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i].front() == '{') {
        require(param < match.params.size());
        require(match.params[param].first == pattern[i].substr(1, pattern[i].size() - 2));
        require(match.params[param].second == segments[i] && !segments[i].empty());
        ++param;
      } else {
        require(pattern[i] == segments[i]);
      }
    }
    require(param == match.params.size());
  }
  return 0;
}
