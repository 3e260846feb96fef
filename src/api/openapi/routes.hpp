#pragma once
/// `GET /v1/openapi.json`: the OpenAPI document of every route.

#include <string>

#include "http/router.hpp"

namespace ferr::api {

/// Registers the document's route and builds the document from every route registered so far,
/// this one included: call it after every other `add_…_routes`. Throws std::logic_error when a
/// route has no description (openapi::build_document).
void add_openapi_routes(http::Router& router, const std::string& version);

}  // namespace ferr::api
