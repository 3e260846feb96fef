#pragma once
/// The router: a trie of path segments with `{name}` parameters.
///
/// A literal segment wins over a parameter at the same depth. A path that exists with other
/// methods yields `method_not_allowed` and the `Allow` list; HEAD is served by the GET route.

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/handler.hpp"

namespace ferr::http {

class RouteMetrics;

/// One registered route.
struct Route {
  Method method;
  std::string pattern;  ///< e.g. `/v1/orgs/{slug}`; also the metrics and log label
  Handler handler;
  RouteOptions options;
  std::unique_ptr<RouteMetrics> metrics;  ///< set by the server when it starts
};

/// The outcome of matching a request.
struct RouteMatch {
  enum class Kind { found, not_found, method_not_allowed };
  Kind kind = Kind::not_found;
  Route* route = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
  std::string allow;  ///< comma-separated methods of the path (found and method_not_allowed)
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  /// Registers `handler` for `method` on `pattern`; throws std::invalid_argument on a malformed
  /// pattern or a duplicate (a programming error found at start-up).
  Route& add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
  /// Matches decoded path segments.
  RouteMatch match(Method method, const std::vector<std::string>& segments) const;
  /// Every route, in registration order.
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  const Node* find(const Node& node, const std::vector<std::string>& segments, std::size_t depth,
                   std::vector<std::pair<std::string, std::string>>& params) const;

  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

/// Splits a path such as `/a/b` into `{"a", "b"}` (`/` gives no segment); nullopt-like empty
/// result with `ok=false` when percent-decoding fails.
bool split_path(std::string_view path, std::vector<std::string>& out);

}  // namespace ferr::http
