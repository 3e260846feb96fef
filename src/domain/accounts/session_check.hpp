#pragma once
/// The session check of the use cases whose first storage step cannot carry it.

#include "core/error.hpp"
#include "core/task.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/principal.hpp"

namespace ferr::domain::accounts {

/// AUTH_UNAUTHORIZED unless the principal's session is live and belongs to its user. An API
/// token's principal passes: the token was found live when the request presented it.
core::Task<core::Result<void>> require_session(AccountRepository& accounts,
                                               const Principal& principal);

/// The error of a request whose credentials do not (or no longer) hold.
core::Error unauthorized();

}  // namespace ferr::domain::accounts
