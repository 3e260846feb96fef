#include "api/authentication.hpp"

namespace ferr::api {

std::optional<std::string> access_token_of(const http::Request& request) {
  if (auto header = request.headers.get("authorization")) {
    constexpr std::string_view kScheme = "bearer ";
    if (header->size() <= kScheme.size() ||
        !http::iequals(header->substr(0, kScheme.size()), kScheme))
      return std::nullopt;
    return std::string(header->substr(kScheme.size()));
  }
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

core::Result<domain::accounts::Principal> authenticate(
    const http::Request& request, const domain::accounts::AccountService& accounts) {
  auto token = access_token_of(request);
  if (!token) {
    return core::fail(
        core::Error::make(core::ErrorCode::auth_unauthorized, "valid credentials are required"));
  }
  return accounts.authenticate(*token);
}

boost::asio::awaitable<http::Response> refuse(http::Request& request,
                                              const domain::accounts::Principal& principal,
                                              domain::accounts::AccountService& accounts,
                                              const core::Error& error) {
  if (auto live = co_await accounts.require_session(principal); !live)
    co_return http::respond_error(request, live.error());
  co_return http::respond_error(request, error);
}

}  // namespace ferr::api
