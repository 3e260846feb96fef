#pragma once
// Every fake on one shared database: what a test needs to build any service, as the application
// builds them on one storage backend.

#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/idempotency_store.hpp"
#include "fakes/org_repository.hpp"
#include "fakes/readiness.hpp"
#include "fakes/subscription_repository.hpp"
#include "fakes/telemetry_store.hpp"
#include "fakes/token_repository.hpp"

namespace ferr::fakes {

struct FakeBackend {
  Database db;
  FakeAccountRepository accounts{db};
  FakeOrgRepository orgs{db};
  FakeSubscriptionRepository subscriptions{db};
  FakeIdempotencyStore idempotency{db};
  FakeTelemetryStore telemetry{db};
  FakeTokenRepository tokens{db};
  FakeReadinessCheck readiness;
};

}  // namespace ferr::fakes
