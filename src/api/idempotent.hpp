#pragma once
/// `Idempotency-Key` on the creating POST routes (api.md): the first response is kept 24 hours per
/// (user, key) and replayed for a retry of the same request without running it again (no second
/// effect, no second telemetry event); the key with a different request gets 422.

#include <boost/asio/awaitable.hpp>

#include <functional>

#include "api/authentication.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "http/request.hpp"

namespace ferr::api {

struct IdempotencyDeps {
  domain::idempotency::Idempotency& idempotency;
  const Authenticator& auth;  ///< answers a refused key of a revoked session
};

/// The work of an idempotent route once the caller is known.
using IdempotentWork = std::function<boost::asio::awaitable<http::Response>()>;

/// Runs `work` for the authenticated `caller`, honouring the request's `Idempotency-Key` when it
/// has one. A retry that arrives while the first request still runs waits for its response.
boost::asio::awaitable<http::Response> idempotent(http::Request& request,
                                                  const domain::accounts::Principal& caller,
                                                  const IdempotencyDeps& deps, IdempotentWork work);

}  // namespace ferr::api
