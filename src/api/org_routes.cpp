#include "api/org_routes.hpp"

#include <charconv>

#include "api/account_json.hpp"
#include "api/authentication.hpp"
#include "api/idempotent.hpp"
#include "api/org_json.hpp"
#include "api/request_body.hpp"
#include "core/field_limits.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

using boost::asio::awaitable;
using core::fail;
using core::Result;
using domain::accounts::Principal;
using domain::orgs::NewMember;
using domain::orgs::Role;
using http::Request;
using http::Response;

constexpr http::RouteOptions kJson{.json_body = true};

Response telemetry_prefs_response(bool opt_out) {
  return Response::json(
      200, opt_out ? R"({"telemetry_opt_out":true})" : R"({"telemetry_opt_out":false})");
}

Result<Role> read_role(ObjectReader& r, bool required) {
  std::optional<std::string> text;
  if (required) {
    auto value = r.required_string("role");
    if (!value) return fail(value.error());
    text = *value;
  } else {
    auto value = r.optional_string("role");
    if (!value) return fail(value.error());
    text = *value;
  }
  if (!text) return Role::member;
  auto role = domain::orgs::parse_role(*text);
  if (!role)
    return fail(core::Error::validation("role", "role must be owner, admin, member or viewer"));
  return *role;
}

// Each route: authenticate, decode, await the service, encode.
class Routes {
 public:
  explicit Routes(const OrgRoutesDeps& deps) : d_(deps) {}

  template <typename F>
  awaitable<Response> as_user(Request& req, F&& work) {
    return api::as_user(req, d_.auth, std::forward<F>(work));
  }

  awaitable<Response> create(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      co_return co_await idempotent(req, user, d_.idempotency, [&]() -> awaitable<Response> {
        struct Input {
          std::string slug, name;
        };
        auto input = read_body<Input>(req, [](ObjectReader& r) -> Result<Input> {
          auto slug = r.required_string("slug");
          if (!slug) return fail(slug.error());
          auto name = r.required_string("name");
          if (!name) return fail(name.error());
          return Input{*slug, *name};
        });
        if (!input) co_return co_await d_.auth.refuse(req, user, input.error());
        auto org = co_await d_.orgs.create(user, input->slug, input->name);
        if (!org) co_return http::respond_error(req, org.error());
        co_return Response::json(201, org_json(*org));
      });
    });
  }

  awaitable<Response> list(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      auto orgs = co_await d_.orgs.list(user);
      if (!orgs) co_return http::respond_error(req, orgs.error());
      co_return Response::json(200, orgs_json(*orgs));
    });
  }

  awaitable<Response> get(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      std::string slug(req.param("slug"));
      auto org = co_await d_.orgs.get(user, slug);
      if (!org) co_return http::respond_error(req, org.error());
      co_return Response::json(200, org_json(*org));
    });
  }

  awaitable<Response> update(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      struct Input {
        std::optional<std::string> name, slug;
      };
      auto input = read_body<Input>(req, [](ObjectReader& r) -> Result<Input> {
        auto name = r.optional_string("name");
        if (!name) return fail(name.error());
        auto slug = r.optional_string("slug");
        if (!slug) return fail(slug.error());
        return Input{*name, *slug};
      });
      if (!input) co_return co_await d_.auth.refuse(req, user, input.error());
      std::string slug(req.param("slug"));
      auto org = co_await d_.orgs.update(user, slug, input->name, input->slug);
      if (!org) co_return http::respond_error(req, org.error());
      co_return Response::json(200, org_json(*org));
    });
  }

  awaitable<Response> members(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      std::string slug(req.param("slug"));
      auto members = co_await d_.orgs.members(user, slug);
      if (!members) co_return http::respond_error(req, members.error());
      co_return Response::json(200, members_json(*members));
    });
  }

  awaitable<Response> add_member(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      co_return co_await idempotent(req, user, d_.idempotency, [&]() -> awaitable<Response> {
        auto input = read_body<NewMember>(req, [](ObjectReader& r) -> Result<NewMember> {
          auto email = r.required_string("email");
          if (!email) return fail(email.error());
          auto role = read_role(r, false);
          if (!role) return fail(role.error());
          return NewMember{*email, *role};
        });
        if (!input) co_return co_await d_.auth.refuse(req, user, input.error());
        std::string slug(req.param("slug"));
        auto member = co_await d_.orgs.add_member(user, slug, *input);
        if (!member) co_return http::respond_error(req, member.error());
        co_return Response::json(201, member_json(*member));
      });
    });
  }

  awaitable<Response> change_role(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      auto role = read_body<Role>(req, [](ObjectReader& r) { return read_role(r, true); });
      if (!role) co_return co_await d_.auth.refuse(req, user, role.error());
      std::string slug(req.param("slug"));
      auto member = co_await d_.orgs.change_role(user, slug, req.param("user_id"), *role);
      if (!member) co_return http::respond_error(req, member.error());
      co_return Response::json(200, member_json(*member));
    });
  }

  awaitable<Response> remove_member(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      std::string slug(req.param("slug"));
      auto done = co_await d_.orgs.remove_member(user, slug, req.param("user_id"));
      if (!done) co_return http::respond_error(req, done.error());
      co_return Response::empty(204);
    });
  }

  awaitable<Response> telemetry_prefs(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      std::string slug(req.param("slug"));
      auto opt_out = co_await d_.orgs.telemetry_opt_out(user, slug);
      if (!opt_out) co_return http::respond_error(req, opt_out.error());
      co_return telemetry_prefs_response(*opt_out);
    });
  }

  awaitable<Response> set_telemetry_prefs(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      auto wanted = read_body<bool>(
          req, [](ObjectReader& r) { return r.required_bool("telemetry_opt_out"); });
      if (!wanted) co_return co_await d_.auth.refuse(req, user, wanted.error());
      std::string slug(req.param("slug"));
      auto saved = co_await d_.orgs.set_telemetry_opt_out(user, slug, *wanted);
      if (!saved) co_return http::respond_error(req, saved.error());
      co_return telemetry_prefs_response(*saved);
    });
  }

  awaitable<Response> audit(Request& req) {
    co_return co_await as_user(req, [&](const Principal& user) -> awaitable<Response> {
      int limit = core::limits::kAuditPageDefault;
      if (auto text = req.query_param("limit")) {
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
        if (ec != std::errc() || end != text->data() + text->size() ||
            limit < core::limits::kAuditPageMin || limit > core::limits::kAuditPageMax)
          co_return co_await d_.auth.refuse(
              req, user, core::Error::validation("limit", "limit must be a number from 1 to 200"));
      }
      std::optional<core::AuditEntryId> before;
      if (auto text = req.query_param("before")) {
        before = core::AuditEntryId::parse(*text);
        if (!before)
          co_return co_await d_.auth.refuse(
              req, user, core::Error::validation("before", "before must be an audit entry id"));
      }
      std::string slug(req.param("slug"));
      auto entries = co_await d_.orgs.audit(user, slug, limit, before);
      if (!entries) co_return http::respond_error(req, entries.error());
      co_return Response::json(200, audit_json(*entries));
    });
  }

 private:
  OrgRoutesDeps d_;
};

}  // namespace

void add_org_routes(http::Router& router, const OrgRoutesDeps& deps) {
  auto routes = std::make_shared<Routes>(deps);
  auto bind = [routes](awaitable<Response> (Routes::*method)(Request&)) {
    return [routes, method](Request& req) { return ((*routes).*method)(req); };
  };
  using http::Method;
  router.add(Method::post, "/v1/orgs", bind(&Routes::create), kJson);
  router.add(Method::get, "/v1/orgs", bind(&Routes::list));
  router.add(Method::get, "/v1/orgs/{slug}", bind(&Routes::get));
  router.add(Method::patch, "/v1/orgs/{slug}", bind(&Routes::update), kJson);
  router.add(Method::get, "/v1/orgs/{slug}/members", bind(&Routes::members));
  router.add(Method::post, "/v1/orgs/{slug}/members", bind(&Routes::add_member), kJson);
  router.add(Method::patch, "/v1/orgs/{slug}/members/{user_id}", bind(&Routes::change_role), kJson);
  router.add(Method::del, "/v1/orgs/{slug}/members/{user_id}", bind(&Routes::remove_member));
  router.add(Method::get, "/v1/orgs/{slug}/telemetry-prefs", bind(&Routes::telemetry_prefs));
  router.add(Method::put, "/v1/orgs/{slug}/telemetry-prefs", bind(&Routes::set_telemetry_prefs),
             kJson);
  router.add(Method::get, "/v1/orgs/{slug}/audit", bind(&Routes::audit));
}

}  // namespace ferr::api
