#include "api/subscription_routes.hpp"

#include "api/authentication.hpp"
#include "api/request_body.hpp"
#include "api/subscription_json.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

using boost::asio::awaitable;
using core::fail;
using core::Result;
using domain::accounts::Principal;
using domain::subscriptions::Product;
using domain::subscriptions::Tier;
using http::Request;
using http::Response;

/// The tier named by a body member.
Result<Tier> tier_from(const Result<std::string>& text) {
  if (!text) return fail(text.error());
  auto tier = domain::subscriptions::parse_tier(*text);
  if (!tier)
    return fail(core::Error::validation("tier", "tier must be free, pro, team or enterprise"));
  return *tier;
}

/// `tier` when present, `free` otherwise.
Result<Tier> optional_tier(ObjectReader& r) {
  return tier_from(r.optional_string("tier").map(
      [](const std::optional<std::string>& t) { return t.value_or("free"); }));
}

class Routes {
 public:
  explicit Routes(const SubscriptionRoutesDeps& deps) : d_(deps) {}

  awaitable<Response> list(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& user) -> awaitable<Response> {
      std::string slug(req.param("slug"));
      auto rows = co_await d_.subscriptions.list(user, slug);
      if (!rows) co_return http::respond_error(req, rows.error());
      co_return Response::json(200, subscriptions_json(*rows));
    });
  }

  awaitable<Response> activate(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& user) -> awaitable<Response> {
      co_return co_await idempotent(req, user, d_.idempotency, [&]() -> awaitable<Response> {
        struct Input {
          Product product;
          Tier tier;
        };
        auto input = read_body<Input>(req, [](ObjectReader& r) -> Result<Input> {
          auto text = r.required_string("product");
          if (!text) return fail(text.error());
          auto product = domain::subscriptions::parse_product(*text);
          if (!product)
            return fail(core::Error::validation("product",
                                                "product must be ferrflow, ferrvault, ferrtrack, "
                                                "ferrgrowth, ferrfleet or ferrlens"));
          auto tier = optional_tier(r);
          if (!tier) return fail(tier.error());
          return Input{*product, *tier};
        });
        if (!input) co_return co_await d_.auth.refuse(req, user, input.error());
        std::string slug(req.param("slug"));
        auto row = co_await d_.subscriptions.activate(user, slug, input->product, input->tier);
        if (!row) co_return http::respond_error(req, row.error());
        co_return Response::json(201, subscription_json(*row));
      });
    });
  }

  awaitable<Response> change_tier(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& user) -> awaitable<Response> {
      auto tier = read_body<Tier>(
          req, [](ObjectReader& r) { return tier_from(r.required_string("tier")); });
      if (!tier) co_return co_await d_.auth.refuse(req, user, tier.error());
      std::string slug(req.param("slug"));
      std::string product(req.param("product"));
      auto row = co_await d_.subscriptions.change_tier(user, slug, product, *tier);
      if (!row) co_return http::respond_error(req, row.error());
      co_return Response::json(200, subscription_json(*row));
    });
  }

  awaitable<Response> cancel(Request& req) {
    co_return co_await as_user(req, d_.auth, [&](const Principal& user) -> awaitable<Response> {
      // `immediate` is accepted and changes nothing: without a payment provider every
      // cancellation takes effect at once.
      std::string slug(req.param("slug"));
      std::string product(req.param("product"));
      auto row = co_await d_.subscriptions.cancel(user, slug, product);
      if (!row) co_return http::respond_error(req, row.error());
      co_return Response::json(200, subscription_json(*row));
    });
  }

 private:
  SubscriptionRoutesDeps d_;
};

}  // namespace

void add_subscription_routes(http::Router& router, const SubscriptionRoutesDeps& deps) {
  auto routes = std::make_shared<Routes>(deps);
  auto bind = [routes](awaitable<Response> (Routes::*method)(Request&)) {
    return [routes, method](Request& req) { return ((*routes).*method)(req); };
  };
  using http::Method;
  constexpr http::RouteOptions kJson{.json_body = true};
  router.add(Method::get, "/v1/orgs/{slug}/subscriptions", bind(&Routes::list));
  router.add(Method::post, "/v1/orgs/{slug}/subscriptions", bind(&Routes::activate), kJson);
  router.add(Method::patch, "/v1/orgs/{slug}/subscriptions/{product}", bind(&Routes::change_tier),
             kJson);
  router.add(Method::del, "/v1/orgs/{slug}/subscriptions/{product}", bind(&Routes::cancel));
}

}  // namespace ferr::api
