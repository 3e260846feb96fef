#pragma once
/// The OpenAPI 3.1 document of the API, built from the router's own route table and the
/// descriptions of operations.hpp, the way the /telemetry page is built from the catalog.

#include <boost/json/object.hpp>

#include <string_view>

#include "http/router.hpp"

namespace ferr::api::openapi {

/// The document for every route of `router`. Throws std::logic_error naming the route when a
/// route has no description or a description has no route: the two lists cannot drift apart.
/// The first version's `/auth/…` paths and `/v1/health` are described as aliases.
boost::json::object build_document(const http::Router& router, std::string_view version);

/// The path a route is an alias of (`/auth/x` → `/v1/auth/x`, `/v1/health` → `/health`), or the
/// path itself.
std::string_view canonical_path(std::string_view path, std::string& storage);

}  // namespace ferr::api::openapi
