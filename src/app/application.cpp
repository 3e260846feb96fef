#include "app/application.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <thread>

#include "api/account_routes.hpp"
#include "api/authentication.hpp"
#include "api/openapi/routes.hpp"
#include "api/operator_routes.hpp"
#include "api/org_routes.hpp"
#include "api/subscription_routes.hpp"
#include "api/telemetry/ingest_routes.hpp"
#include "api/telemetry/page_routes.hpp"
#include "api/telemetry/public_routes.hpp"
#include "api/token_routes.hpp"
#include "app/storage_backend.hpp"
#include "app/version.hpp"
#include "core/log.hpp"
#include "core/task.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/tokens.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/housekeeping.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "domain/orgs/org_service.hpp"
#include "domain/privacy/personal_data.hpp"
#include "domain/readiness.hpp"
#include "domain/subscriptions/subscription_service.hpp"
#include "domain/telemetry/emitter.hpp"
#include "domain/telemetry/emitting_events.hpp"
#include "domain/telemetry/ingest_writer.hpp"
#include "domain/telemetry/retention.hpp"
#include "domain/telemetry/statistics.hpp"
#include "domain/telemetry/statistics_cache.hpp"
#include "domain/tokens/token_repository.hpp"
#include "domain/tokens/token_service.hpp"
#include "http/dispatcher.hpp"
#include "http/error_response.hpp"
#include "http/middleware/rate_limiter.hpp"
#include "http/server.hpp"
#include "mail/factory.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::app {

namespace {

/// /readyz while a deferred database is waited for: not ready until it is migrated, even if
/// another instance has already migrated it (this one has not created its partitions yet).
class GatedReadiness final : public domain::ReadinessCheck {
 public:
  GatedReadiness(domain::ReadinessCheck& inner, const std::atomic<bool>& ready)
      : inner_(inner), ready_(ready) {}
  core::Task<core::Result<void>> check() override {
    if (!ready_.load()) {
      core::Error waiting =
          core::Error::make(core::ErrorCode::service_unavailable, "waiting for the database");
      waiting.log_detail = "waiting for the database";
      co_return core::fail(std::move(waiting));
    }
    co_return co_await inner_.check();
  }

 private:
  domain::ReadinessCheck& inner_;
  const std::atomic<bool>& ready_;
};

// Answered whatever the database: the probes, the metrics, the OpenAPI document and its page.
bool always_open(std::string_view pattern) {
  return pattern == "/health" || pattern == "/v1/health" || pattern == "/readyz" ||
         pattern == "/metrics" || pattern == "/v1/openapi.json" || pattern == "/v1/docs";
}

}  // namespace

Application::Application(const Config& config, Tuning tuning) : config_(config), tuning_(tuning) {}

core::Result<std::unique_ptr<Application>> Application::create(const Config& config, Tuning tuning,
                                                               DatabaseStart when) {
  std::unique_ptr<Application> app(new Application(config, tuning));
  if (when == DatabaseStart::deferred && config.database.kind == DatabaseTarget::Kind::postgres) {
    app->storage_ = std::make_unique<StorageBackend>(build_postgres(config));
    app->database_ready_ = false;
    app->gated_readiness_ =
        std::make_unique<GatedReadiness>(*app->storage_->readiness, app->database_ready_);
    if (auto built = app->build_services(); !built) return core::fail(built.error());
    return app;
  }
  SchemaReport report;
  auto storage = open_storage(config, app->clock(), &report);
  if (!storage) return core::fail(storage.error());
  app->storage_ = std::make_unique<StorageBackend>(std::move(*storage));
  if (report.applied > 0) {
    core::log::info("migrations applied",
                    {{"from_version", report.from_version}, {"to_version", report.to_version}});
  }
  if (auto built = app->build_services(); !built) return core::fail(built.error());
  return app;
}

core::Task<core::Result<void>> Application::prepare_database() {
  auto prepared = co_await prepare_postgres(*storage_, clock());
  if (!prepared) co_return core::fail(prepared.error());
  if (prepared->applied > 0) {
    core::log::info("migrations applied", {{"from_version", prepared->from_version},
                                           {"to_version", prepared->to_version}});
  }
  // The hourly passes start with the database, not against a server that is still down.
  start_database_jobs();
  database_ready_ = true;
  co_return core::Result<void>{};
}

void Application::start_database_jobs() {
  if (!retention_) {
    retention_ = std::make_unique<domain::telemetry::RetentionJob>(
        telemetry_store(), clock(), config_.telemetry_retention_days, background_->executor());
  }
  if (!housekeeping_) {
    housekeeping_ = std::make_unique<domain::accounts::HousekeepingJob>(
        *storage_->accounts, clock(), metrics_, background_->executor());
  }
}

core::Result<void> Application::build_services() {
  // Storage is awaited from the I/O threads (SQLite hides its own small pool inside its
  // repositories). Password hashing has a pool of its own, one thread per core at lowered
  // priority, which bounds its CPU and memory (19 MiB a hash) whatever the burst of logins.
  std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  hash_pool_ = std::make_unique<core::BlockingPool>(cores, "ferr-hash", /*nice=*/10);

  mail::QueuedMailer::Options mail_options;
  mail_options.metrics = &metrics_;
  mail::SmtpOptions smtp_options;
  smtp_options.require_tls = config_.mail_require_tls;
  auto mailer = mail::make_mailer(config_.mail, config_.mail_from, mail_options, smtp_options);
  if (!mailer) {
    core::Error e = mailer.error();
    e.log_detail = "FERRLABS_MAIL: " + e.log_detail;
    return core::fail(std::move(e));
  }
  mailer_ = std::move(*mailer);

  password_hasher_ = std::make_unique<crypto::PasswordHasher>(
      crypto::PasswordParams{config_.password_iterations, config_.password_memory_kib * 1024});
  if (auto built = build_telemetry(); !built) return built;
  account_events_ = std::make_unique<domain::telemetry::EmittingAccountEvents>(*emitter_);

  domain::accounts::AccountSettings settings;
  // Without JWT_SECRET (development only: production refuses to start) sessions end with the
  // process; cli.cpp warns about it.
  settings.jwt_secret =
      config_.jwt_secret ? *config_.jwt_secret : core::Secret(crypto::random_token(random_, 32));
  settings.code_key =
      core::Secret(crypto::keyed_hash_hex(settings.jwt_secret, "ferrlabs.verification-codes"));
  settings.refresh_key =
      core::Secret(crypto::keyed_hash_hex(settings.jwt_secret, "ferrlabs.refresh-successors"));
  settings.public_url = config_.public_url;
  accounts_ = std::make_unique<domain::accounts::AccountService>(
      *storage_->accounts, *password_hasher_, *hash_pool_, *mailer_, *account_events_, clock(),
      random_, settings);
  org_events_ = std::make_unique<domain::telemetry::EmittingOrgEvents>(*emitter_);
  orgs_ = std::make_unique<domain::orgs::OrgService>(*storage_->orgs, *storage_->accounts,
                                                     *org_events_, clock(), random_);
  subscriptions_ = std::make_unique<domain::subscriptions::SubscriptionService>(
      *storage_->orgs, *storage_->subscriptions, *org_events_, clock(), random_);
  tokens_ = std::make_unique<domain::tokens::TokenService>(*storage_->tokens, *storage_->orgs,
                                                           clock(), random_);
  authenticator_ = std::make_unique<api::Authenticator>(*accounts_, *tokens_);
  // The export shows a person the rows under the pseudonym the emitter computes: the same key.
  personal_data_ = std::make_unique<domain::privacy::PersonalData>(
      *accounts_, *storage_->accounts, *storage_->orgs, *storage_->tokens, telemetry_store(),
      emitter_->key(), clock());
  idempotency_ = std::make_unique<domain::idempotency::Idempotency>(*storage_->idempotency,
                                                                    *storage_->accounts, clock());
  // Bursts of four seconds' worth: a client that paused may catch up, briefly.
  auth_limiter_ = std::make_unique<http::RateLimiter>(
      http::RateLimit{.per_second = config_.auth_rate, .burst = config_.auth_rate * 4}, clock());
  ingest_limiter_ = std::make_unique<http::RateLimiter>(
      http::RateLimit{.per_second = config_.ingest_rate, .burst = config_.ingest_rate * 4},
      clock());
  return {};
}

core::Result<void> Application::build_telemetry() {
  telemetry_store_ =
      tuning_.wrap_telemetry_store ? tuning_.wrap_telemetry_store(*storage_->telemetry) : nullptr;
  auto& store = telemetry_store();
  // Without FERRLABS_TELEMETRY_SALT (development only: production refuses to start) pseudonyms
  // change at every restart; cli.cpp warns about it.
  std::optional<crypto::TelemetryKey> key;
  if (config_.telemetry_salt) key = crypto::TelemetryKey::from_salt(*config_.telemetry_salt);
  if (!key) key = crypto::TelemetryKey::random(random_);
  domain::telemetry::EmitterOptions options;
  options.capacity = config_.telemetry_queue;
  background_ = std::make_unique<core::BackgroundLoop>();
  emitter_ = std::make_unique<domain::telemetry::Emitter>(store, *key, clock(), random_, metrics_,
                                                          options, background_->executor());
  // PostgreSQL runs transactions side by side: one ingestion commit per I/O thread at a time
  // (1.6x the batch throughput of a single one on two cores, docs/performance.md). SQLite has one
  // writer.
  const std::size_t ingest_lanes = storage_->postgres ? config_.threads : 1;
  ingest_writer_ = std::make_unique<domain::telemetry::IngestWriter>(
      store, domain::telemetry::GroupCommits{.lanes = ingest_lanes});
  statistics_ =
      std::make_unique<domain::telemetry::TelemetryStatistics>(store, clock(), config_.stats_k);
  statistics_cache_ = std::make_unique<domain::telemetry::StatisticsCache>(
      *statistics_, clock(), std::chrono::seconds(config_.stats_cache_s));
  return {};
}

domain::telemetry::TelemetryStore& Application::telemetry_store() {
  return telemetry_store_ ? *telemetry_store_ : *storage_->telemetry;
}

storage::sqlite::Database& Application::database() {
  assert(storage_->sqlite && "database(): not a SQLite configuration");
  return *storage_->sqlite;
}

core::Result<domain::telemetry::Expiry> Application::purge_telemetry() {
  return core::run_to_completion(domain::telemetry::expire_old_events(
      telemetry_store(), clock(), config_.telemetry_retention_days));
}

core::Result<void> Application::start() {
  if (database_ready_) start_database_jobs();
  auto& readiness = gated_readiness_ ? *gated_readiness_ : *storage_->readiness;
  api::add_operator_routes(router_, {.readiness = readiness,
                                     .metrics = metrics_,
                                     .draining = [this] { return server_ && server_->draining(); },
                                     .metrics_token = config_.metrics_token,
                                     .version = std::string(kVersion)});
  bool secure_cookie = config_.public_url.rfind("https://", 0) == 0 ||
                       config_.environment == Environment::production;
  api::add_account_routes(router_, {.accounts = *accounts_,
                                    .auth = *authenticator_,
                                    .personal_data = *personal_data_,
                                    .auth_limiter = *auth_limiter_,
                                    .cookie = {.secure = secure_cookie}});
  api::IdempotencyDeps idempotency{.idempotency = *idempotency_, .auth = *authenticator_};
  api::add_org_routes(router_,
                      {.orgs = *orgs_, .auth = *authenticator_, .idempotency = idempotency});
  api::add_subscription_routes(
      router_,
      {.subscriptions = *subscriptions_, .auth = *authenticator_, .idempotency = idempotency});
  api::add_token_routes(router_, {.tokens = *tokens_, .auth = *authenticator_, .clock = clock()});
  api::add_telemetry_ingest_routes(router_, {.writer = *ingest_writer_,
                                             .limiter = *ingest_limiter_,
                                             .metrics = metrics_,
                                             .clock = clock(),
                                             .random = random_,
                                             .retention_days = config_.telemetry_retention_days});
  const api::TelemetryPublicDeps publication{.statistics = *statistics_cache_,
                                             .key_id = emitter_->key_id(),
                                             .retention_days = config_.telemetry_retention_days};
  api::add_telemetry_public_routes(router_, publication);
  api::add_telemetry_page_routes(router_, publication);
  // Last: the document describes every route registered before it.
  api::add_openapi_routes(router_, std::string(kVersion));

  // While a deferred database is waited for, every route but the probes answers 503 with
  // Retry-After (never a 500 from a schema that is not there yet).
  if (!database_ready_) {
    for (const auto& route : router_.routes()) {
      if (always_open(route->pattern)) continue;
      route->handler = [this, inner = std::move(route->handler)](
                           http::Request& request) -> core::Task<http::Response> {
        if (!database_ready_.load()) {
          co_return http::error_response(
              core::Error::make(core::ErrorCode::service_unavailable,
                                "the database is not available yet, retry shortly"),
              request.request_id);
        }
        co_return co_await inner(request);
      };
    }
  }
  dispatcher_ = std::make_unique<http::Dispatcher>(router_, metrics_, config_.cors_allowed_origins);
  http::ServerOptions options;
  options.host = config_.listen_host;
  options.port = config_.listen_port;
  options.threads = config_.threads;
  options.limits = tuning_.limits;
  options.limits.trusted_proxy_hops = config_.trusted_proxy_hops;
  options.max_connections = config_.max_connections;
  options.max_connections_per_client = config_.max_connections_per_client;
  options.metrics = &metrics_;
  server_ = std::make_unique<http::Server>(options, *dispatcher_);
  auto started = server_->start();
  if (!started) {
    auto error = started.error();
    error.log_detail = "FERRLABS_LISTEN: " + error.log_detail;
    return core::fail(std::move(error));
  }
  return {};
}

unsigned short Application::port() const { return server_ ? server_->port() : 0; }

bool Application::shutdown(std::chrono::milliseconds grace) {
  bool drained = server_ ? server_->shutdown(grace) : true;
  // Hashes still running refer to suspended request coroutines: let them finish before the
  // server's contexts (and those coroutines) are destroyed.
  if (hash_pool_) hash_pool_->join();
  // Every request has been answered: ingested rows are stored, and the emitter writes what the
  // last requests queued (telemetry.md §3: nothing accepted is lost on a graceful shutdown).
  if (ingest_writer_) ingest_writer_->stop();
  if (emitter_ && !emitter_->drain(std::max(grace, std::chrono::milliseconds(1000))))
    drained = false;
  if (retention_) retention_->stop();
  if (housekeeping_) housekeeping_->stop();
  // Nothing runs on the background loop any more.
  if (background_) background_->stop();
  // Every storage call has been answered or abandoned with its request: let SQLite's threads
  // finish, before the server's event loops they would resume are destroyed.
  if (storage_) storage_->quiesce();
  // Mail queued by the last requests still goes out (bounded by its own deadline).
  if (mailer_) mailer_->drain(std::chrono::seconds(5));
  return drained;
}

Application::~Application() { shutdown(std::chrono::milliseconds(0)); }

}  // namespace ferr::app
