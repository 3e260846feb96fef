#pragma once
/// The session check of the use cases whose first storage step cannot carry it.

#include "core/error.hpp"
#include "core/task.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/principal.hpp"

namespace ferr::domain::accounts {

/// AUTH_UNAUTHORIZED unless the principal's session (or personal API token) is live and belongs
/// to its user. An org token passes: organization use cases check it in their org lookup.
core::Task<core::Result<void>> require_session(AccountRepository& accounts,
                                               const Principal& principal);

/// The error of a request whose credentials do not (or no longer) hold.
core::Error unauthorized();

}  // namespace ferr::domain::accounts
