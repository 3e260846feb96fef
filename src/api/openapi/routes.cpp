#include "api/openapi/routes.hpp"

#include <boost/json/serialize.hpp>

#include <memory>

#include "api/openapi/document.hpp"

namespace ferr::api {

void add_openapi_routes(http::Router& router, const std::string& version) {
  using boost::asio::awaitable;
  using http::Request;
  using http::Response;
  // The document describes its own route, so the route exists before the document is built;
  // the text is shared with the handler once built and never changes while the process runs.
  auto document = std::make_shared<std::string>();
  router.add(http::Method::get, "/v1/openapi.json", [document](Request&) -> awaitable<Response> {
    co_return Response::json(200, *document);
  });
  *document = boost::json::serialize(openapi::build_document(router, version));
}

}  // namespace ferr::api
