#include "api/authentication.hpp"

#include "domain/accounts/session_check.hpp"

namespace ferr::api {

namespace {

/// The `fl_session` cookie's value, when there is one.
std::optional<std::string> session_cookie(const http::Request& request) {
  auto cookies = request.headers.get("cookie");
  if (!cookies) return std::nullopt;
  std::string_view rest = *cookies;
  while (!rest.empty()) {
    auto semicolon = rest.find(';');
    std::string_view pair = rest.substr(0, semicolon);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    constexpr std::string_view kName = "fl_session=";
    if (pair.substr(0, kName.size()) == kName) {
      std::string_view value = pair.substr(kName.size());
      if (value.empty()) return std::nullopt;
      return std::string(value);
    }
    if (semicolon == std::string_view::npos) break;
    rest.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

core::Error needs_session() {
  return core::Error::make(core::ErrorCode::auth_forbidden,
                           "this needs a login session, not an API token");
}

}  // namespace

std::optional<std::string> credential_of(const http::Request& request) {
  std::optional<std::string> bearer;
  if (auto header = request.headers.get("authorization")) {
    constexpr std::string_view kScheme = "bearer ";
    if (header->size() <= kScheme.size() ||
        !http::iequals(header->substr(0, kScheme.size()), kScheme))
      return std::nullopt;
    bearer = std::string(header->substr(kScheme.size()));
  }
  if (auto api_token = request.headers.get("x-api-token")) {
    // FerrLabs' clients send the same token in both headers: they must agree.
    if (bearer && *bearer != *api_token) return std::nullopt;
    if (api_token->empty()) return std::nullopt;
    return std::string(*api_token);
  }
  if (bearer) return bearer;
  return session_cookie(request);
}

boost::asio::awaitable<core::Result<domain::accounts::Principal>> Authenticator::authenticate(
    const http::Request& request, Accepts accepts) const {
  namespace tokens = domain::tokens;
  auto credential = credential_of(request);
  if (!credential) co_return core::fail(domain::accounts::unauthorized());
  if (!tokens::looks_like_api_token(*credential)) co_return accounts_.authenticate(*credential);
  // Account routes do not exist for an org token: 401, whatever the token's state or scope.
  if (accepts != Accepts::any && tokens::is_org_token(*credential))
    co_return core::fail(domain::accounts::unauthorized());

  auto kind = request.method == http::Method::get || request.method == http::Method::head
                  ? tokens::RequestKind::read
                  : tokens::RequestKind::write;
  auto principal = co_await tokens_.authenticate(*credential, kind);
  if (!principal) co_return principal;
  // What needs a session is forbidden to a personal token.
  if (accepts == Accepts::session) co_return core::fail(needs_session());
  co_return principal;
}

boost::asio::awaitable<http::Response> Authenticator::refuse(
    http::Request& request, const domain::accounts::Principal& principal,
    const core::Error& error) const {
  if (auto live = co_await accounts_.require_session(principal); !live)
    co_return http::respond_error(request, live.error());
  co_return http::respond_error(request, error);
}

}  // namespace ferr::api
