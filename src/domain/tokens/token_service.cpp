#include "domain/tokens/token_service.hpp"

#include "core/try.hpp"
#include "domain/accounts/session_check.hpp"
#include "domain/orgs/audit.hpp"
#include "domain/orgs/org_access.hpp"

namespace ferr::domain::tokens {

namespace {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Task;

/// Tokens cannot mint tokens: creating one needs a login session.
Result<void> require_login_session(const accounts::Principal& caller) {
  if (caller.token)
    return fail(Error::make(ErrorCode::auth_forbidden,
                            "an API token cannot create tokens: this needs a login session"));
  return {};
}

Result<void> check_outcome(TokenOutcome outcome) {
  switch (outcome) {
    case TokenOutcome::done: return {};
    case TokenOutcome::not_found: return fail(token_not_found());
    case TokenOutcome::caller_not_live: return fail(accounts::unauthorized());
  }
  return fail(Error::internal("unknown token outcome"));
}

}  // namespace

TokenService::TokenService(TokenRepository& tokens, orgs::OrgRepository& orgs,
                           const core::Clock& clock, core::Random& random)
    : tokens_(tokens), orgs_(orgs), clock_(clock), random_(random) {}

Task<Result<accounts::Principal>> TokenService::authenticate(const std::string& plaintext,
                                                             RequestKind kind) {
  const std::string hash = token_hash(plaintext);
  auto found = known_.find(hash);
  if (!found) {
    FERR_CO_TRY(found, co_await tokens_.find_by_hash(hash));
    if (!found) co_return fail(accounts::unauthorized());
    known_.remember(hash, *found);
  }
  auto now = clock_.now();
  FERR_CO_TRY(auto principal, principal_of(*found, now, kind));
  if (due_for_last_used(*found, now)) {
    FERR_CO_CHECK(co_await tokens_.record_use(found->id, now, now - kLastUsedResolution));
    known_.used(hash, now);
  }
  co_return principal;
}

Task<Result<CreatedToken>> TokenService::create_personal(const accounts::Principal& caller,
                                                         const TokenRequest& request) {
  FERR_CO_CHECK(require_login_session(caller));
  auto now = clock_.now();
  FERR_CO_CHECK(check_new_token(request.name, request.expires_at, now));
  auto issued = issue_token(clock_, random_, request.name, request.scopes, request.expires_at,
                            caller.user_id, std::nullopt, std::nullopt);
  FERR_CO_TRY(auto outcome, co_await tokens_.create_personal(caller, issued.stored, now));
  FERR_CO_CHECK(check_outcome(outcome));
  co_return CreatedToken{std::move(issued.stored.token), std::move(issued.plaintext)};
}

Task<Result<std::vector<ApiToken>>> TokenService::personal(const accounts::Principal& caller) {
  FERR_CO_TRY(auto tokens, co_await tokens_.personal_tokens(caller, clock_.now()));
  if (!tokens) co_return fail(accounts::unauthorized());
  co_return std::move(*tokens);
}

Task<Result<void>> TokenService::revoke_personal(const accounts::Principal& caller,
                                                 std::string_view id) {
  auto token_id = core::ApiTokenId::parse(id);
  if (!token_id) {
    // An id that is not a uuid names no token: the same 404 as another user's, unless the
    // caller's own credential is dead (401, as for any other id).
    FERR_CO_TRY(auto live, co_await tokens_.personal_tokens(caller, clock_.now()));
    if (!live) co_return fail(accounts::unauthorized());
    co_return fail(token_not_found());
  }
  FERR_CO_TRY(auto outcome, co_await tokens_.revoke_personal(caller, *token_id, clock_.now()));
  co_return check_outcome(outcome);
}

Task<Result<std::vector<ApiToken>>> TokenService::of_org(const accounts::Principal& caller,
                                                         const std::string& slug) {
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, caller, slug, orgs::Access::write));
  co_return co_await tokens_.org_tokens(org.id);
}

Task<Result<CreatedToken>> TokenService::create_for_org(const accounts::Principal& caller,
                                                        const std::string& slug,
                                                        const TokenRequest& request) {
  FERR_CO_CHECK(require_login_session(caller));
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, caller, slug, orgs::Access::write));
  auto now = clock_.now();
  FERR_CO_CHECK(check_new_token(request.name, request.expires_at, now));
  auto issued = issue_token(clock_, random_, request.name, request.scopes, request.expires_at,
                            caller.user_id, org.id, request.owner);
  auto audit = orgs::audit_record(
      clock_, random_, caller, "org.token.created", issued.stored.token.id.to_string(),
      orgs::token_created_metadata(issued.stored.token.name,
                                   to_string(*issued.stored.token.owner)));
  FERR_CO_TRY(auto stored, co_await tokens_.create_for_org(org.id, issued.stored, audit, now));
  co_return CreatedToken{std::move(stored), std::move(issued.plaintext)};
}

Task<Result<void>> TokenService::revoke_for_org(const accounts::Principal& caller,
                                                const std::string& slug, std::string_view id) {
  FERR_CO_TRY(auto org, co_await orgs::org_as(orgs_, caller, slug, orgs::Access::write));
  auto token_id = core::ApiTokenId::parse(id);
  if (!token_id) co_return fail(token_not_found());
  auto audit =
      orgs::audit_record(clock_, random_, caller, "org.token.revoked", token_id->to_string());
  FERR_CO_TRY(bool revoked,
              co_await tokens_.revoke_for_org(org.id, *token_id, audit, clock_.now()));
  if (!revoked) co_return fail(token_not_found());
  co_return Result<void>{};
}

}  // namespace ferr::domain::tokens
