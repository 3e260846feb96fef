// The API reference page (/v1/docs) shows every operation, alias and schema of the document, as
// a well-formed page that loads nothing and runs nothing.

#include "api/openapi/reference.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api/html.hpp"
#include "api/openapi/document.hpp"
#include "support/html_document.hpp"
#include "unit/api/openapi/described_routes.hpp"

namespace ferr::api::openapi {
namespace {

using boost::json::object;

class ReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::Router router;
    testing::add_described_routes(router);
    document_ = build_document(router, "9.8.7");
    html_ = render_reference(document_);
  }

  bool has_id(const std::string& id) const {
    return html_.find(" id=\"" + id + "\"") != std::string::npos;
  }

  object document_;
  std::string html_;
};

TEST_F(ReferenceTest, IsAWellFormedPageWithUniqueIdsAndOnlyInternalLinks) {
  auto page = ferr::testing::parse_html(html_);
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(html_.starts_with("<!DOCTYPE html><html lang=\"en\">"));
  std::set<std::string> ids;
  for (const auto& tag : page.tags) {
    if (auto id = tag.attrs.find("id"); id != tag.attrs.end()) {
      EXPECT_TRUE(ids.insert(id->second).second) << "duplicate id " << id->second;
    }
  }
  std::size_t links = 0;
  for (const auto& tag : page.tags) {
    EXPECT_NE(tag.name, "script");
    EXPECT_NE(tag.name, "img");
    EXPECT_FALSE(tag.attrs.contains("src"));
    EXPECT_FALSE(tag.attrs.contains("style")) << "an inline style attribute would break the CSP";
    if (auto ref = tag.attrs.find("aria-labelledby"); ref != tag.attrs.end()) {
      EXPECT_TRUE(ids.contains(ref->second)) << ref->second;
    }
    if (auto href = tag.attrs.find("href"); href != tag.attrs.end()) {
      ++links;
      if (href->second.starts_with("#")) {
        EXPECT_TRUE(ids.contains(href->second.substr(1))) << "dangling link " << href->second;
      } else {
        EXPECT_EQ(href->second, "/v1/openapi.json");
      }
    }
  }
  EXPECT_GT(links, document_.at("components").at("schemas").as_object().size());
}

TEST_F(ReferenceTest, ShowsEveryOperationOnceAndNamesItsAliases) {
  std::size_t operations = 0;
  for (const auto& [path, item] : document_.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      const auto& o = op.as_object();
      std::string code = "<code>" + html_escape(path) + "</code>";
      if (o.contains("x-alias-of")) {
        EXPECT_NE(html_.find("Also served at " + code), std::string::npos) << path;
        EXPECT_FALSE(has_id("op-" + std::string(o.at("operationId").as_string()))) << path;
        continue;
      }
      ++operations;
      EXPECT_TRUE(has_id("op-" + std::string(o.at("operationId").as_string()))) << path;
      EXPECT_NE(html_.find(code), std::string::npos) << path;
      EXPECT_NE(html_.find(html_escape(o.at("summary").as_string())), std::string::npos) << path;
    }
  }
  std::size_t articles = 0;
  for (auto at = html_.find("<article "); at != std::string::npos;
       at = html_.find("<article ", at + 1))
    ++articles;
  EXPECT_EQ(articles, operations);
}

TEST_F(ReferenceTest, ShowsEverySchemaWithItsMembersAndRules) {
  for (const auto& [name, schema] : document_.at("components").at("schemas").as_object()) {
    EXPECT_TRUE(has_id("schema-" + std::string(name))) << name;
    if (const auto* properties = schema.as_object().if_contains("properties")) {
      for (const auto& [member, _] : properties->as_object()) {
        EXPECT_NE(html_.find("<code>" + html_escape(member) + "</code>"), std::string::npos)
            << name << "." << member;
      }
    }
  }
  // The limits are shown as the document states them.
  EXPECT_NE(html_.find("2–40 characters; pattern <code>^[a-z0-9][a-z0-9-]*[a-z0-9]$</code>"),
            std::string::npos);
  EXPECT_NE(html_.find("8–128 characters"), std::string::npos);
  EXPECT_NE(html_.find("1–200; default 50"), std::string::npos);
}

TEST_F(ReferenceTest, ShowsEachAnswersErrorCodesAndTheAuthenticationSchemes) {
  EXPECT_NE(html_.find("<code>ORG_LAST_OWNER</code>"), std::string::npos);
  EXPECT_NE(html_.find("<code>IDEMPOTENCY_KEY_REUSED</code>"), std::string::npos);
  EXPECT_NE(html_.find("header <code>Retry-After</code>"), std::string::npos);
  EXPECT_NE(html_.find("<code>x-api-token</code>"), std::string::npos);
  EXPECT_NE(html_.find("<code>fl_session</code>"), std::string::npos);
  EXPECT_NE(html_.find("Version 9.8.7"), std::string::npos);
}

TEST(ReferenceCsp, AllowsExactlyThePageStylesheetAndNothingElse) {
  EXPECT_EQ(reference_csp(), "default-src 'none'; style-src " +
                                 csp_hash_source(reference_stylesheet()) +
                                 "; img-src 'none'; base-uri 'none'; form-action 'none'; "
                                 "frame-ancestors 'none'");
  http::Router router;
  testing::add_described_routes(router);
  auto html = render_reference(build_document(router, "1"));
  EXPECT_NE(html.find("<style>" + std::string(reference_stylesheet()) + "</style>"),
            std::string::npos);
}

}  // namespace
}  // namespace ferr::api::openapi
