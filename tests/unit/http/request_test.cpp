#include "http/request.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace ferr::http {
namespace {

TEST(Headers, GetIgnoresCase) {
  Headers h;
  h.add("Content-Type", "application/json");
  EXPECT_EQ(h.get("content-type"), "application/json");
  EXPECT_EQ(h.get("CONTENT-TYPE"), "application/json");
  EXPECT_EQ(h.get("Content-Type"), "application/json");
  EXPECT_FALSE(h.get("content-length").has_value());
  EXPECT_FALSE(h.get("content-typ").has_value());
}

TEST(Headers, GetReturnsTheFirstOfRepeatedFields) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");
  EXPECT_EQ(h.all().size(), 2u);  // add keeps repeatable fields separate
}

TEST(Headers, SetReplacesEveryFieldOfThatNameWhateverItsCase) {
  Headers h;
  h.add("Vary", "Accept");
  h.add("X-Other", "kept");
  h.add("VARY", "Origin");
  h.set("vary", "Cookie");
  EXPECT_EQ(h.get("Vary"), "Cookie");
  int vary_fields = 0;
  for (const auto& [name, value] : h.all())
    if (iequals(name, "vary")) ++vary_fields;
  EXPECT_EQ(vary_fields, 1);
  EXPECT_EQ(h.get("x-other"), "kept");
}

TEST(Headers, KeepsArrivalOrder) {
  Headers h;
  h.add("B", "2");
  h.add("A", "1");
  ASSERT_EQ(h.all().size(), 2u);
  EXPECT_EQ(h.all()[0].first, "B");
  EXPECT_EQ(h.all()[1].first, "A");
}

TEST(Iequals, ComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(iequals("Content-Length", "content-LENGTH"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("abc", "abcd"));
  EXPECT_FALSE(iequals("abc", "abd"));
  EXPECT_FALSE(iequals("[", "{"));  // '[' and '{' differ by the case bit but are not letters
}

TEST(QueryParam, ReturnsDecodedValues) {
  Request r;
  r.query = "limit=10&q=caf%C3%A9%20au%20lait&empty=&flag&tag=a%26b";
  EXPECT_EQ(r.query_param("limit"), "10");
  EXPECT_EQ(r.query_param("q"), "caf\xc3\xa9 au lait");
  EXPECT_EQ(r.query_param("empty"), "");
  EXPECT_EQ(r.query_param("flag"), "");
  EXPECT_EQ(r.query_param("tag"), "a&b");
  EXPECT_FALSE(r.query_param("missing").has_value());
  EXPECT_FALSE(r.query_param("Limit").has_value());  // names are case-sensitive
}

TEST(QueryParam, DecodesPlusAsSpaceAndEncodedNames) {
  Request r;
  r.query = "name=John+Doe&filter%5Bstatus%5D=active";
  EXPECT_EQ(r.query_param("name"), "John Doe");
  EXPECT_EQ(r.query_param("filter[status]"), "active");
}

TEST(QueryParam, FirstOccurrenceWins) {
  Request r;
  r.query = "a=1&a=2";
  EXPECT_EQ(r.query_param("a"), "1");
}

TEST(QueryParam, EmptyOrMalformedQueryHasNoParameters) {
  Request r;
  EXPECT_FALSE(r.query_param("a").has_value());
  r.query = "a=%zz";
  EXPECT_FALSE(r.query_param("a").has_value());
}

TEST(Param, FindsRouteParametersByName) {
  Request r;
  r.params = {{"slug", "acme"}, {"user_id", "42"}};
  EXPECT_EQ(r.param("slug"), "acme");
  EXPECT_EQ(r.param("user_id"), "42");
  EXPECT_EQ(r.param("missing"), "");
}

TEST(Method, ParseAndNameRoundTrip) {
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del,
                   Method::options}) {
    EXPECT_EQ(parse_method(method_name(m)), m) << method_name(m);
  }
  EXPECT_EQ(method_name(Method::del), "DELETE");
  EXPECT_EQ(method_name(Method::other), "OTHER");
}

TEST(Method, TheLowerCaseNameIsTheNameInLowerCase) {
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del,
                   Method::options, Method::other}) {
    std::string lowered(method_name(m));
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(lower_case_method_name(m), lowered);
  }
}

TEST(Method, ParseIsCaseSensitiveAndMapsTheRestToOther) {
  for (const char* token : {"get", "Get", "TRACE", "CONNECT", "OTHER", "DEL", "", "GET "}) {
    EXPECT_EQ(parse_method(token), Method::other) << token;
  }
}

TEST(Response, JsonSetsTheContentType) {
  Response r = Response::json(201, R"({"ok":true})");
  EXPECT_EQ(r.status, 201u);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(r.headers.get("content-type"), "application/json");
  EXPECT_FALSE(r.close_connection);
}

TEST(Response, EmptyHasNoBodyAndNoHeaders) {
  Response r = Response::empty(204);
  EXPECT_EQ(r.status, 204u);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(r.headers.all().empty());
}

}  // namespace
}  // namespace ferr::http
