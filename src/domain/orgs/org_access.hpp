#pragma once
/// What every organization use case starts with: the org as the caller sees it, or the error
/// that hides its existence from non-members. Its one storage step also checks the caller's
/// session.

#include <string>

#include "core/error.hpp"
#include "core/task.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/org_repository.hpp"

namespace ferr::domain::orgs {

/// Members read; writing needs the owner or admin role ("admin+").
enum class Access { read, write };

/// The organization `slug` as the principal sees it: AUTH_UNAUTHORIZED when its session is not
/// live; ORG_NOT_FOUND for a missing org and for a non-member alike; AUTH_FORBIDDEN when
/// `access` is write and the caller is below admin.
/// What an org token may do in its org, from what looking it up found: an admin's rights;
/// AUTH_UNAUTHORIZED when it is revoked, or creator-owned and its creator is no longer admin+.
core::Result<Role> org_token_role(const OrgTokenLookup& found);

/// The org of the principal's org token (principal.via_org_token()), as org_as sees it.
core::Task<core::Result<OrgView>> token_org(OrgRepository& repository,
                                            const accounts::Principal& principal);

/// For an org token (principal.via_org_token()) the token's org alone, with an admin's rights.
core::Task<core::Result<OrgView>> org_as(OrgRepository& repository,
                                         const accounts::Principal& principal,
                                         const std::string& slug, Access access);

}  // namespace ferr::domain::orgs
