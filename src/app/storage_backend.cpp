#include "app/storage_backend.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "core/log.hpp"
#include "core/task.hpp"

#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/idempotency_store.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/readiness.hpp"
#include "storage/postgres/subscription_repository.hpp"
#include "storage/postgres/telemetry_store.hpp"
#include "storage/sqlite/account_repository.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/idempotency_store.hpp"
#include "storage/sqlite/migrator.hpp"
#include "storage/sqlite/org_repository.hpp"
#include "storage/sqlite/readiness.hpp"
#include "storage/sqlite/subscription_repository.hpp"
#include "storage/sqlite/telemetry_store.hpp"

namespace ferr::app {

namespace {

// SQLite readers beside the single writer; more would only queue on two cores.
constexpr std::size_t kSqliteReaders = 4;

core::Error storage_error(std::string what, const core::Error& cause) {
  std::string detail = "DATABASE_URL: ";
  detail += what;
  detail += ": ";
  detail += cause.log_detail.empty() ? cause.message : cause.log_detail;
  return core::Error::internal(std::move(detail));
}

core::Result<StorageBackend> open_sqlite(const Config& config, const core::Clock& clock,
                                         SchemaReport* report) {
  StorageBackend s;
  auto db = storage::sqlite::Database::open(config.database.location, kSqliteReaders);
  if (!db) return core::fail(storage_error("cannot open the database", db.error()));
  s.sqlite = std::move(*db);
  auto migrated = s.sqlite->write([&](storage::sqlite::Connection& c) {
    return storage::sqlite::migrate(c, storage::sqlite::embedded_migrations(), clock);
  });
  if (!migrated) return core::fail(storage_error("migration failed", migrated.error()));
  if (report) *report = {migrated->from_version, migrated->to_version, migrated->applied};
  auto& db_ref = *s.sqlite;
  s.readiness = std::make_unique<storage::sqlite::SqliteReadinessCheck>(db_ref);
  s.accounts = std::make_unique<storage::sqlite::SqliteAccountRepository>(db_ref);
  s.orgs = std::make_unique<storage::sqlite::SqliteOrgRepository>(db_ref);
  s.subscriptions = std::make_unique<storage::sqlite::SqliteSubscriptionRepository>(db_ref);
  s.idempotency = std::make_unique<storage::sqlite::SqliteIdempotencyStore>(db_ref);
  s.telemetry = std::make_unique<storage::sqlite::SqliteTelemetryStore>(db_ref);
  return s;
}

core::Result<StorageBackend> open_postgres(const Config& config, const core::Clock& clock,
                                           SchemaReport* report) {
  StorageBackend s;
  storage::postgres::PoolOptions options;
  options.connection.url = config.database.location;
  options.max_size = config.database_max_connections;
  s.postgres = std::make_unique<storage::postgres::Database>(options);
  // A server that is down at start-up fails the start (the orchestrator restarts the process);
  // once running, outages are answered with 503 and reconnected to (docs/postgres.md). Start-up
  // is not yet inside an event loop: the migration runs on one of its own, on this thread.
  auto migrated = core::run_to_completion(s.postgres->migrate());
  if (!migrated) return core::fail(storage_error("migration failed", migrated.error()));
  if (report) *report = {migrated->from_version, migrated->to_version, migrated->applied};
  auto& db_ref = *s.postgres;
  s.readiness = std::make_unique<storage::postgres::PgReadinessCheck>(db_ref);
  s.accounts = std::make_unique<storage::postgres::PgAccountRepository>(db_ref);
  s.orgs = std::make_unique<storage::postgres::PgOrgRepository>(db_ref);
  s.subscriptions = std::make_unique<storage::postgres::PgSubscriptionRepository>(db_ref);
  s.idempotency = std::make_unique<storage::postgres::PgIdempotencyStore>(db_ref);
  auto telemetry = std::make_unique<storage::postgres::PgTelemetryStore>(
      db_ref, config.telemetry_retention_days);
  // The day partitions of the retention window and the days ahead, before the first event. A
  // failure is not fatal: rows of a day without its partition land in the default partition
  // until the retention pass (hourly) creates it.
  if (auto made = core::run_to_completion(telemetry->ensure_partitions(clock.now())); !made) {
    core::log::warn("telemetry partitions not created", {{"error", made.error().log_detail}});
  } else if (*made > 0) {
    core::log::info("telemetry partitions created", {{"count", *made}});
  }
  s.telemetry = std::move(telemetry);
  return s;
}

}  // namespace

StorageBackend::StorageBackend() = default;
StorageBackend::StorageBackend(StorageBackend&&) noexcept = default;
StorageBackend& StorageBackend::operator=(StorageBackend&&) noexcept = default;

StorageBackend::~StorageBackend() = default;

void StorageBackend::quiesce() {
  if (sqlite) sqlite->join_threads();
}

core::Result<StorageBackend> open_storage(const Config& config, const core::Clock& clock,
                                          SchemaReport* report) {
  if (config.database.kind == DatabaseTarget::Kind::postgres)
    return open_postgres(config, clock, report);
  return open_sqlite(config, clock, report);
}

}  // namespace ferr::app
