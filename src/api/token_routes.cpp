#include "api/token_routes.hpp"

#include <string>

#include "api/request_body.hpp"
#include "api/token_json.hpp"
#include "core/time_format.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

using boost::asio::awaitable;
using core::fail;
using core::Result;
using domain::accounts::Principal;
using domain::tokens::TokenRequest;
using http::Request;
using http::Response;

/// `{name, scopes, expires_at?}`, and `owner?` when `with_owner` (org tokens).
Result<TokenRequest> read_token_request(ObjectReader& r, bool with_owner) {
  TokenRequest out;
  auto name = r.required_string("name");
  if (!name) return fail(name.error());
  out.name = *name;
  auto scopes_error = core::Error::validation("scopes",
                                              "scopes must be a non-empty list of \"*\" "
                                              "and \"read\"");
  auto scopes = r.optional_value("scopes");
  if (!scopes) return fail(scopes.error());
  if (!*scopes || !(**scopes)->is_array()) return fail(scopes_error);
  std::vector<std::string> names;
  for (const auto& item : (**scopes)->as_array()) {
    if (!item.is_string()) return fail(scopes_error);
    names.emplace_back(item.as_string());
  }
  auto parsed = domain::tokens::Scopes::from_list(names);
  if (!parsed) return fail(scopes_error);
  out.scopes = *parsed;
  if (with_owner) {
    auto owner = r.optional_string("owner");
    if (!owner) return fail(owner.error());
    if (*owner) {
      out.owner = domain::tokens::parse_owner(**owner);
      if (!out.owner) return fail(core::Error::validation("owner", "owner must be creator or org"));
    }
  }
  auto expires = r.nullable_string("expires_at");
  if (!expires) return fail(expires.error());
  if (expires->has_value()) {
    out.expires_at = core::parse_rfc3339(expires->value);
    if (!out.expires_at)
      return fail(core::Error::validation("expires_at", "expires_at must be an RFC 3339 time"));
  }
  return out;
}

class Routes {
 public:
  explicit Routes(const TokenRoutesDeps& deps) : d_(deps) {}

  awaitable<Response> list_personal(Request& req) {
    co_return co_await as_user(
        req, d_.auth,
        [&](const Principal& caller) -> awaitable<Response> {
          auto tokens = co_await d_.tokens.personal(caller);
          if (!tokens) co_return http::respond_error(req, tokens.error());
          co_return Response::json(200, personal_tokens_json(*tokens));
        },
        Accepts::personal);
  }

  awaitable<Response> create_personal(Request& req) {
    co_return co_await as_user(
        req, d_.auth,
        [&](const Principal& caller) -> awaitable<Response> {
          auto input = read_body<TokenRequest>(
              req, [](ObjectReader& r) { return read_token_request(r, false); });
          if (!input) co_return co_await d_.auth.refuse(req, caller, input.error());
          auto created = co_await d_.tokens.create_personal(caller, *input);
          if (!created) co_return http::respond_error(req, created.error());
          co_return no_store(Response::json(201, created_personal_token_json(*created)));
        },
        Accepts::personal);
  }

  awaitable<Response> revoke_personal(Request& req) {
    co_return co_await as_user(
        req, d_.auth,
        [&](const Principal& caller) -> awaitable<Response> {
          auto done = co_await d_.tokens.revoke_personal(caller, req.param("id"));
          if (!done) co_return http::respond_error(req, done.error());
          co_return Response::json(200, R"({"message":"token revoked"})");
        },
        Accepts::personal);
  }

  awaitable<Response> list_org(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& caller) -> awaitable<Response> {
      auto tokens = co_await d_.tokens.of_org(caller, std::string(req.param("slug")));
      if (!tokens) co_return http::respond_error(req, tokens.error());
      co_return Response::json(200, org_tokens_json(*tokens, d_.clock.now()));
    });
  }

  awaitable<Response> create_org(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& caller) -> awaitable<Response> {
      auto input =
          read_body<TokenRequest>(req, [](ObjectReader& r) { return read_token_request(r, true); });
      if (!input) co_return co_await d_.auth.refuse(req, caller, input.error());
      auto created =
          co_await d_.tokens.create_for_org(caller, std::string(req.param("slug")), *input);
      if (!created) co_return http::respond_error(req, created.error());
      co_return no_store(Response::json(201, created_org_token_json(*created, d_.clock.now())));
    });
  }

  awaitable<Response> revoke_org(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& caller) -> awaitable<Response> {
      auto done = co_await d_.tokens.revoke_for_org(caller, std::string(req.param("slug")),
                                                    req.param("id"));
      if (!done) co_return http::respond_error(req, done.error());
      co_return Response::empty(204);
    });
  }

 private:
  // A creation answer carries the token's only plaintext: no cache may keep it.
  static Response no_store(Response r) {
    r.headers.add("Cache-Control", "no-store");
    return r;
  }

  TokenRoutesDeps d_;
};

}  // namespace

void add_token_routes(http::Router& router, const TokenRoutesDeps& deps) {
  auto routes = std::make_shared<Routes>(deps);
  auto bind = [routes](awaitable<Response> (Routes::*method)(Request&)) {
    return [routes, method](Request& req) { return ((*routes).*method)(req); };
  };
  using http::Method;
  constexpr http::RouteOptions kJson{.json_body = true};
  for (std::string prefix : {"/v1/auth", "/auth"}) {
    router.add(Method::get, prefix + "/tokens", bind(&Routes::list_personal));
    router.add(Method::post, prefix + "/tokens", bind(&Routes::create_personal), kJson);
    router.add(Method::del, prefix + "/tokens/{id}", bind(&Routes::revoke_personal));
  }
  router.add(Method::get, "/v1/orgs/{slug}/tokens", bind(&Routes::list_org));
  router.add(Method::post, "/v1/orgs/{slug}/tokens", bind(&Routes::create_org), kJson);
  router.add(Method::del, "/v1/orgs/{slug}/tokens/{id}", bind(&Routes::revoke_org));
}

}  // namespace ferr::api
