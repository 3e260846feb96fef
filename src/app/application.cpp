#include "app/application.hpp"

#include <algorithm>

#include "api/operator_routes.hpp"
#include "app/version.hpp"
#include "core/log.hpp"
#include "http/dispatcher.hpp"
#include "http/server.hpp"
#include "storage/sqlite/database.hpp"
#include "storage/sqlite/migrator.hpp"
#include "storage/sqlite/readiness.hpp"

namespace ferr::app {

namespace {
// SQLite readers beside the single writer; more would only queue on two cores.
constexpr std::size_t kSqliteReaders = 4;
}  // namespace

Application::Application(const Config& config, Tuning tuning) : config_(config), tuning_(tuning) {}

core::Result<std::unique_ptr<Application>> Application::create(const Config& config,
                                                               Tuning tuning) {
  std::unique_ptr<Application> app(new Application(config, tuning));
  if (config.database.kind != DatabaseTarget::Kind::sqlite) {
    return core::fail(core::Error::internal(
        "DATABASE_URL: the PostgreSQL backend is not available in this build"));
  }
  auto db = storage::sqlite::Database::open(config.database.location, kSqliteReaders);
  if (!db)
    return core::fail(
        core::Error::internal("DATABASE_URL: cannot open the database: " + db.error().log_detail));
  app->database_ = std::move(*db);

  auto report = app->database_->write([&](storage::sqlite::Connection& c) {
    return storage::sqlite::migrate(c, storage::sqlite::embedded_migrations(), app->system_clock_);
  });
  if (!report)
    return core::fail(
        core::Error::internal("DATABASE_URL: migration failed: " + report.error().log_detail));
  if (report->applied > 0) {
    core::log::info("migrations applied",
                    {{"from_version", report->from_version}, {"to_version", report->to_version}});
  }
  app->readiness_ = std::make_unique<storage::sqlite::SqliteReadinessCheck>(*app->database_);
  // Blocking work waits on SQLite locks and (later) argon2: more threads than cores keeps a slow
  // job from holding up quick ones.
  app->pool_ = std::make_unique<core::BlockingPool>(std::max<std::size_t>(4, config.threads * 2));
  return app;
}

core::Result<void> Application::start() {
  api::add_operator_routes(router_, {.readiness = *readiness_,
                                     .pool = *pool_,
                                     .metrics = metrics_,
                                     .draining = [this] { return server_ && server_->draining(); },
                                     .metrics_token = config_.metrics_token,
                                     .version = std::string(kVersion)});

  dispatcher_ = std::make_unique<http::Dispatcher>(router_, metrics_, config_.cors_allowed_origins);
  http::ServerOptions options;
  options.host = config_.listen_host;
  options.port = config_.listen_port;
  options.threads = config_.threads;
  options.limits = tuning_.limits;
  options.limits.trusted_proxy_hops = config_.trusted_proxy_hops;
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
  // Blocking jobs still running refer to suspended request coroutines: let them finish before
  // the server's contexts (and those coroutines) are destroyed.
  if (pool_) pool_->join();
  return drained;
}

Application::~Application() { shutdown(std::chrono::milliseconds(0)); }

}  // namespace ferr::app
