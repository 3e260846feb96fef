#include "domain/orgs/org_access.hpp"

#include "core/try.hpp"
#include "domain/accounts/session_check.hpp"

namespace ferr::domain::orgs {

core::Result<Role> org_token_role(const OrgTokenLookup& found) {
  if (!found.token_live) return core::fail(accounts::unauthorized());
  // A creator-owned token stops working when its creator stops being admin+ of the org.
  if (!found.org_owned && !(found.creator_role && is_admin_or_owner(*found.creator_role)))
    return core::fail(accounts::unauthorized());
  return Role::admin;  // an admin's rights at most: never an owner-only action
}

namespace {

core::Error org_not_found() {
  return core::Error::make(core::ErrorCode::org_not_found, "organization not found");
}

core::Task<core::Result<OrgView>> org_for_token(OrgRepository& repository,
                                                const accounts::Principal& principal,
                                                const std::optional<std::string>& slug) {
  FERR_CO_TRY(auto found, co_await repository.org_for_token(principal.token->id, slug));
  FERR_CO_TRY(auto role, org_token_role(found));
  if (!found.org) co_return core::fail(org_not_found());  // another org: never revealed
  found.org->role = role;
  co_return std::move(*found.org);
}

}  // namespace

core::Task<core::Result<OrgView>> token_org(OrgRepository& repository,
                                            const accounts::Principal& principal) {
  co_return co_await org_for_token(repository, principal, std::nullopt);
}

core::Task<core::Result<OrgView>> org_as(OrgRepository& repository,
                                         const accounts::Principal& principal,
                                         const std::string& slug, Access access) {
  if (principal.via_org_token()) co_return co_await org_for_token(repository, principal, slug);
  FERR_CO_TRY(auto found, co_await repository.org_for_member(slug, principal));
  if (!found.session_live) co_return core::fail(accounts::unauthorized());
  if (!found.org) co_return core::fail(org_not_found());
  if (access == Access::write && !is_admin_or_owner(found.org->role))
    co_return core::fail(
        core::Error::make(core::ErrorCode::auth_forbidden, "this needs the owner or admin role"));
  co_return std::move(*found.org);
}

}  // namespace ferr::domain::orgs
