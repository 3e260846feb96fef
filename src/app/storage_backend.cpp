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
#include "storage/postgres/token_repository.hpp"
#include "storage/sqlite/account_repository.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/idempotency_store.hpp"
#include "storage/sqlite/migrator.hpp"
#include "storage/sqlite/org_repository.hpp"
#include "storage/sqlite/readiness.hpp"
#include "storage/sqlite/subscription_repository.hpp"
#include "storage/sqlite/telemetry_store.hpp"
#include "storage/sqlite/token_repository.hpp"

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
  s.tokens = std::make_unique<storage::sqlite::SqliteTokenRepository>(db_ref);
  s.subscriptions = std::make_unique<storage::sqlite::SqliteSubscriptionRepository>(db_ref);
  s.idempotency = std::make_unique<storage::sqlite::SqliteIdempotencyStore>(db_ref);
  s.telemetry = std::make_unique<storage::sqlite::SqliteTelemetryStore>(db_ref, config.stats_k);
  return s;
}

core::Result<StorageBackend> open_postgres(const Config& config, const core::Clock& clock,
                                           SchemaReport* report) {
  // The commands (migrate, purge, stats) fail fast on a server that is down; `serve` waits for
  // it instead (cli.cpp).
  StorageBackend s = build_postgres(config);
  auto prepared = core::run_to_completion(prepare_postgres(s, clock));
  if (!prepared) {
    if (prepared.error().code == core::ErrorCode::service_unavailable)
      return core::fail(storage_error("migration failed", prepared.error()));
    return core::fail(prepared.error());
  }
  if (report) *report = *prepared;
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

StorageBackend build_postgres(const Config& config) {
  StorageBackend s;
  storage::postgres::PoolOptions options;
  options.connection.url = config.database.location;
  options.max_size = config.database_max_connections;
  // One connection per I/O thread for the hot reads (Pool::shared_query), while at least as
  // many stay for everything else.
  if (options.max_size >= 2 * config.threads) options.shared_connections = config.threads;
  s.postgres = std::make_unique<storage::postgres::Database>(options);
  auto& db_ref = *s.postgres;
  s.readiness = std::make_unique<storage::postgres::PgReadinessCheck>(db_ref);
  s.accounts = std::make_unique<storage::postgres::PgAccountRepository>(db_ref);
  s.orgs = std::make_unique<storage::postgres::PgOrgRepository>(db_ref);
  s.tokens = std::make_unique<storage::postgres::PgTokenRepository>(db_ref);
  s.subscriptions = std::make_unique<storage::postgres::PgSubscriptionRepository>(db_ref);
  s.idempotency = std::make_unique<storage::postgres::PgIdempotencyStore>(db_ref);
  s.telemetry = std::make_unique<storage::postgres::PgTelemetryStore>(
      db_ref, storage::postgres::PgTelemetrySizes{.retention_days = config.telemetry_retention_days,
                                                  .evidence_cap = config.stats_k});
  return s;
}

core::Task<core::Result<SchemaReport>> prepare_postgres(StorageBackend& storage,
                                                        const core::Clock& clock) {
  auto migrated = co_await storage.postgres->migrate();
  if (!migrated) {
    // Unreachable: the caller may retry; anything else is final.
    if (migrated.error().code == core::ErrorCode::service_unavailable)
      co_return core::fail(migrated.error());
    co_return core::fail(storage_error("migration failed", migrated.error()));
  }
  // The day partitions of the retention window and the days ahead, before the first event. A
  // failure is not fatal: rows of a day without its partition land in the default partition
  // until the retention pass (hourly) creates it.
  auto& telemetry = static_cast<storage::postgres::PgTelemetryStore&>(*storage.telemetry);
  if (auto made = co_await telemetry.ensure_partitions(clock.now()); !made) {
    core::log::warn("telemetry partitions not created", {{"error", made.error().log_detail}});
  } else if (*made > 0) {
    core::log::info("telemetry partitions created", {{"count", *made}});
  }
  co_return SchemaReport{migrated->from_version, migrated->to_version, migrated->applied};
}

core::Result<StorageBackend> open_storage(const Config& config, const core::Clock& clock,
                                          SchemaReport* report) {
  if (config.database.kind == DatabaseTarget::Kind::postgres)
    return open_postgres(config, clock, report);
  return open_sqlite(config, clock, report);
}

}  // namespace ferr::app
