#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ferr::http {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

Handler noop() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response::empty(204); };
}

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  EXPECT_TRUE(split_path(path, out)) << path;
  return out;
}

RouteMatch match(const Router& router, Method method, std::string_view path) {
  return router.match(method, segments(path));
}

TEST(Router, LiteralSegmentWinsOverParameter) {
  // Registered in both orders: precedence must not depend on registration order.
  for (bool literal_first : {true, false}) {
    Router router;
    if (literal_first) router.add(Method::get, "/v1/orgs/mine", noop());
    Route& by_slug = router.add(Method::get, "/v1/orgs/{slug}", noop());
    if (!literal_first) router.add(Method::get, "/v1/orgs/mine", noop());

    RouteMatch literal = match(router, Method::get, "/v1/orgs/mine");
    ASSERT_EQ(literal.kind, RouteMatch::Kind::found);
    EXPECT_EQ(literal.route->pattern, "/v1/orgs/mine");
    EXPECT_TRUE(literal.params.empty());

    RouteMatch param = match(router, Method::get, "/v1/orgs/acme");
    ASSERT_EQ(param.kind, RouteMatch::Kind::found);
    EXPECT_EQ(param.route, &by_slug);
    EXPECT_EQ(param.params, (Params{{"slug", "acme"}}));
  }
}

TEST(Router, FallsBackToParameterWhenTheLiteralBranchEndsNowhere) {
  Router router;
  router.add(Method::get, "/v1/orgs/mine", noop());
  Route& members = router.add(Method::get, "/v1/orgs/{slug}/members", noop());
  RouteMatch m = match(router, Method::get, "/v1/orgs/mine/members");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route, &members);
  EXPECT_EQ(m.params, (Params{{"slug", "mine"}}));
}

TEST(Router, ParametersArePercentDecodedAndInPathOrder) {
  Router router;
  router.add(Method::del, "/v1/orgs/{slug}/members/{user_id}", noop());
  RouteMatch m = match(router, Method::del, "/v1/orgs/a%20b/members/caf%C3%A9%2F1");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.params, (Params{{"slug", "a b"}, {"user_id", "caf\xc3\xa9/1"}}));
}

TEST(Router, RootPath) {
  Router router;
  Route& root = router.add(Method::get, "/", noop());
  RouteMatch m = match(router, Method::get, "/");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route, &root);
}

TEST(Router, UnknownPathIsNotFound) {
  Router router;
  router.add(Method::get, "/health", noop());
  router.add(Method::get, "/v1/orgs/{slug}", noop());
  for (const char* path : {"/", "/healthz", "/v1", "/v1/orgs", "/v1/orgs/acme/extra", "/HEALTH"}) {
    RouteMatch m = match(router, Method::get, path);
    EXPECT_EQ(m.kind, RouteMatch::Kind::not_found) << path;
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_TRUE(m.params.empty()) << path;
    EXPECT_TRUE(m.allow.empty()) << path;
  }
}

TEST(Router, KnownPathWithOtherMethodIsMethodNotAllowedWithAllow) {
  Router router;
  router.add(Method::get, "/v1/orgs", noop());
  router.add(Method::post, "/v1/orgs", noop());
  RouteMatch m = match(router, Method::del, "/v1/orgs");
  EXPECT_EQ(m.kind, RouteMatch::Kind::method_not_allowed);
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, OPTIONS");
}

TEST(Router, AllowListsHeadOnlyWhenGetExists) {
  Router router;
  router.add(Method::post, "/auth/login", noop());
  EXPECT_EQ(match(router, Method::get, "/auth/login").allow, "POST, OPTIONS");
  EXPECT_EQ(match(router, Method::head, "/auth/login").kind, RouteMatch::Kind::method_not_allowed);
}

TEST(Router, AllowListsEveryMethodInAStableOrder) {
  Router router;
  // Registered out of order; the Allow list follows GET, HEAD, POST, PUT, PATCH, DELETE.
  for (Method m : {Method::del, Method::patch, Method::put, Method::post, Method::get})
    router.add(m, "/v1/things/{id}", noop());
  RouteMatch m = match(router, Method::get, "/v1/things/1");
  EXPECT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
}

TEST(Router, AllowIsAlsoSetOnFoundMatches) {
  Router router;
  router.add(Method::get, "/health", noop());
  EXPECT_EQ(match(router, Method::get, "/health").allow, "GET, HEAD, OPTIONS");
}

TEST(Router, HeadIsServedByTheGetRoute) {
  Router router;
  Route& get = router.add(Method::get, "/health", noop());
  RouteMatch m = match(router, Method::head, "/health");
  ASSERT_EQ(m.kind, RouteMatch::Kind::found);
  EXPECT_EQ(m.route, &get);
}

TEST(Router, AnExplicitHeadRouteWinsOverGet) {
  Router router;
  router.add(Method::get, "/health", noop());
  Route& head = router.add(Method::head, "/health", noop());
  EXPECT_EQ(match(router, Method::head, "/health").route, &head);
}

TEST(Router, OptionsAndUnknownMethodsOnAKnownPathGetTheAllowList) {
  Router router;
  router.add(Method::get, "/health", noop());
  for (Method method : {Method::options, Method::other}) {
    RouteMatch m = match(router, method, "/health");
    EXPECT_EQ(m.kind, RouteMatch::Kind::method_not_allowed);
    EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");
  }
}

TEST(Router, TrailingSlashDoesNotMatch) {
  Router router;
  router.add(Method::get, "/health", noop());
  router.add(Method::get, "/v1/orgs/{slug}", noop());
  EXPECT_EQ(match(router, Method::get, "/health/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(match(router, Method::get, "/v1/orgs/acme/").kind, RouteMatch::Kind::not_found);
}

TEST(Router, EmptySegmentDoesNotFillAParameter) {
  Router router;
  router.add(Method::get, "/v1/orgs/{slug}", noop());
  router.add(Method::get, "/v1/orgs/{slug}/members", noop());
  EXPECT_EQ(match(router, Method::get, "/v1/orgs/").kind, RouteMatch::Kind::not_found);
  EXPECT_EQ(match(router, Method::get, "/v1/orgs//members").kind, RouteMatch::Kind::not_found);
}

TEST(Router, DuplicateRouteThrows) {
  Router router;
  router.add(Method::get, "/v1/orgs/{slug}", noop());
  EXPECT_THROW(router.add(Method::get, "/v1/orgs/{slug}", noop()), std::invalid_argument);
  // Another method on the same pattern is not a duplicate.
  EXPECT_NO_THROW(router.add(Method::put, "/v1/orgs/{slug}", noop()));
}

TEST(Router, ConflictingParameterNamesThrow) {
  Router router;
  router.add(Method::get, "/v1/orgs/{slug}", noop());
  EXPECT_THROW(router.add(Method::put, "/v1/orgs/{id}", noop()), std::invalid_argument);
}

TEST(Router, MalformedPatternThrows) {
  for (const char* pattern :
       {"", "health", "v1/orgs/{slug}", "/v1/%zz", "/v1/%4", "/v1/%", "/v1/{}"}) {
    Router router;
    EXPECT_THROW(router.add(Method::get, pattern, noop()), std::invalid_argument) << pattern;
    EXPECT_TRUE(router.routes().empty()) << pattern;
  }
}

TEST(Router, MethodOtherCannotBeRouted) {
  Router router;
  EXPECT_THROW(router.add(Method::other, "/x", noop()), std::invalid_argument);
}

TEST(Router, RoutesAreListedInRegistrationOrder) {
  Router router;
  router.add(Method::post, "/b", noop(), RouteOptions{.body_limit = 64});
  router.add(Method::get, "/a", noop());
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[0]->pattern, "/b");
  EXPECT_EQ(router.routes()[0]->method, Method::post);
  EXPECT_EQ(router.routes()[0]->options.body_limit, 64u);
  EXPECT_EQ(router.routes()[1]->pattern, "/a");
}

TEST(SplitPath, SplitsOnSlashes) {
  std::vector<std::string> out;
  ASSERT_TRUE(split_path("/", out));
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(split_path("/v1/orgs/acme", out));
  EXPECT_EQ(out, (std::vector<std::string>{"v1", "orgs", "acme"}));
}

TEST(SplitPath, KeepsEmptySegments) {
  std::vector<std::string> out;
  ASSERT_TRUE(split_path("/a//b/", out));
  EXPECT_EQ(out, (std::vector<std::string>{"a", "", "b", ""}));
}

TEST(SplitPath, PercentDecodesEachSegment) {
  std::vector<std::string> out;
  ASSERT_TRUE(split_path("/a%2Fb/%41%42%63/caf%c3%a9/100%25", out));
  // An encoded slash stays inside its segment.
  EXPECT_EQ(out, (std::vector<std::string>{"a/b", "ABc", "caf\xc3\xa9", "100%"}));
}

TEST(SplitPath, RejectsBadEscapesAndRelativePaths) {
  for (const char* path : {"", "a/b", "/%", "/%4", "/a%4/b", "/%zz", "/%4g", "/%g4", "/ok/%"}) {
    std::vector<std::string> out;
    EXPECT_FALSE(split_path(path, out)) << path;
  }
}

TEST(SplitPath, ClearsPreviousOutput) {
  std::vector<std::string> out{"stale"};
  ASSERT_TRUE(split_path("/", out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace ferr::http
