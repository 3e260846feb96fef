#pragma once
/// `GET /v1/openapi.json`, the OpenAPI document of every route, and `GET /v1/docs`, the reference
/// page rendered from it.

#include <string>

#include "http/router.hpp"

namespace ferr::api {

/// Registers the two routes and builds the document from every route registered so far,
/// these two included: call it after every other `add_…_routes`. Throws std::logic_error when a
/// route has no description (openapi::build_document).
void add_openapi_routes(http::Router& router, const std::string& version);

}  // namespace ferr::api
