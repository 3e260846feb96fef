#include "contract/backends.hpp"

#include "core/clock.hpp"
#include "storage/sqlite/account_repository.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/idempotency_store.hpp"
#include "storage/sqlite/migrator.hpp"
#include "storage/sqlite/org_repository.hpp"
#include "storage/sqlite/subscription_repository.hpp"
#include "storage/sqlite/telemetry_store.hpp"

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
    telemetry_ = std::make_unique<storage::sqlite::SqliteTelemetryStore>(*db_);
  }
  domain::accounts::AccountRepository& accounts() override { return *accounts_; }
  domain::orgs::OrgRepository& orgs() override { return *orgs_; }
  domain::orgs::SubscriptionRepository& subscriptions() override { return *subscriptions_; }
  domain::idempotency::IdempotencyStore& idempotency() override { return *idempotency_; }
  domain::telemetry::TelemetryStore& telemetry() override { return *telemetry_; }

 private:
  std::unique_ptr<storage::sqlite::Database> db_;
  std::unique_ptr<storage::sqlite::SqliteAccountRepository> accounts_;
  std::unique_ptr<storage::sqlite::SqliteOrgRepository> orgs_;
  std::unique_ptr<storage::sqlite::SqliteSubscriptionRepository> subscriptions_;
  std::unique_ptr<storage::sqlite::SqliteIdempotencyStore> idempotency_;
  std::unique_ptr<storage::sqlite::SqliteTelemetryStore> telemetry_;
};

}  // namespace

std::vector<BackendFactory> backends() {
  return {{"sqlite", [] { return std::make_unique<SqliteBackend>(); }}};
}

}  // namespace ferr::contract
