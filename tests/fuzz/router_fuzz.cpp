// Fuzz target for the router: request targets of any bytes must never crash routing, and every
// match must be consistent with the route it names.
//
// Real fuzzing (clang): configure a build directory with -DFERR_FUZZ=ON and
// -DCMAKE_CXX_COMPILER=clang++, build `router_fuzz`, run it on tests/fuzz/corpus/router.

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "http/router.hpp"

namespace {

using ferr::http::Method;

ferr::http::Router& router() {
  static ferr::http::Router r;
  static bool filled = [] {
    auto none = [](ferr::http::Request&) -> boost::asio::awaitable<ferr::http::Response> {
      co_return ferr::http::Response{};
    };
    for (const char* p :
         {"/health", "/auth/me", "/v1/orgs", "/v1/orgs/{slug}", "/v1/orgs/{slug}/members",
          "/v1/orgs/{slug}/members/{user_id}", "/v1/orgs/{slug}/subscriptions/{product}",
          "/v1/telemetry", "/v1/telemetry/batch", "/telemetry", "/fr/telemetry"}) {
      r.add(Method::get, p, none);
    }
    r.add(Method::post, "/v1/orgs", none);
    r.add(Method::del, "/v1/orgs/{slug}/members/{user_id}", none);
    return true;
  }();
  (void)filled;
  return r;
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
  for (Method m :
       {Method::get, Method::head, Method::post, Method::del, Method::options, Method::other}) {
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
