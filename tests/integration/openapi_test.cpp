// GET /v1/openapi.json on the running application: the document of exactly the routes it serves,
// and GET /v1/docs, the page rendered from it.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <string>
#include <utility>

#include "api/openapi/reference.hpp"
#include "support/api_test.hpp"

namespace ferr {
namespace {

class OpenApiTest : public testing::ApiTest {};

TEST_F(OpenApiTest, ServesTheDocumentOfExactlyTheRoutesItServes) {
  auto r = call("GET", "/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.header("content-type").starts_with("application/json"));
  auto document = boost::json::parse(r.body).as_object();
  EXPECT_EQ(document.at("openapi"), "3.1.0");

  std::set<std::pair<std::string, std::string>> served;
  for (const auto& route : app_->router().routes())
    served.emplace(http::lower_case_method_name(route->method), route->pattern);
  std::set<std::pair<std::string, std::string>> described;
  for (const auto& [path, item] : document.at("paths").as_object())
    for (const auto& [method, operation] : item.as_object())
      described.emplace(std::string(method), std::string(path));
  EXPECT_EQ(described, served);
  EXPECT_TRUE(served.contains({"get", "/v1/openapi.json"}));
}

TEST_F(OpenApiTest, TheDocumentIsServedBeforeAnyoneLogsIn) {
  // Public, and the same bytes each time (built once at start-up).
  auto first = call("GET", "/v1/openapi.json");
  auto second = call("GET", "/v1/openapi.json", "", "Authorization: Bearer nonsense\r\n");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(first.body, second.body);
}

TEST_F(OpenApiTest, TheReferencePageIsServedUnderItsOwnPolicy) {
  auto r = call("GET", "/v1/docs");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("content-security-policy"), api::openapi::reference_csp());
  EXPECT_NE(r.body.find("<a href=\"/v1/openapi.json\">"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"op-createOrg\""), std::string::npos);
  EXPECT_EQ(call("HEAD", "/v1/docs").status, 200);
}

}  // namespace
}  // namespace ferr
