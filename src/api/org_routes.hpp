#pragma once
/// The routes of "Organizations and members" (api.md): /v1/orgs… and the audit log.

#include "api/authentication.hpp"
#include "api/idempotent.hpp"
#include "domain/orgs/org_service.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct OrgRoutesDeps {
  domain::orgs::OrgService& orgs;
  const Authenticator& auth;
  IdempotencyDeps idempotency;  ///< for POST /v1/orgs and POST …/members
};

/// Registers the organization, member and audit routes.
void add_org_routes(http::Router& router, const OrgRoutesDeps& deps);

}  // namespace ferr::api
