#pragma once
/// The routes of "API tokens" (api.md): /v1/auth/tokens (and its alias /auth/tokens) and
/// /v1/orgs/{slug}/tokens.

#include "api/authentication.hpp"
#include "core/clock.hpp"
#include "domain/tokens/token_service.hpp"
#include "http/router.hpp"

namespace ferr::api {

struct TokenRoutesDeps {
  domain::tokens::TokenService& tokens;
  const Authenticator& auth;
  const core::Clock& clock;  ///< what `stale` is measured against
};

void add_token_routes(http::Router& router, const TokenRoutesDeps& deps);

}  // namespace ferr::api
