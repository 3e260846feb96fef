#pragma once
/// `GET /v1/docs`: the API reference as one readable HTML page, rendered by the server from the
/// OpenAPI document at start-up. No script, nothing loaded from elsewhere: its stylesheet is
/// inline and allowed by hash in its Content-Security-Policy.

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace ferr::api::openapi {

/// The complete HTML document (UTF-8) describing `document`: every operation by tag with its
/// parameters, body and answers, the authentication schemes, every schema with its rules.
std::string render_reference(const boost::json::object& document);

/// The page's stylesheet, exactly as it appears between `<style>` and `</style>`.
std::string_view reference_stylesheet();

/// The page's Content-Security-Policy: nothing may load; only the page's own stylesheet applies.
std::string reference_csp();

}  // namespace ferr::api::openapi
