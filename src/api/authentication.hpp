#pragma once
/// Who is calling: the bearer token, or the `fl_session` cookie when no Authorization header is
/// sent.

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "core/blocking_pool.hpp"
#include "domain/accounts/account_service.hpp"
#include "http/error_response.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// The access token of `request`: `Authorization: Bearer …`, else the `fl_session` cookie.
/// nullopt when there is none or the Authorization header is not a bearer token.
std::optional<std::string> access_token_of(const http::Request& request);

/// Resolves the caller, checking the token and that its session is live (on the blocking pool).
boost::asio::awaitable<core::Result<domain::accounts::Principal>> authenticate(
    const http::Request& request, domain::accounts::AccountService& accounts,
    core::BlockingPool& pool);

/// Authenticates the caller, then runs `work(user_id) -> awaitable<Response>`; 401
/// AUTH_UNAUTHORIZED without valid credentials.
template <typename F>
boost::asio::awaitable<http::Response> as_user(http::Request& request,
                                               domain::accounts::AccountService& accounts,
                                               core::BlockingPool& pool, F&& work) {
  auto principal = co_await authenticate(request, accounts, pool);
  if (!principal) co_return http::respond_error(request, principal.error());
  co_return co_await work(principal->user_id);
}

}  // namespace ferr::api
