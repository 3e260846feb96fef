#include "api/account_routes.hpp"

#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "api/authentication.hpp"
#include "api/export_json.hpp"
#include "api/request_body.hpp"
#include "http/error_response.hpp"

namespace ferr::api {

namespace {

using boost::asio::awaitable;
using core::fail;
using core::Result;
using domain::accounts::Credentials;
using domain::accounts::EmailVerification;
using domain::accounts::PasswordReset;
using domain::accounts::Principal;
using http::Request;
using http::Response;

constexpr http::RouteOptions kJson{.json_body = true};

Response accepted() { return Response::json(202, R"({"status":"accepted"})"); }

Response telemetry_prefs_response(bool opt_out) {
  return Response::json(
      200, opt_out ? R"({"telemetry_opt_out":true})" : R"({"telemetry_opt_out":false})");
}

Result<Credentials> read_credentials(ObjectReader& r) {
  auto email = r.required_string("email");
  if (!email) return fail(email.error());
  auto password = r.required_string("password");
  if (!password) return fail(password.error());
  return Credentials{*email, *password};
}

Result<std::string> read_single_string(ObjectReader& r, std::string_view name) {
  return r.required_string(name);
}

// Each route: decode, await the service, encode.
class Routes {
 public:
  explicit Routes(const AccountRoutesDeps& deps) : d_(deps) {}

  awaitable<Response> register_account(Request& req) {
    if (auto limited = d_.auth_limiter.check(req)) co_return std::move(*limited);
    auto input = read_body<
        domain::accounts::
            Registration>(req, [](ObjectReader& r) -> Result<domain::accounts::Registration> {
      auto credentials = read_credentials(r);
      if (!credentials) return fail(credentials.error());
      auto display_name = r.nullable_string("display_name");
      if (!display_name) return fail(display_name.error());
      domain::accounts::Registration reg{credentials->email, credentials->password, std::nullopt};
      if (display_name->state == Nullable<std::string>::State::value)
        reg.display_name = display_name->value;
      return reg;
    });
    if (!input) co_return http::respond_error(req, input.error());
    auto done = co_await d_.accounts.register_account(*input);
    if (!done) co_return http::respond_error(req, done.error());
    co_return Response::json(202, R"({"status":"verification_pending"})");
  }

  awaitable<Response> verify_email(Request& req) {
    if (auto limited = d_.auth_limiter.check(req)) co_return std::move(*limited);
    auto input =
        read_body<EmailVerification>(req, [](ObjectReader& r) -> Result<EmailVerification> {
          auto email = r.required_string("email");
          if (!email) return fail(email.error());
          auto code = r.required_string("code");
          if (!code) return fail(code.error());
          return EmailVerification{*email, *code};
        });
    if (!input) co_return http::respond_error(req, input.error());
    auto tokens = co_await d_.accounts.verify_email(*input, req.headers.get("User-Agent"));
    if (!tokens) co_return http::respond_error(req, tokens.error());
    co_return token_response(*tokens, d_.cookie);
  }

  awaitable<Response> resend_verification(Request& req) {
    auto email =
        read_body<std::string>(req, [](ObjectReader& r) { return read_single_string(r, "email"); });
    if (!email) co_return http::respond_error(req, email.error());
    auto done = co_await d_.accounts.resend_verification(*email);
    if (!done) co_return http::respond_error(req, done.error());
    co_return accepted();
  }

  awaitable<Response> login(Request& req) {
    if (auto limited = d_.auth_limiter.check(req)) co_return std::move(*limited);
    auto input = read_body<Credentials>(req, read_credentials);
    if (!input) co_return http::respond_error(req, input.error());
    auto tokens = co_await d_.accounts.login(*input, req.headers.get("User-Agent"));
    if (!tokens) co_return http::respond_error(req, tokens.error());
    co_return token_response(*tokens, d_.cookie);
  }

  awaitable<Response> refresh(Request& req) {
    auto token = read_body<std::string>(
        req, [](ObjectReader& r) { return read_single_string(r, "refresh_token"); });
    if (!token) co_return http::respond_error(req, token.error());
    auto tokens = co_await d_.accounts.refresh(*token);
    if (!tokens) co_return http::respond_error(req, tokens.error());
    co_return token_response(*tokens, d_.cookie);
  }

  awaitable<Response> logout(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::session);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto done = co_await d_.accounts.logout(*principal);
    if (!done) co_return http::respond_error(req, done.error());
    Response r = Response::empty(204);
    r.headers.add("Set-Cookie", clear_session_cookie(d_.cookie));
    co_return r;
  }

  awaitable<Response> me(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto user = co_await d_.accounts.profile(*principal);
    if (!user) co_return http::respond_error(req, user.error());
    co_return Response::json(200, user_json(*user));
  }

  awaitable<Response> update_me(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto patch = read_body<domain::accounts::ProfilePatch>(
        req, [](ObjectReader& r) -> Result<domain::accounts::ProfilePatch> {
          domain::accounts::ProfilePatch p;
          auto display_name = r.nullable_string("display_name");
          if (!display_name) return fail(display_name.error());
          if (display_name->state != Nullable<std::string>::State::absent) {
            p.set_display_name = true;
            if (display_name->state == Nullable<std::string>::State::value)
              p.display_name = display_name->value;
          }
          auto timezone = r.optional_string("timezone");
          if (!timezone) return fail(timezone.error());
          p.timezone = *timezone;
          auto locale = r.optional_string("locale");
          if (!locale) return fail(locale.error());
          p.locale = *locale;
          auto avatar_url = r.nullable_string("avatar_url");
          if (!avatar_url) return fail(avatar_url.error());
          if (avatar_url->state != Nullable<std::string>::State::absent) {
            p.set_avatar_url = true;
            if (avatar_url->state == Nullable<std::string>::State::value)
              p.avatar_url = avatar_url->value;
          }
          return p;
        });
    if (!patch) co_return co_await d_.auth.refuse(req, *principal, patch.error());
    auto user = co_await d_.accounts.update_profile(*principal, *patch);
    if (!user) co_return http::respond_error(req, user.error());
    co_return Response::json(200, user_json(*user));
  }

  awaitable<Response> forgot_password(Request& req) {
    if (auto limited = d_.auth_limiter.check(req)) co_return std::move(*limited);
    auto email =
        read_body<std::string>(req, [](ObjectReader& r) { return read_single_string(r, "email"); });
    if (!email) co_return http::respond_error(req, email.error());
    auto done = co_await d_.accounts.forgot_password(*email);
    if (!done) co_return http::respond_error(req, done.error());
    co_return accepted();
  }

  awaitable<Response> reset_password(Request& req) {
    auto input = read_body<PasswordReset>(req, [](ObjectReader& r) -> Result<PasswordReset> {
      auto token = r.required_string("token");
      if (!token) return fail(token.error());
      auto password = r.required_string("password");
      if (!password) return fail(password.error());
      return PasswordReset{*token, *password};
    });
    if (!input) co_return http::respond_error(req, input.error());
    auto done = co_await d_.accounts.reset_password(*input);
    if (!done) co_return http::respond_error(req, done.error());
    co_return Response::empty(204);
  }

  awaitable<Response> export_me(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    // Everything about the person: a personal token needs the `*` scope, not `read` alone.
    if (principal->token && !principal->token->full_scope) {
      co_return http::respond_error(
          req, core::Error::make(core::ErrorCode::auth_forbidden,
                                 "exporting the account needs a token with the * scope"));
    }
    auto data = co_await d_.personal_data.export_account(*principal);
    if (!data) co_return http::respond_error(req, data.error());
    Response r = Response::json(200, account_export_json(*data));
    r.headers.add("Content-Disposition",
                  "attachment; filename=\"" + export_file_name(*data) + "\"");
    r.headers.add("Cache-Control", "no-store");
    co_return r;
  }

  awaitable<Response> delete_me(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::session);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto password = read_body<std::string>(
        req, [](ObjectReader& r) { return read_single_string(r, "password"); });
    if (!password) co_return co_await d_.auth.refuse(req, *principal, password.error());
    auto done = co_await d_.personal_data.erase_account(*principal, *password);
    if (!done) co_return http::respond_error(req, done.error());
    Response r = Response::empty(204);
    r.headers.add("Set-Cookie", clear_session_cookie(d_.cookie));
    co_return r;
  }

  awaitable<Response> sessions(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto sessions = co_await d_.accounts.sessions(*principal);
    if (!sessions) co_return http::respond_error(req, sessions.error());
    co_return Response::json(200, sessions_json(*sessions, principal->session_id));
  }

  awaitable<Response> revoke_session(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    // An id that is not a uuid names no session: the same 404 as another user's.
    auto session_id = core::SessionId::parse(req.param("id"));
    if (!session_id) {
      co_return co_await d_.auth.refuse(
          req, *principal,
          core::Error::make(core::ErrorCode::session_not_found, "session not found"));
    }
    auto done = co_await d_.accounts.revoke_session(*principal, *session_id);
    if (!done) co_return http::respond_error(req, done.error());
    co_return Response::empty(204);
  }

  awaitable<Response> telemetry_prefs(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto opt_out = co_await d_.accounts.telemetry_opt_out(*principal);
    if (!opt_out) co_return http::respond_error(req, opt_out.error());
    co_return telemetry_prefs_response(*opt_out);
  }

  awaitable<Response> set_telemetry_prefs(Request& req) {
    auto principal = co_await d_.auth.authenticate(req, Accepts::personal);
    if (!principal) co_return http::respond_error(req, principal.error());
    auto wanted =
        read_body<bool>(req, [](ObjectReader& r) { return r.required_bool("telemetry_opt_out"); });
    if (!wanted) co_return co_await d_.auth.refuse(req, *principal, wanted.error());
    auto saved = co_await d_.accounts.set_telemetry_opt_out(*principal, *wanted);
    if (!saved) co_return http::respond_error(req, saved.error());
    co_return telemetry_prefs_response(*saved);
  }

 private:
  AccountRoutesDeps d_;
};

}  // namespace

void add_account_routes(http::Router& router, const AccountRoutesDeps& deps) {
  auto routes = std::make_shared<Routes>(deps);
  auto bind = [routes](awaitable<Response> (Routes::*method)(Request&)) {
    return [routes, method](Request& req) { return ((*routes).*method)(req); };
  };
  using http::Method;
  // Every account route is served at `/v1/auth/x` and at the first version's `/auth/x` (api.md):
  // one handler object for both, so the throttles and the per-IP bucket are the same ones.
  auto both = [&router](Method method, std::string_view path, http::Handler handler,
                        http::RouteOptions options = {}) {
    router.add(method, "/v1/auth" + std::string(path), handler, options);
    router.add(method, "/auth" + std::string(path), std::move(handler), options);
  };
  both(Method::post, "/register", bind(&Routes::register_account), kJson);
  both(Method::post, "/verify-email", bind(&Routes::verify_email), kJson);
  both(Method::post, "/resend-verification", bind(&Routes::resend_verification), kJson);
  both(Method::post, "/login", bind(&Routes::login), kJson);
  both(Method::post, "/refresh", bind(&Routes::refresh), kJson);
  both(Method::post, "/logout", bind(&Routes::logout));
  both(Method::get, "/me", bind(&Routes::me));
  both(Method::patch, "/me", bind(&Routes::update_me), kJson);
  both(Method::del, "/me", bind(&Routes::delete_me), kJson);
  both(Method::get, "/me/export", bind(&Routes::export_me));
  both(Method::post, "/forgot-password", bind(&Routes::forgot_password), kJson);
  both(Method::post, "/reset-password", bind(&Routes::reset_password), kJson);
  router.add(Method::get, "/v1/me/sessions", bind(&Routes::sessions));
  router.add(Method::del, "/v1/me/sessions/{id}", bind(&Routes::revoke_session));
  router.add(Method::get, "/v1/me/telemetry-prefs", bind(&Routes::telemetry_prefs));
  router.add(Method::put, "/v1/me/telemetry-prefs", bind(&Routes::set_telemetry_prefs), kJson);
}

}  // namespace ferr::api
