#include "api/openapi/routes.hpp"

#include <boost/json/serialize.hpp>

#include <memory>

#include "api/openapi/document.hpp"
#include "api/openapi/reference.hpp"

namespace ferr::api {

namespace {

// What both routes serve, built once every route is registered; never changes afterwards.
struct Published {
  std::string json;
  std::string html;
  std::string csp;
};

}  // namespace

void add_openapi_routes(http::Router& router, const std::string& version) {
  using boost::asio::awaitable;
  using http::Request;
  using http::Response;
  // The document describes its own routes, so they exist before it is built.
  auto published = std::make_shared<Published>();
  router.add(http::Method::get, "/v1/openapi.json", [published](Request&) -> awaitable<Response> {
    co_return Response::json(200, published->json);
  });
  router.add(http::Method::get, "/v1/docs", [published](Request&) -> awaitable<Response> {
    Response response;
    response.status = 200;
    response.body = published->html;
    response.headers.add("Content-Type", "text/html; charset=utf-8");
    response.headers.add("Content-Security-Policy", published->csp);
    co_return response;
  });
  auto document = openapi::build_document(router, version);
  published->json = boost::json::serialize(document);
  published->html = openapi::render_reference(document);
  published->csp = openapi::reference_csp();
}

}  // namespace ferr::api
