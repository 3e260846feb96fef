#pragma once
/// What each route of the API does, in the words and shapes of api.md and telemetry.md: the
/// table the OpenAPI document is built from. Every route the router knows must have an entry
/// here and every entry a route (document.cpp refuses to build otherwise), so a route added
/// without its description stops the server at start-up and fails every test.

#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/request.hpp"

namespace ferr::api::openapi {

/// Which credentials a route takes (api.md "Conventions", "API tokens").
enum class Access {
  none,            ///< public
  any_credential,  ///< a session's access token or any API token
  personal,        ///< a session's access token or a personal API token (not an org token)
  session_only,    ///< a session's access token only: API tokens get 403 or 401
  metrics,         ///< METRICS_TOKEN when the operator sets one
};

/// What a success answer carries.
enum class Content { json, none, html, prometheus };

/// One query parameter.
struct QueryParameter {
  std::string_view name;
  std::string_view description;
  enum class Kind { integer, uuid, flag } kind = Kind::integer;
  int minimum = 0;   ///< integers
  int maximum = 0;   ///< integers
  int fallback = 0;  ///< integers: the value when absent
};

/// One route: method and path template as registered, and what the document says of it.
struct Operation {
  http::Method method = http::Method::get;
  std::string_view path;
  std::string_view operation_id;
  std::string_view tag;
  std::string_view summary;
  std::string_view description;
  Access access = Access::none;
  std::string_view request;   ///< component schema of the JSON body; empty: no body
  int status = 200;           ///< the success status
  std::string_view response;  ///< component schema; `[Name]` for an array of Name; empty: none
  Content content = Content::json;
  /// The route's own error codes; those every route of its kind can answer (malformed request,
  /// missing credentials, body errors, unknown org, rate limit, server errors) are added.
  std::vector<core::ErrorCode> errors;
  std::vector<QueryParameter> query;
  bool idempotent = false;    ///< honours Idempotency-Key
  bool rate_limited = false;  ///< the per-IP bucket of its kind (auth or ingestion)
  bool sets_cookie = false;
  bool clears_cookie = false;
  bool attachment = false;  ///< Content-Disposition
};

/// Every operation, in the order of api.md.
const std::vector<Operation>& operations();

}  // namespace ferr::api::openapi
