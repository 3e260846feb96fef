#include "http/middleware/cors.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ferr::http {
namespace {

constexpr const char* kAllowed = "https://app.example.com";

CorsPolicy policy() { return CorsPolicy({"https://other.example.org", kAllowed}); }

Request request_from(const char* origin) {
  Request r;
  if (origin) r.headers.add("Origin", origin);
  return r;
}

Request preflight_from(const char* origin) {
  Request r = request_from(origin);
  r.method = Method::options;
  r.headers.add("Access-Control-Request-Method", "POST");
  r.headers.add("Access-Control-Request-Headers", "content-type");
  return r;
}

bool has_any_cors_header(const Response& r) {
  for (const auto& [name, value] : r.headers.all())
    if (name.rfind("Access-Control-", 0) == 0) return true;
  return false;
}

TEST(CorsApply, AllowedOriginIsEchoedWithCredentialsAndVary) {
  Response response = Response::json(200, "{}");
  policy().apply(request_from(kAllowed), response);
  EXPECT_EQ(response.headers.get("access-control-allow-origin"), kAllowed);
  EXPECT_EQ(response.headers.get("access-control-allow-credentials"), "true");
  EXPECT_EQ(response.headers.get("access-control-expose-headers"), "x-request-id, retry-after");
  EXPECT_EQ(response.headers.get("vary"), "Origin");
  EXPECT_EQ(response.headers.get("content-type"), "application/json");  // untouched
}

TEST(CorsApply, UnknownOriginGetsNothing) {
  for (const char* origin :
       {"https://evil.example.com", "https://app.example.com.evil.com", "https://app.example.com/",
        "http://app.example.com", "HTTPS://APP.EXAMPLE.COM", "null", ""}) {
    Response response = Response::empty(204);
    policy().apply(request_from(origin), response);
    EXPECT_TRUE(response.headers.all().empty()) << origin;
  }
}

TEST(CorsApply, NoOriginGetsNothing) {
  Response response = Response::empty(204);
  policy().apply(request_from(nullptr), response);
  EXPECT_TRUE(response.headers.all().empty());
}

TEST(CorsApply, EmptyAllowlistAllowsNobody) {
  Response response = Response::empty(204);
  CorsPolicy({}).apply(request_from(kAllowed), response);
  EXPECT_TRUE(response.headers.all().empty());
}

TEST(CorsPreflight, AllowedOriginGetsTheHeadersOfApiMd) {
  Response r = policy().preflight(preflight_from(kAllowed), "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(r.status, 204u);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.headers.get("allow"), "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(r.headers.get("access-control-allow-methods"),
            "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  EXPECT_EQ(r.headers.get("access-control-allow-headers"),
            "content-type, authorization, accept, x-request-id, idempotency-key");
  EXPECT_EQ(r.headers.get("access-control-max-age"), "3600");
}

TEST(CorsPreflight, PreflightThenApplyGivesTheFullAnswer) {
  // The dispatcher applies the policy to every response, the preflight answer included.
  Request request = preflight_from(kAllowed);
  Response r = policy().preflight(request, "GET, OPTIONS");
  policy().apply(request, r);
  EXPECT_EQ(r.headers.get("access-control-allow-origin"), kAllowed);
  EXPECT_EQ(r.headers.get("access-control-allow-credentials"), "true");
  EXPECT_EQ(r.headers.get("access-control-max-age"), "3600");
}

TEST(CorsPreflight, UnknownOriginGetsOnlyAllow) {
  Response r = policy().preflight(preflight_from("https://evil.example.com"), "GET, OPTIONS");
  EXPECT_EQ(r.status, 204u);
  EXPECT_EQ(r.headers.get("allow"), "GET, OPTIONS");
  EXPECT_FALSE(has_any_cors_header(r));
}

TEST(CorsPreflight, PlainOptionsWithoutRequestMethodIsNotAPreflight) {
  Response r = policy().preflight(request_from(kAllowed), "GET, OPTIONS");
  EXPECT_EQ(r.status, 204u);
  EXPECT_EQ(r.headers.get("allow"), "GET, OPTIONS");
  EXPECT_FALSE(has_any_cors_header(r));
}

}  // namespace
}  // namespace ferr::http
