#include "http/router.hpp"

#include <map>
#include <stdexcept>

#include "http/route_metrics.hpp"

namespace ferr::http {

namespace {
constexpr std::size_t kMethodCount = 7;  // every Method but `other`

std::size_t slot(Method m) { return static_cast<std::size_t>(m); }
}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> parameter;
  std::string parameter_name;
  std::array<Route*, kMethodCount> routes{};
  bool has_any_route() const {
    for (auto* r : routes)
      if (r) return true;
    return false;
  }
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

bool split_path(std::string_view path, std::vector<std::string>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (path.empty()) return true;
  for (;;) {
    auto slash = path.find('/');
    std::string_view raw = path.substr(0, slash);
    std::string decoded;
    decoded.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '%') {
        decoded.push_back(raw[i]);
        continue;
      }
      if (i + 2 >= raw.size()) return false;
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hex(raw[i + 1]), lo = hex(raw[i + 2]);
      if (hi < 0 || lo < 0) return false;
      decoded.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    }
    out.push_back(std::move(decoded));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return true;
}

Route& Router::add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  if (method == Method::other) throw std::invalid_argument("cannot route method OTHER");
  std::vector<std::string> segments;
  if (!split_path(pattern, segments))
    throw std::invalid_argument("malformed route pattern " + std::string(pattern));
  Node* node = root_.get();
  for (const std::string& seg : segments) {
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name = seg.substr(1, seg.size() - 2);
      if (name.empty()) throw std::invalid_argument("unnamed parameter in " + std::string(pattern));
      if (!node->parameter) {
        node->parameter = std::make_unique<Node>();
        node->parameter_name = name;
      } else if (node->parameter_name != name) {
        throw std::invalid_argument("conflicting parameter names in " + std::string(pattern));
      }
      node = node->parameter.get();
    } else {
      auto& child = node->literals[seg];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->routes[slot(method)])
    throw std::invalid_argument("duplicate route " + std::string(pattern));
  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->options = options;
  node->routes[slot(method)] = route.get();
  routes_.push_back(std::move(route));
  return *routes_.back();
}

const Router::Node* Router::find(const Node& node, const std::vector<std::string>& segments,
                                 std::size_t depth,
                                 std::vector<std::pair<std::string, std::string>>& params) const {
  if (depth == segments.size()) return node.has_any_route() ? &node : nullptr;
  const std::string& seg = segments[depth];
  if (auto it = node.literals.find(seg); it != node.literals.end()) {
    if (const Node* hit = find(*it->second, segments, depth + 1, params)) return hit;
  }
  if (node.parameter && !seg.empty()) {
    params.emplace_back(node.parameter_name, seg);
    if (const Node* hit = find(*node.parameter, segments, depth + 1, params)) return hit;
    params.pop_back();
  }
  return nullptr;
}

RouteMatch Router::match(Method method, const std::vector<std::string>& segments) const {
  RouteMatch result;
  const Node* node = find(*root_, segments, 0, result.params);
  if (!node) {
    result.params.clear();
    return result;
  }
  for (Method m :
       {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del}) {
    bool served = node->routes[slot(m)] || (m == Method::head && node->routes[slot(Method::get)]);
    if (!served) continue;
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += method_name(m);
  }
  result.allow += result.allow.empty() ? "OPTIONS" : ", OPTIONS";

  Route* route = method == Method::other ? nullptr : node->routes[slot(method)];
  if (!route && method == Method::head) route = node->routes[slot(Method::get)];
  if (route) {
    result.kind = RouteMatch::Kind::found;
    result.route = route;
  } else {
    result.kind = RouteMatch::Kind::method_not_allowed;
  }
  return result;
}

}  // namespace ferr::http
