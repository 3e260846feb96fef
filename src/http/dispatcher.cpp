#include "http/dispatcher.hpp"

#include <exception>

#include "core/log.hpp"
#include "http/error_response.hpp"
#include "http/middleware/access_log.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/security_headers.hpp"

namespace ferr::http {

namespace {
bool is_json_media_type(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return iequals(media, "application/json");
}
}  // namespace

Dispatcher::Dispatcher(Router& router, core::MetricsRegistry& metrics,
                       std::vector<std::string> cors_origins)
    : router_(router), metrics_(metrics), cors_(std::move(cors_origins)) {
  for (auto& route : router_.routes()) {
    if (!route->metrics)
      route->metrics = std::make_unique<RouteMetrics>(
          metrics_, std::string(method_name(route->method)), route->pattern);
  }
  for (std::size_t i = 0; i < unmatched_metrics_.size(); ++i) {
    unmatched_metrics_[i] = std::make_unique<RouteMetrics>(
        metrics_, std::string(method_name(static_cast<Method>(i))), "unmatched");
  }
}

Plan Dispatcher::plan(Request& request) {
  Plan plan;
  plan.metrics = unmatched_metrics_[static_cast<std::size_t>(request.method)].get();
  request.request_id = assign_request_id(request.headers);

  std::string_view target = request.target;
  auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  request.query =
      question == std::string_view::npos ? std::string() : std::string(target.substr(question + 1));
  if (!split_path(request.path, request.segments)) {
    plan.early = reject(
        request, core::Error::make(core::ErrorCode::bad_request, "malformed request target"));
    return plan;
  }

  RouteMatch match = router_.match(request.method, request.segments);
  if (match.kind == RouteMatch::Kind::not_found) {
    plan.early =
        reject(request, core::Error::make(core::ErrorCode::not_found, "no route for this path"));
    return plan;
  }
  if (request.method == Method::options) {
    plan.early = cors_.preflight(request, match.allow);
    return plan;
  }
  if (match.kind == RouteMatch::Kind::method_not_allowed) {
    plan.early = reject(request, core::Error::make(core::ErrorCode::method_not_allowed,
                                                   "method not allowed on this path"));
    plan.early->headers.add("Allow", match.allow);
    return plan;
  }
  request.params = std::move(match.params);
  plan.route = match.route;
  plan.body_limit = match.route->options.body_limit;
  plan.label = match.route->pattern;
  plan.quiet = match.route->options.quiet_access_log;
  plan.metrics = match.route->metrics.get();
  return plan;
}

Plan Dispatcher::plan_unparsable(Request& request) {
  Plan plan;
  request.method = Method::other;
  request.request_id = assign_request_id(request.headers);
  plan.metrics = unmatched_metrics_[static_cast<std::size_t>(Method::other)].get();
  return plan;
}

boost::asio::awaitable<Response> Dispatcher::run(Request& request, Route& route) {
  if (route.options.json_body) {
    auto content_type = request.headers.get("content-type");
    if (!content_type || !is_json_media_type(*content_type)) {
      co_return reject(request, core::Error::make(core::ErrorCode::unsupported_media_type,
                                                  "the body must be sent as application/json"));
    }
  }
  std::string failure;
  try {
    co_return co_await route.handler(request);
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  co_return reject(
      request, core::Error::internal("unhandled exception in " + route.pattern + ": " + failure));
}

Response Dispatcher::reject(const Request& request, const core::Error& error) {
  return respond_error(request, error);
}

void Dispatcher::finish(const Request& request, Response& response, const Plan& plan,
                        std::chrono::steady_clock::time_point started) {
  cors_.apply(request, response);
  add_security_headers(response);
  response.headers.add("x-request-id", request.request_id);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (plan.metrics) plan.metrics->record(response.status, seconds);
  log_access(request, response, plan.label, seconds, plan.quiet);
}

}  // namespace ferr::http
