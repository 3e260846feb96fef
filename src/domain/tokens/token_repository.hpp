#pragma once
/// Storage of API tokens. Every method is one atomic step (one transaction) and an awaitable;
/// where a step depends on stored state, the backend asks the rule in api_token.hpp inside its
/// transaction. Implemented per backend in src/storage/.

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/task.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/organization.hpp"
#include "domain/tokens/api_token.hpp"

namespace ferr::domain::tokens {

/// What a step that acts for the caller's own tokens found.
enum class TokenOutcome {
  done,
  not_found,        ///< no such live token of the caller's
  caller_not_live,  ///< the caller's own credential is not live: unauthorized
};

class TokenRepository {
 public:
  virtual ~TokenRepository() = default;

  /// The token stored under `hash` (SHA-256 hex), revoked and expired ones included.
  virtual core::Task<core::Result<std::optional<PresentedToken>>> find_by_hash(
      const std::string& hash) = 0;
  /// Records a use at `now` unless one was recorded after `not_since`.
  virtual core::Task<core::Result<void>> record_use(const core::ApiTokenId& id, core::TimePoint now,
                                                    core::TimePoint not_since) = 0;

  /// Stores a personal token of the principal's user while the principal's credential is live
  /// and check_live_count allows one more; caller_not_live otherwise (or the count's error).
  virtual core::Task<core::Result<TokenOutcome>> create_personal(
      const accounts::Principal& principal, const NewToken& token, core::TimePoint now) = 0;
  /// The user's live personal tokens (not revoked, not expired at `now`), newest first; nullopt
  /// when the principal's credential is not live.
  virtual core::Task<core::Result<std::optional<std::vector<ApiToken>>>> personal_tokens(
      const accounts::Principal& principal, core::TimePoint now) = 0;
  /// Revokes the principal's user's live personal token `id`.
  virtual core::Task<core::Result<TokenOutcome>> revoke_personal(
      const accounts::Principal& principal, const core::ApiTokenId& id, core::TimePoint now) = 0;

  /// Stores an org token and its audit row while check_live_count allows one more; returns it
  /// as org_tokens shows it.
  virtual core::Task<core::Result<ApiToken>> create_for_org(const core::OrgId& org_id,
                                                            const NewToken& token,
                                                            const orgs::AuditRecord& audit,
                                                            core::TimePoint now) = 0;
  /// Every token of the org, revoked ones included, newest first.
  virtual core::Task<core::Result<std::vector<ApiToken>>> org_tokens(const core::OrgId& org_id) = 0;
  /// Revokes the org's token `id` (not revoked yet) and writes the audit row; false when there
  /// is no such token.
  virtual core::Task<core::Result<bool>> revoke_for_org(const core::OrgId& org_id,
                                                        const core::ApiTokenId& id,
                                                        const orgs::AuditRecord& audit,
                                                        core::TimePoint now) = 0;
};

}  // namespace ferr::domain::tokens
