#pragma once
/// The storage the configuration selects (operations.md, "Backends"): SQLite or PostgreSQL,
/// opened, migrated and wrapped in the domain's repository interfaces. Everything above this
/// file sees only those interfaces.

#include <memory>

#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/task.hpp"

namespace ferr::domain {
class ReadinessCheck;
namespace accounts {
class AccountRepository;
}
namespace orgs {
class OrgRepository;
}  // namespace orgs
namespace subscriptions {
class SubscriptionRepository;
}  // namespace subscriptions
namespace telemetry {
class TelemetryStore;
}
namespace idempotency {
class IdempotencyStore;
}
namespace tokens {
class TokenRepository;
}
}  // namespace ferr::domain
namespace ferr::storage::sqlite {
class Database;
}
namespace ferr::storage::postgres {
class Database;
}

namespace ferr::app {

/// What a migration run did, on either backend.
struct SchemaReport {
  int from_version = 0;
  int to_version = 0;
  int applied = 0;
};

/// The open database and the repositories on it. Exactly one of `sqlite` and `postgres` is set.
/// Destroy it only when no repository call is in flight; the repositories, declared after the
/// databases, go first.
struct StorageBackend {
  StorageBackend();
  ~StorageBackend();
  StorageBackend(StorageBackend&&) noexcept;
  StorageBackend& operator=(StorageBackend&&) noexcept;

  /// At shutdown, once nothing uses the repositories any more: waits for SQLite's threads to
  /// finish what they were handed, so none resumes an event loop that is about to go.
  void quiesce();

  std::unique_ptr<storage::sqlite::Database> sqlite;
  std::unique_ptr<storage::postgres::Database> postgres;
  std::unique_ptr<domain::ReadinessCheck> readiness;
  std::unique_ptr<domain::accounts::AccountRepository> accounts;
  std::unique_ptr<domain::orgs::OrgRepository> orgs;
  std::unique_ptr<domain::subscriptions::SubscriptionRepository> subscriptions;
  std::unique_ptr<domain::idempotency::IdempotencyStore> idempotency;
  std::unique_ptr<domain::telemetry::TelemetryStore> telemetry;
  std::unique_ptr<domain::tokens::TokenRepository> tokens;
};

/// Opens the configured database and applies pending migrations (under the backend's lock: two
/// instances starting together apply each migration once). `report`, when given, receives what
/// the migration run did. Errors carry a `DATABASE_URL: …` log_detail.
core::Result<StorageBackend> open_storage(const Config& config, const core::Clock& clock,
                                          SchemaReport* report = nullptr);

/// The PostgreSQL backend without touching the server (the pool connects lazily): `serve`
/// listens at once and waits for the database with prepare_postgres.
StorageBackend build_postgres(const Config& config);

/// Migrates a backend from build_postgres and creates its telemetry partitions. A server that
/// cannot be reached fails with `service_unavailable` (worth retrying); other failures carry a
/// `DATABASE_URL: …` log_detail.
core::Task<core::Result<SchemaReport>> prepare_postgres(StorageBackend& storage,
                                                        const core::Clock& clock);

}  // namespace ferr::app
