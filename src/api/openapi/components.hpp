#pragma once
/// The shared parts of the OpenAPI document: the schemas of every body the API reads or writes
/// (api.md, telemetry.md), its headers, parameters and security schemes.

#include <boost/json/object.hpp>

namespace ferr::api::openapi {

/// The `components` object: `schemas`, `headers`, `parameters`, `securitySchemes`.
boost::json::object components();

}  // namespace ferr::api::openapi
