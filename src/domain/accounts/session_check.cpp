#include "domain/accounts/session_check.hpp"

#include "core/try.hpp"

namespace ferr::domain::accounts {

core::Error unauthorized() {
  return core::Error::make(core::ErrorCode::auth_unauthorized, "valid credentials are required");
}

core::Task<core::Result<void>> require_session(AccountRepository& accounts,
                                               const Principal& principal) {
  // An API token was looked up, and found live, when this request presented it.
  if (principal.token) co_return core::Result<void>{};
  FERR_CO_TRY(bool live, co_await accounts.session_active(principal));
  if (!live) co_return core::fail(unauthorized());
  co_return core::Result<void>{};
}

}  // namespace ferr::domain::accounts
