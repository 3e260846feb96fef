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

boost::asio::awaitable<core::Result<domain::accounts::Principal>> authenticate(
    const http::Request& request, domain::accounts::AccountService& accounts,
    core::BlockingPool& pool) {
  auto token = access_token_of(request);
  if (!token) {
    co_return core::fail(
        core::Error::make(core::ErrorCode::auth_unauthorized, "valid credentials are required"));
  }
  co_return co_await core::run_blocking(pool, [&] { return accounts.authenticate(*token); });
}

}  // namespace ferr::api
