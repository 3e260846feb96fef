#pragma once
/// Who is calling: the bearer token, or the `fl_session` cookie when no Authorization header is
/// sent.

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "domain/accounts/account_service.hpp"
#include "http/error_response.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// The access token of `request`: `Authorization: Bearer …`, else the `fl_session` cookie.
/// nullopt when there is none or the Authorization header is not a bearer token.
std::optional<std::string> access_token_of(const http::Request& request);

/// The caller's verified token claims: 401 AUTH_UNAUTHORIZED without a valid access token. No
/// storage is touched: each use case checks the session in its first storage step.
core::Result<domain::accounts::Principal> authenticate(
    const http::Request& request, const domain::accounts::AccountService& accounts);

/// The answer to an authenticated request refused before its use case ran (a malformed body,
/// path or query): 401 AUTH_UNAUTHORIZED when the caller's session is no longer live — the
/// answer an up-front session check would have given — otherwise `error`. Costs a storage step
/// only for such requests.
boost::asio::awaitable<http::Response> refuse(http::Request& request,
                                              const domain::accounts::Principal& principal,
                                              domain::accounts::AccountService& accounts,
                                              const core::Error& error);

/// Authenticates the caller, then runs `work(principal) -> awaitable<Response>`; 401
/// AUTH_UNAUTHORIZED without valid credentials.
template <typename F>
boost::asio::awaitable<http::Response> as_user(http::Request& request,
                                               domain::accounts::AccountService& accounts,
                                               F&& work) {
  auto principal = authenticate(request, accounts);
  if (!principal) co_return http::respond_error(request, principal.error());
  co_return co_await work(*principal);
}

}  // namespace ferr::api
