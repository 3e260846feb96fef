#pragma once
/// Who is calling: the bearer token, or the `fl_session` cookie when no Authorization header is
/// sent.

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "core/blocking_pool.hpp"
#include "domain/accounts/account_service.hpp"
#include "http/request.hpp"

namespace ferr::api {

/// The access token of `request`: `Authorization: Bearer …`, else the `fl_session` cookie.
/// nullopt when there is none or the Authorization header is not a bearer token.
std::optional<std::string> access_token_of(const http::Request& request);

/// Resolves the caller, checking the token and that its session is live (on the blocking pool).
boost::asio::awaitable<core::Result<domain::accounts::Principal>> authenticate(
    const http::Request& request, domain::accounts::AccountService& accounts,
    core::BlockingPool& pool);

}  // namespace ferr::api
