#pragma once
/// The composition root: builds storage, services, routes and the server from a Config.
/// `serve` runs one; the integration tests run one in-process on port 0.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "app/config.hpp"
#include "core/background_loop.hpp"
#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "core/random.hpp"
#include "http/router.hpp"
#include "http/session.hpp"

namespace ferr::api {
class Authenticator;
}
namespace ferr::domain {
class ReadinessCheck;
namespace accounts {
class AccountService;
class AccountEvents;
class HousekeepingJob;
}  // namespace accounts
namespace orgs {
class OrgService;
class OrgEvents;
}  // namespace orgs
namespace subscriptions {
class SubscriptionService;
}  // namespace subscriptions
namespace telemetry {
class TelemetryStore;
class Emitter;
class IngestWriter;
class RetentionJob;
class TelemetryStatistics;
class StatisticsCache;
struct Expiry;
}  // namespace telemetry
namespace tokens {
class TokenService;
}
namespace idempotency {
class Idempotency;
}  // namespace idempotency
namespace privacy {
class PersonalData;
}  // namespace privacy
}  // namespace ferr::domain
namespace ferr::crypto {
class PasswordHasher;
}
namespace ferr::mail {
class QueuedMailer;
}
namespace ferr::storage::sqlite {
class Database;
}
namespace ferr::app {
struct StorageBackend;
}
namespace ferr::http {
class Dispatcher;
class RateLimiter;
class Server;
}  // namespace ferr::http

namespace ferr::app {

/// Settings that are not configuration variables: tests shorten timeouts with them.
struct Tuning {
  http::SessionLimits limits;
  const core::Clock* clock = nullptr;  ///< null: the system clock
  /// Fault injection: wraps the telemetry store (tests make it fail or stall).
  std::function<std::unique_ptr<domain::telemetry::TelemetryStore>(
      domain::telemetry::TelemetryStore& real)>
      wrap_telemetry_store;
};

/// When the database is opened: at once (the commands, the tests), or, on PostgreSQL, after the
/// server listens (`serve`: prepare_database() is then awaited until it succeeds).
enum class DatabaseStart { at_once, deferred };

class Application {
 public:
  /// Opens the database (SQLite or PostgreSQL, app/storage_backend.hpp) and applies migrations;
  /// a ConfigError-style line on failure. Deferred on PostgreSQL: only builds the pool.
  static core::Result<std::unique_ptr<Application>> create(
      const Config& config, Tuning tuning = {}, DatabaseStart when = DatabaseStart::at_once);
  /// True until the database is migrated: every route but the probes then answers 503.
  bool waiting_for_database() const { return !database_ready_.load(); }
  /// One attempt to migrate a deferred database and create its partitions; on success the
  /// routes open. `service_unavailable` while the server cannot be reached (worth retrying).
  core::Task<core::Result<void>> prepare_database();
  ~Application();

  /// Registers every route, binds the listener and starts serving.
  core::Result<void> start();
  /// The bound port.
  unsigned short port() const;
  /// Graceful shutdown; true when every connection finished within `grace`.
  bool shutdown(std::chrono::milliseconds grace);

  /// The router, so tests can add routes (such as one that throws) before start().
  http::Router& router() { return router_; }
  core::MetricsRegistry& metrics() { return metrics_; }
  /// The running server (after start()), for tests that watch connections and draining.
  const http::Server& server() const { return *server_; }
  /// The telemetry emitter, so tests and tools can wait for queued events to be written.
  domain::telemetry::Emitter& emitter() { return *emitter_; }
  /// The SQLite database, for tests that read what was stored (SQLite configurations only).
  storage::sqlite::Database& database();
  /// The validated configuration it runs with (tests find the database they read back from).
  const Config& config() const { return config_; }
  /// One retention pass over the telemetry tables (the `purge` command). Blocks: call it from
  /// the command line, not from a request.
  core::Result<domain::telemetry::Expiry> purge_telemetry();
  /// The account housekeeping job (after start()), so tests can ask for a pass.
  domain::accounts::HousekeepingJob& housekeeping() { return *housekeeping_; }
  /// The public statistics (the `stats` command and the /telemetry pages).
  domain::telemetry::TelemetryStatistics& statistics() { return *statistics_; }

 private:
  Application(const Config& config, Tuning tuning);

  const core::Clock& clock() const { return tuning_.clock ? *tuning_.clock : system_clock_; }
  core::Result<void> build_services();
  /// Starts the hourly retention and housekeeping passes (once the database is there).
  void start_database_jobs();
  core::Result<void> build_telemetry();
  /// The store telemetry writes to: the backend's, or its wrapper under fault injection.
  domain::telemetry::TelemetryStore& telemetry_store();

  Config config_;
  Tuning tuning_;
  core::SystemClock system_clock_;
  core::SodiumRandom random_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<StorageBackend> storage_;
  // False while a deferred database is being waited for; read by the I/O threads.
  std::atomic<bool> database_ready_ = true;
  std::unique_ptr<domain::ReadinessCheck> gated_readiness_;
  // The telemetry writer, the retention and housekeeping jobs run here; destroyed after them
  // (declared before).
  std::unique_ptr<core::BackgroundLoop> background_;
  // Telemetry before the services: the events seams refer to the emitter, which must outlive them.
  std::unique_ptr<domain::telemetry::TelemetryStore> telemetry_store_;
  std::unique_ptr<domain::telemetry::Emitter> emitter_;
  std::unique_ptr<domain::telemetry::IngestWriter> ingest_writer_;
  std::unique_ptr<domain::telemetry::RetentionJob> retention_;
  std::unique_ptr<domain::accounts::HousekeepingJob> housekeeping_;
  std::unique_ptr<domain::telemetry::TelemetryStatistics> statistics_;
  std::unique_ptr<domain::telemetry::StatisticsCache> statistics_cache_;
  std::unique_ptr<domain::privacy::PersonalData> personal_data_;
  std::unique_ptr<crypto::PasswordHasher> password_hasher_;
  std::unique_ptr<mail::QueuedMailer> mailer_;
  std::unique_ptr<domain::accounts::AccountEvents> account_events_;
  std::unique_ptr<domain::accounts::AccountService> accounts_;
  std::unique_ptr<domain::orgs::OrgEvents> org_events_;
  std::unique_ptr<domain::orgs::OrgService> orgs_;
  std::unique_ptr<domain::subscriptions::SubscriptionService> subscriptions_;
  std::unique_ptr<domain::idempotency::Idempotency> idempotency_;
  std::unique_ptr<domain::tokens::TokenService> tokens_;
  std::unique_ptr<api::Authenticator> authenticator_;
  std::unique_ptr<http::RateLimiter> auth_limiter_;
  std::unique_ptr<http::RateLimiter> ingest_limiter_;
  std::unique_ptr<core::BlockingPool> hash_pool_;
  http::Router router_;
  std::unique_ptr<http::Dispatcher> dispatcher_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace ferr::app
