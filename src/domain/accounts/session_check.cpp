#include "domain/accounts/session_check.hpp"

#include "core/try.hpp"

namespace ferr::domain::accounts {

core::Error unauthorized() {
  return core::Error::make(core::ErrorCode::auth_unauthorized, "valid credentials are required");
}

core::Task<core::Result<void>> require_session(AccountRepository& accounts,
                                               const Principal& principal) {
  // An org token reaches organization routes only, whose use cases look it up (and so check
  // that it is live) in their org lookup; a personal token is checked here like a session.
  if (principal.via_org_token()) co_return core::Result<void>{};
  FERR_CO_TRY(bool live, co_await accounts.session_active(principal));
  if (!live) co_return core::fail(unauthorized());
  co_return core::Result<void>{};
}

}  // namespace ferr::domain::accounts
