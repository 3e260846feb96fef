#include "contract/backends.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "core/try.hpp"
#include "postgres/pg_test_support.hpp"
#include "storage/postgres/account_repository.hpp"
#include "storage/postgres/database.hpp"
#include "storage/postgres/idempotency_store.hpp"
#include "storage/postgres/org_repository.hpp"
#include "storage/postgres/subscription_repository.hpp"
#include "storage/postgres/telemetry_store.hpp"
#include "storage/postgres/token_repository.hpp"
#include "storage/sqlite/account_repository.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/idempotency_store.hpp"
#include "storage/sqlite/migrator.hpp"
#include "storage/sqlite/org_repository.hpp"
#include "storage/sqlite/subscription_repository.hpp"
#include "storage/sqlite/telemetry_store.hpp"
#include "storage/sqlite/token_repository.hpp"

namespace ferr::contract {

namespace {

class SqliteBackend final : public Backend {
 public:
  SqliteBackend() {
    auto db = storage::sqlite::Database::open(":memory:", 0);
    if (!db) throw std::runtime_error(db.error().log_detail);
    db_ = std::move(*db);
    core::SystemClock clock;
    auto migrated = db_->write([&](storage::sqlite::Connection& c) {
      return storage::sqlite::migrate(c, storage::sqlite::embedded_migrations(), clock);
    });
    if (!migrated) throw std::runtime_error(migrated.error().log_detail);
    accounts_ = std::make_unique<storage::sqlite::SqliteAccountRepository>(*db_);
    orgs_ = std::make_unique<storage::sqlite::SqliteOrgRepository>(*db_);
    subscriptions_ = std::make_unique<storage::sqlite::SqliteSubscriptionRepository>(*db_);
    idempotency_ = std::make_unique<storage::sqlite::SqliteIdempotencyStore>(*db_);
    telemetry_ = std::make_unique<storage::sqlite::SqliteTelemetryStore>(*db_, kEvidenceCap);
    tokens_ = std::make_unique<storage::sqlite::SqliteTokenRepository>(*db_);
  }
  domain::accounts::AccountRepository& accounts() override { return *accounts_; }
  domain::orgs::OrgRepository& orgs() override { return *orgs_; }
  domain::subscriptions::SubscriptionRepository& subscriptions() override {
    return *subscriptions_;
  }
  domain::idempotency::IdempotencyStore& idempotency() override { return *idempotency_; }
  domain::telemetry::TelemetryStore& telemetry() override { return *telemetry_; }
  domain::tokens::TokenRepository& tokens() override { return *tokens_; }

  void force_stored_value(const std::string& table, const std::string& column,
                          const std::string& value) override {
    auto forced = db_->write([&](storage::sqlite::Connection& c) -> core::Result<void> {
      FERR_CHECK(c.exec("PRAGMA ignore_check_constraints = ON"));
      auto updated = c.exec("UPDATE " + table + " SET " + column + " = '" + value + "'");
      FERR_CHECK(c.exec("PRAGMA ignore_check_constraints = OFF"));
      return updated;
    });
    if (!forced) throw std::runtime_error(forced.error().log_detail);
  }

 private:
  std::unique_ptr<storage::sqlite::Database> db_;
  std::unique_ptr<storage::sqlite::SqliteAccountRepository> accounts_;
  std::unique_ptr<storage::sqlite::SqliteOrgRepository> orgs_;
  std::unique_ptr<storage::sqlite::SqliteSubscriptionRepository> subscriptions_;
  std::unique_ptr<storage::sqlite::SqliteIdempotencyStore> idempotency_;
  std::unique_ptr<storage::sqlite::SqliteTelemetryStore> telemetry_;
  std::unique_ptr<storage::sqlite::SqliteTokenRepository> tokens_;
};

// A scratch database of the test's own on the shared throwaway cluster (tests/postgres).
class PostgresBackend final : public Backend {
 public:
  PostgresBackend() {
    storage::postgres::PoolOptions options;
    options.connection.url = scratch_.url();
    options.connection.connect_timeout = std::chrono::seconds(5);
    options.connection.query_timeout = std::chrono::seconds(10);
    options.max_size = 8;
    db_ = std::make_unique<storage::postgres::Database>(options);
    auto migrated = core::run_to_completion(db_->migrate());
    if (!migrated) throw std::runtime_error(migrated.error().log_detail);
    accounts_ = std::make_unique<storage::postgres::PgAccountRepository>(*db_);
    orgs_ = std::make_unique<storage::postgres::PgOrgRepository>(*db_);
    subscriptions_ = std::make_unique<storage::postgres::PgSubscriptionRepository>(*db_);
    idempotency_ = std::make_unique<storage::postgres::PgIdempotencyStore>(*db_);
    telemetry_ = std::make_unique<storage::postgres::PgTelemetryStore>(
        *db_,
        storage::postgres::PgTelemetrySizes{.retention_days = 90, .evidence_cap = kEvidenceCap});
    tokens_ = std::make_unique<storage::postgres::PgTokenRepository>(*db_);
  }
  domain::accounts::AccountRepository& accounts() override { return *accounts_; }
  domain::orgs::OrgRepository& orgs() override { return *orgs_; }
  domain::subscriptions::SubscriptionRepository& subscriptions() override {
    return *subscriptions_;
  }
  domain::idempotency::IdempotencyStore& idempotency() override { return *idempotency_; }
  domain::telemetry::TelemetryStore& telemetry() override { return *telemetry_; }
  domain::tokens::TokenRepository& tokens() override { return *tokens_; }

  void force_stored_value(const std::string& table, const std::string& column,
                          const std::string& value) override {
    // Over a connection of its own (tests/postgres), independent of the code under test. The
    // schema names each CHECK `<table>_<column>_check`.
    pgtest::admin_scalar(scratch_.url(), "ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " +
                                             table + "_" + column + "_check");
    pgtest::admin_scalar(scratch_.url(),
                         "UPDATE " + table + " SET " + column + " = '" + value + "'");
  }

 private:
  // Declared first: the database goes last, after the pool that uses it.
  pgtest::ScratchDatabase scratch_;
  std::unique_ptr<storage::postgres::Database> db_;
  std::unique_ptr<storage::postgres::PgAccountRepository> accounts_;
  std::unique_ptr<storage::postgres::PgOrgRepository> orgs_;
  std::unique_ptr<storage::postgres::PgSubscriptionRepository> subscriptions_;
  std::unique_ptr<storage::postgres::PgIdempotencyStore> idempotency_;
  std::unique_ptr<storage::postgres::PgTelemetryStore> telemetry_;
  std::unique_ptr<storage::postgres::PgTokenRepository> tokens_;
};

}  // namespace

std::vector<BackendFactory> backends() {
  // Both are always listed; ctest runs the PostgreSQL instances only inside the cluster fixture
  // (tests/contract/CMakeLists.txt), where FERR_TEST_PG_URL_FILE names the cluster.
  return {{"sqlite", [] { return std::make_unique<SqliteBackend>(); }},
          {"postgres", [] { return std::make_unique<PostgresBackend>(); }}};
}

}  // namespace ferr::contract
