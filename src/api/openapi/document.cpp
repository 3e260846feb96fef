#include "api/openapi/document.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/openapi/components.hpp"
#include "api/openapi/operations.hpp"
#include "api/openapi/schema.hpp"
#include "core/field_limits.hpp"
#include "core/products.hpp"
#include "http/error_response.hpp"

namespace ferr::api::openapi {

namespace {

using boost::json::array;
using boost::json::object;
using C = core::ErrorCode;

bool has_slug(const Operation& op) { return op.path.find("{slug}") != std::string_view::npos; }

// The codes a route can answer: its own and those every route of its kind can.
std::set<C> error_codes(const Operation& op) {
  std::set<C> codes(op.errors.begin(), op.errors.end());
  codes.insert(
      {C::bad_request, C::internal_server_error, C::internal_database, C::service_unavailable});
  if (!op.request.empty())
    codes.insert({C::validation_failed, C::payload_too_large, C::unsupported_media_type});
  if (!op.query.empty()) codes.insert(C::validation_failed);
  if (op.idempotent) codes.insert({C::validation_failed, C::idempotency_key_reused});
  if (op.access != Access::none) codes.insert(C::auth_unauthorized);
  // A read-only token refused a write; an API token refused a session-only route; a role too low.
  if ((op.access != Access::none && op.access != Access::metrics &&
       op.method != http::Method::get) ||
      op.access == Access::session_only || has_slug(op))
    codes.insert(C::auth_forbidden);
  if (has_slug(op)) codes.insert(C::org_not_found);
  if (op.rate_limited) codes.insert(C::rate_limit_exceeded);
  return codes;
}

object header_ref(std::string_view name) {
  return object{{"$ref", "#/components/headers/" + std::string(name)}};
}

object schema_of(std::string_view response) {
  if (response.empty()) return object{{"type", "object"}};
  if (response.front() == '[') return array_of(ref(response.substr(1, response.size() - 2)));
  return ref(response);
}

object success_response(const Operation& op) {
  object headers{{"x-request-id", header_ref("RequestId")}};
  if (op.sets_cookie) headers["Set-Cookie"] = header_ref("SetSessionCookie");
  if (op.clears_cookie) headers["Set-Cookie"] = header_ref("ClearSessionCookie");
  if (op.attachment) headers["Content-Disposition"] = header_ref("ContentDisposition");
  object r{{"description", op.summary}, {"headers", std::move(headers)}};
  switch (op.content) {
    case Content::json:
      r["content"] = object{{"application/json", object{{"schema", schema_of(op.response)}}}};
      break;
    case Content::html:
      r["content"] = object{{"text/html", object{{"schema", string_schema()}}}};
      break;
    case Content::prometheus:
      r["content"] = object{{"text/plain", object{{"schema", string_schema()}}}};
      break;
    case Content::none: break;
  }
  return r;
}

object error_response(unsigned status, const std::vector<C>& codes) {
  array names;
  std::string description;
  for (auto code : codes) {
    names.emplace_back(core::wire_name(code));
    if (!description.empty()) description += ", ";
    description += core::wire_name(code);
  }
  object headers{{"x-request-id", header_ref("RequestId")}};
  // Every code of 423, 429 and 503 comes with Retry-After, except a void verification code
  // (AUTH_VERIFICATION_TOO_MANY_ATTEMPTS: no wait helps, a new code does).
  if (status == 423 || status == 429 || status == 503) {
    bool always = std::find(codes.begin(), codes.end(), C::auth_verification_too_many_attempts) ==
                  codes.end();
    headers["Retry-After"] = header_ref(always ? "RetryAfter" : "RetryAfterWhenRateLimited");
  }
  object schema{
      {"allOf",
       array{ref("Error"), object{{"properties", object{{"code", object{{"enum", names}}}}}}}}};
  return object{{"description", description},
                {"headers", std::move(headers)},
                {"content", object{{"application/json", object{{"schema", std::move(schema)}}}}}};
}

array security(Access access) {
  object bearer{{"bearer", array{}}};
  object api_token{{"apiToken", array{}}};
  object cookie{{"sessionCookie", array{}}};
  switch (access) {
    case Access::none: return array{};
    case Access::metrics: return array{object{}, object{{"metricsToken", array{}}}};
    default: return array{bearer, api_token, cookie};
  }
}

std::string_view credentials_text(Access access) {
  switch (access) {
    case Access::none: return "none (public)";
    case Access::any_credential: return "a session, or any API token";
    case Access::personal: return "a session, or a personal API token";
    case Access::session_only: return "a session (an access token from a login) only";
    case Access::metrics: return "METRICS_TOKEN as a bearer token, when the operator sets one";
  }
  return "";
}

object path_parameter(std::string_view name) {
  object schema;
  std::string_view description;
  if (name == "slug") {
    schema = string_schema({.min_length = core::limits::kSlugMinChars,
                            .max_length = core::limits::kSlugMaxChars,
                            .pattern = core::limits::kSlugPattern});
    description = "The organization's slug.";
  } else if (name == "product") {
    schema = enum_schema_of(core::kProductNames);
    description = "A product.";
  } else {
    schema = uuid_schema();
    description = name == "user_id" ? "The member's user id." : "The id.";
  }
  return object{{"name", name},
                {"in", "path"},
                {"required", true},
                {"description", description},
                {"schema", std::move(schema)}};
}

object query_parameter(const QueryParameter& q) {
  object schema;
  switch (q.kind) {
    case QueryParameter::Kind::integer:
      schema = integer_schema(q.minimum, q.maximum);
      schema["default"] = q.fallback;
      break;
    case QueryParameter::Kind::uuid: schema = uuid_schema(); break;
    case QueryParameter::Kind::flag: schema = string_schema(); break;
  }
  return object{{"name", q.name},
                {"in", "query"},
                {"required", false},
                {"description", q.description},
                {"schema", std::move(schema)}};
}

array parameters(const Operation& op) {
  array out;
  for (std::size_t open = op.path.find('{'); open != std::string_view::npos;
       open = op.path.find('{', open + 1))
    out.push_back(path_parameter(op.path.substr(open + 1, op.path.find('}', open) - open - 1)));
  for (const auto& q : op.query) out.push_back(query_parameter(q));
  if (op.idempotent) out.push_back(object{{"$ref", "#/components/parameters/IdempotencyKey"}});
  return out;
}

object operation_object(const Operation& op, std::string_view alias_of) {
  std::string description;
  if (!alias_of.empty())
    description = "Alias of `" + std::string(alias_of) + "`, served by the same handler. ";
  if (!op.description.empty()) description += std::string(op.description) + " ";
  description += "Credentials: " + std::string(credentials_text(op.access)) + ".";
  object o{{"operationId", alias_of.empty() ? std::string(op.operation_id)
                                            : std::string(op.operation_id) + "Alias"},
           {"tags", array{op.tag}},
           {"summary", op.summary},
           {"description", description},
           {"security", security(op.access)}};
  if (!alias_of.empty()) o["x-alias-of"] = alias_of;
  auto params = parameters(op);
  if (!params.empty()) o["parameters"] = std::move(params);
  if (!op.request.empty())
    o["requestBody"] =
        object{{"required", true},
               {"content", object{{"application/json", object{{"schema", ref(op.request)}}}}}};
  object responses{{std::to_string(op.status), success_response(op)}};
  std::map<unsigned, std::vector<C>> by_status;
  for (auto code : error_codes(op)) by_status[http::status_for(code)].push_back(code);
  for (const auto& [status, codes] : by_status)
    responses[std::to_string(status)] = error_response(status, codes);
  o["responses"] = std::move(responses);
  return o;
}

const Operation* find_operation(http::Method method, std::string_view path) {
  for (const auto& op : operations())
    if (op.method == method && op.path == path) return &op;
  return nullptr;
}

// The groups of operations, in the order of the document.
struct Tag {
  std::string_view name;
  std::string_view description;
};
constexpr Tag kTags[] = {
    {"Accounts", "Sign-up with e-mail verification, sessions, the profile, export and erasure."},
    {"Telemetry preferences", "Opting a person or an organization out of telemetry."},
    {"API tokens", "Long-lived credentials for scripts and tools, personal or per organization."},
    {"Organizations", "Organizations, their members and roles, and their audit log."},
    {"Subscriptions", "Activating, re-tiering and canceling the organization's products."},
    {"Telemetry",
     "Collecting events from FerrLabs' products and publishing the catalog and "
     "k-anonymous statistics."},
    {"Operations", "Probes, metrics and this document."},
};

array tags() {
  array out;
  for (const auto& tag : kTags)
    out.push_back(object{{"name", tag.name}, {"description", tag.description}});
  return out;
}

// A tag of operations.cpp missing from kTags would leave a group without its description.
void check_tag(const Operation& op) {
  for (const auto& tag : kTags)
    if (tag.name == op.tag) return;
  throw std::logic_error("the OpenAPI tag " + std::string(op.tag) + " has no description");
}

constexpr std::string_view kDescription =
    "Accounts, organizations, subscriptions and API tokens of FerrLabs, and its public telemetry. "
    "Bodies are UTF-8 JSON; unknown or repeated members are refused (400 VALIDATION_FAILED). "
    "Every error has the body `Error`, whose `code` is a stable contract. Every response carries "
    "`x-request-id`. An unknown path answers 404 NOT_FOUND; a known path with another method 405 "
    "METHOD_NOT_ALLOWED with `Allow`; HEAD is served wherever GET is.";

}  // namespace

std::string_view canonical_path(std::string_view path, std::string& storage) {
  if (path.starts_with("/auth/")) {
    storage = "/v1" + std::string(path);
    return storage;
  }
  if (path == "/v1/health") return "/health";
  return path;
}

object build_document(const http::Router& router, std::string_view version) {
  object paths;
  std::set<const Operation*> described;
  for (const auto& route : router.routes()) {
    if (route->options.undocumented) continue;
    std::string storage;
    std::string_view canonical = canonical_path(route->pattern, storage);
    const Operation* op = find_operation(route->method, canonical);
    if (op == nullptr)
      throw std::logic_error("the route " + std::string(http::method_name(route->method)) + " " +
                             route->pattern + " has no OpenAPI description (api/openapi)");
    check_tag(*op);
    described.insert(op);
    auto& item = paths[route->pattern];
    if (!item.is_object()) item = object{};
    item.as_object()[http::lower_case_method_name(route->method)] =
        operation_object(*op, canonical == route->pattern ? "" : canonical);
  }
  for (const auto& op : operations())
    if (!described.contains(&op))
      throw std::logic_error("the OpenAPI description of " +
                             std::string(http::method_name(op.method)) + " " +
                             std::string(op.path) + " has no route");
  return object{
      {"openapi", "3.1.0"},
      {"info",
       object{{"title", "FerrLabs API"}, {"version", version}, {"description", kDescription}}},
      {"servers", array{object{{"url", "/"}, {"description", "This server"}}}},
      {"tags", tags()},
      {"paths", std::move(paths)},
      {"components", components()}};
}

}  // namespace ferr::api::openapi
