#pragma once
// The storage backends the contract suites run against. Each suite is written once against the
// domain repository interfaces and instantiated for every backend listed here.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "domain/accounts/account_repository.hpp"
#include "domain/idempotency/idempotency_store.hpp"
#include "domain/orgs/org_repository.hpp"
#include "domain/subscriptions/subscription_repository.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "domain/tokens/token_repository.hpp"

namespace ferr::contract {

/// The evidence cap (the statistics' k) of the telemetry stores under test.
inline constexpr int kEvidenceCap = 5;

/// A fresh, migrated, empty database and the repositories on it.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual domain::accounts::AccountRepository& accounts() = 0;
  virtual domain::orgs::OrgRepository& orgs() = 0;
  virtual domain::subscriptions::SubscriptionRepository& subscriptions() = 0;
  virtual domain::idempotency::IdempotencyStore& idempotency() = 0;
  virtual domain::telemetry::TelemetryStore& telemetry() = 0;
  virtual domain::tokens::TokenRepository& tokens() = 0;

  /// Sets `column` of every row of `table` to the text `value` with a raw UPDATE, past the
  /// schema's CHECK constraint: a value only a newer binary or a hand edit would store, which
  /// the repositories must refuse to read rather than mistake for a known one.
  virtual void force_stored_value(const std::string& table, const std::string& column,
                                  const std::string& value) = 0;
};

struct BackendFactory {
  std::string name;
  std::function<std::unique_ptr<Backend>()> make;
};

/// How gtest shows a backend in test names and failures: its name.
inline void PrintTo(const BackendFactory& factory, std::ostream* os) { *os << factory.name; }

/// Every backend available in this build (SQLite always; PostgreSQL when a test cluster runs).
std::vector<BackendFactory> backends();

}  // namespace ferr::contract
