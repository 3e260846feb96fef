#include "domain/orgs/org_access.hpp"

#include "core/try.hpp"
#include "domain/accounts/session_check.hpp"

namespace ferr::domain::orgs {

core::Task<core::Result<OrgView>> org_as(OrgRepository& repository,
                                         const accounts::Principal& principal,
                                         const std::string& slug, Access access) {
  FERR_CO_TRY(auto found, co_await repository.org_for_member(slug, principal));
  if (!found.session_live) co_return core::fail(accounts::unauthorized());
  if (!found.org)
    co_return core::fail(
        core::Error::make(core::ErrorCode::org_not_found, "organization not found"));
  if (access == Access::write && !is_admin_or_owner(found.org->role))
    co_return core::fail(
        core::Error::make(core::ErrorCode::auth_forbidden, "this needs the owner or admin role"));
  co_return std::move(*found.org);
}

}  // namespace ferr::domain::orgs
