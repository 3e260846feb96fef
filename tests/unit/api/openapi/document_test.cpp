#include "api/openapi/document.hpp"

#include <gtest/gtest.h>

#include <boost/json/value.hpp>

#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/openapi/operations.hpp"
#include "core/field_limits.hpp"
#include "domain/accounts/validation.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "domain/orgs/org_service.hpp"
#include "unit/api/openapi/described_routes.hpp"

namespace ferr::api::openapi {
namespace {

using boost::json::array;
using boost::json::object;

using testing::add_described_routes;
using testing::nothing;

const object& operation(const object& document, const std::string& path, const char* method) {
  return document.at("paths").at(path).at(method).as_object();
}

array codes_of(const object& op, const char* status) {
  return op.at("responses")
      .at(status)
      .at("content")
      .at("application/json")
      .at("schema")
      .at("allOf")
      .at(1)
      .at("properties")
      .at("code")
      .at("enum")
      .as_array();
}

bool contains(const array& codes, std::string_view code) {
  for (const auto& c : codes)
    if (c.as_string() == code) return true;
  return false;
}

TEST(OpenApiDocument, DescribesEveryRouteOfTheRouterAndItsAliases) {
  http::Router router;
  add_described_routes(router);
  object document = build_document(router, "1.2.3");
  EXPECT_EQ(document.at("openapi"), "3.1.0");
  EXPECT_EQ(document.at("info").at("version"), "1.2.3");
  const auto& paths = document.at("paths").as_object();
  std::size_t methods = 0;
  for (const auto& [path, item] : paths) methods += item.as_object().size();
  EXPECT_EQ(methods, router.routes().size());
  for (const auto& route : router.routes()) {
    std::string method(http::method_name(route->method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(paths.contains(route->pattern) &&
                paths.at(route->pattern).as_object().contains(method))
        << route->pattern;
  }
  const auto& alias = operation(document, "/auth/login", "post");
  EXPECT_EQ(alias.at("operationId"), "loginAlias");
  EXPECT_TRUE(alias.at("description").as_string().starts_with("Alias of `/v1/auth/login`"));
  EXPECT_EQ(operation(document, "/v1/auth/login", "post").at("operationId"), "login");
  EXPECT_EQ(operation(document, "/v1/health", "get").at("operationId"), "healthAlias");
}

TEST(OpenApiDocument, ARouteWithoutItsDescriptionStopsTheBuild) {
  http::Router router;
  add_described_routes(router);
  router.add(http::Method::get, "/v1/undescribed", nothing());
  try {
    build_document(router, "1");
    FAIL() << "built a document without the route's description";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("GET /v1/undescribed"), std::string::npos) << e.what();
  }
}

TEST(OpenApiDocument, ADescriptionWithoutItsRouteStopsTheBuild) {
  http::Router router;
  add_described_routes(router, "/v1/orgs/{slug}/audit");
  try {
    build_document(router, "1");
    FAIL() << "built a document describing a route the router does not have";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("/v1/orgs/{slug}/audit"), std::string::npos) << e.what();
  }
}

TEST(OpenApiDocument, RoutesMarkedUndocumentedAreLeftOut) {
  http::Router router;
  add_described_routes(router);
  router.add(http::Method::get, "/test/echo", nothing(), {.undocumented = true});
  object document = build_document(router, "1");
  EXPECT_FALSE(document.at("paths").as_object().contains("/test/echo"));
}

TEST(OpenApiDocument, ErrorsListTheRoutesOwnCodesAndThoseOfItsKind) {
  http::Router router;
  add_described_routes(router);
  object document = build_document(router, "1");
  const auto& remove = operation(document, "/v1/orgs/{slug}/members/{user_id}", "delete");
  EXPECT_TRUE(contains(codes_of(remove, "409"), "ORG_LAST_OWNER"));
  EXPECT_TRUE(contains(codes_of(remove, "404"), "ORG_MEMBER_NOT_FOUND"));
  EXPECT_TRUE(contains(codes_of(remove, "404"), "ORG_NOT_FOUND"));  // any {slug} route
  EXPECT_TRUE(contains(codes_of(remove, "401"), "AUTH_UNAUTHORIZED"));
  EXPECT_TRUE(contains(codes_of(remove, "403"), "AUTH_FORBIDDEN"));
  EXPECT_TRUE(contains(codes_of(remove, "400"), "ORG_CANNOT_REMOVE_SELF"));

  const auto& catalog = operation(document, "/v1/telemetry/catalog", "get");
  EXPECT_FALSE(catalog.at("responses").as_object().contains("401"));  // public
  EXPECT_TRUE(catalog.at("security").as_array().empty());

  const auto& create = operation(document, "/v1/orgs", "post");
  EXPECT_TRUE(contains(codes_of(create, "422"), "IDEMPOTENCY_KEY_REUSED"));
  EXPECT_TRUE(contains(codes_of(create, "415"), "UNSUPPORTED_MEDIA_TYPE"));
  EXPECT_EQ(create.at("parameters").at(0).at("$ref"), "#/components/parameters/IdempotencyKey");

  // Retry-After is promised on 429 only where every 429 carries it.
  const auto& login = operation(document, "/v1/auth/login", "post");
  EXPECT_EQ(login.at("responses").at("429").at("headers").at("Retry-After").at("$ref"),
            "#/components/headers/RetryAfter");
  const auto& verify = operation(document, "/v1/auth/verify-email", "post");
  EXPECT_EQ(verify.at("responses").at("429").at("headers").at("Retry-After").at("$ref"),
            "#/components/headers/RetryAfterWhenRateLimited");
}

TEST(OpenApiDocument, TheErrorSchemaListsEveryCode) {
  http::Router router;
  add_described_routes(router);
  object document = build_document(router, "1");
  const auto& codes = document.at("components")
                          .at("schemas")
                          .at("Error")
                          .at("properties")
                          .at("code")
                          .at("enum")
                          .as_array();
  EXPECT_EQ(codes.size(), static_cast<std::size_t>(core::kLastErrorCode) + 1);
  EXPECT_TRUE(contains(codes, "INTERNAL_SERVER_ERROR"));
  EXPECT_TRUE(contains(codes, "BAD_REQUEST"));
}

// The published patterns and the validators the handlers call agree, value by value.
TEST(OpenApiDocument, PublishedPatternsAgreeWithTheValidators) {
  const std::regex slug(std::string(core::limits::kSlugPattern));
  for (const std::string& s :
       std::vector<std::string>{"ab", "a-b", "acme-2026", "a", "-ab", "ab-", "Ab", "a_b", "a b",
                                std::string(40, 'a'), std::string(41, 'a')}) {
    bool by_pattern = std::regex_match(s, slug) && s.size() >= core::limits::kSlugMinChars &&
                      s.size() <= core::limits::kSlugMaxChars;
    EXPECT_EQ(by_pattern, domain::orgs::is_valid_slug(s)) << s;
  }
  const std::regex locale(std::string(core::limits::kLocalePattern));
  for (const std::string& s :
       std::vector<std::string>{"en", "fr-FR", "EN", "en-fr", "eng", "en_US", "", "en-FRA"})
    EXPECT_EQ(std::regex_match(s, locale), domain::accounts::is_valid_locale(s)) << s;
  const std::regex key(std::string(core::limits::kIdempotencyKeyPattern));
  for (const std::string& s :
       std::vector<std::string>{"k", "a key ~!", std::string(255, 'x'), std::string(256, 'x'), "",
                                "tab\there", "caf\xc3\xa9"})
    EXPECT_EQ(std::regex_match(s, key), domain::idempotency::is_valid_key(s)) << s;
}

TEST(OpenApiDocument, RequestLimitsComeFromTheFieldRules) {
  http::Router router;
  add_described_routes(router);
  object document = build_document(router, "1");
  const auto& schemas = document.at("components").at("schemas");
  const auto& slug = schemas.at("NewOrg").at("properties").at("slug");
  EXPECT_EQ(slug.at("maxLength"), core::limits::kSlugMaxChars);
  EXPECT_EQ(slug.at("pattern").as_string(), core::limits::kSlugPattern);
  const auto& password = schemas.at("Registration").at("properties").at("password");
  EXPECT_EQ(password.at("minLength"), core::limits::kPasswordMinChars);
  EXPECT_EQ(password.at("maxLength"), core::limits::kPasswordMaxChars);
  const auto& audit = operation(document, "/v1/orgs/{slug}/audit", "get");
  const auto& limit = audit.at("parameters").at(1).at("schema");
  EXPECT_EQ(limit.at("maximum"), core::limits::kAuditPageMax);
  EXPECT_EQ(limit.at("default"), core::limits::kAuditPageDefault);
}

}  // namespace
}  // namespace ferr::api::openapi
