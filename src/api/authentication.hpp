#pragma once
/// Who is calling (api.md "Conventions", authentication): `Authorization: Bearer …` and/or
/// `x-api-token: …` (equal when both are sent), else the `fl_session` cookie. The credential is
/// an access token (a JWT, verified without storage) or an API token (one hash lookup).

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "domain/accounts/account_service.hpp"
#include "domain/tokens/token_service.hpp"
#include "http/error_response.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// Which credentials a route takes (api.md "API tokens").
enum class Accepts {
  any,       ///< a session, a personal token or an org token (organization routes)
  personal,  ///< a session or a personal token; an org token is 401 (account routes)
  session,   ///< a login session only; a personal token is 403, an org token 401
};

/// The credential of `request`, or nullopt when there is none or the headers disagree (both
/// headers sent with different values, or an Authorization that is not a bearer token).
std::optional<std::string> credential_of(const http::Request& request);

class Authenticator {
 public:
  Authenticator(domain::accounts::AccountService& accounts, domain::tokens::TokenService& tokens)
      : accounts_(accounts), tokens_(tokens) {}

  /// The caller, or 401 AUTH_UNAUTHORIZED without valid credentials (403 AUTH_FORBIDDEN for an
  /// API token outside its scope, or on a route that needs a session). An access token's
  /// session is not checked here: each use case checks it in its first storage step.
  boost::asio::awaitable<core::Result<domain::accounts::Principal>> authenticate(
      const http::Request& request, Accepts accepts) const;

  /// The answer to an authenticated request refused before its use case ran (a malformed body,
  /// path or query): 401 AUTH_UNAUTHORIZED when the caller's session is no longer live — the
  /// answer an up-front session check would have given — otherwise `error`. Costs a storage step
  /// only for such requests.
  boost::asio::awaitable<http::Response> refuse(http::Request& request,
                                                const domain::accounts::Principal& principal,
                                                const core::Error& error) const;

 private:
  domain::accounts::AccountService& accounts_;
  domain::tokens::TokenService& tokens_;
};

/// Authenticates the caller, then runs `work(principal) -> awaitable<Response>`.
template <typename F>
boost::asio::awaitable<http::Response> as_user(http::Request& request, const Authenticator& auth,
                                               F&& work, Accepts accepts = Accepts::any) {
  auto principal = co_await auth.authenticate(request, accepts);
  if (!principal) co_return http::respond_error(request, principal.error());
  co_return co_await work(*principal);
}

}  // namespace ferr::api
