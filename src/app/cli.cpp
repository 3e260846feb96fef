#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "app/application.hpp"
#include "app/config.hpp"
#include "app/storage_backend.hpp"
#include "app/version.hpp"
#include "core/hex.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "domain/telemetry/statistics.hpp"
#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::app {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadConfig = 2;

/// Adds one flag per configuration variable; values given on the command line land in `flags`.
void add_config_flags(CLI::App& command, RawSettings& flags) {
  for (const Setting& s : settings()) {
    std::string help = std::string(s.help) + " [env " + s.variable + "]";
    command.add_option_function<std::string>(
        s.flag,
        [&flags, variable = std::string(s.variable)](const std::string& v) { flags[variable] = v; },
        help);
  }
}

/// Environment first, then flags on top (a flag wins).
RawSettings collect_settings(const RawSettings& flags) {
  RawSettings raw;
  for (const Setting& s : settings())
    if (const char* v = std::getenv(s.variable)) raw[s.variable] = v;
  for (const auto& [k, v] : flags) raw[k] = v;
  return raw;
}

bool load(const RawSettings& flags, Config& config) {
  auto cores = std::max(1u, std::thread::hardware_concurrency());
  if (auto error = parse_config(collect_settings(flags), cores, config)) {
    std::fprintf(stderr, "%s\n", error->line().c_str());
    return false;
  }
  return true;
}

// Settings that are fine on a laptop and dangerous in a deployment get a loud line each.
void warn_about_development_settings(const Config& config) {
  if (!config.telemetry_salt) {
    core::log::warn(
        "FERRLABS_TELEMETRY_SALT is not set: using an ephemeral random salt. Telemetry pseudonyms "
        "change on every restart. Set a 64-hex salt (ferrlabs-api gen-salt) before production.");
  }
  if (!config.jwt_secret) {
    core::log::warn(
        "JWT_SECRET is not set: using an ephemeral random secret. Every session ends when the "
        "process restarts. Set JWT_SECRET (at least 32 bytes) before production.");
  }
  // FERRLABS_MAIL=log in production is refused by parse_config, never merely warned about.
}

/// `serve` on PostgreSQL: attempts to migrate until it works, with a capped back-off, within
/// FERRLABS_DATABASE_WAIT_S. Each failed attempt is logged (the error, never the URL).
struct DatabaseWait {
  Application& app;
  std::chrono::seconds bound;
  boost::asio::steady_timer timer;
  bool stopping = false;
  std::optional<core::Error> failure;  ///< set when the wait ends without a database

  core::Task<void> run() {
    auto deadline = std::chrono::steady_clock::now() + bound;
    std::chrono::milliseconds delay{250};
    for (int attempt = 1;; ++attempt) {
      auto ready = co_await app.prepare_database();
      if (ready) {
        core::log::info("database ready", {{"attempts", attempt}});
        co_return;
      }
      const core::Error& error = ready.error();
      if (error.code != core::ErrorCode::service_unavailable) {
        failure = error;
        co_return;
      }
      if (stopping) co_return;
      auto detail = error.log_detail.empty() ? error.message : error.log_detail;
      if (std::chrono::steady_clock::now() + delay >= deadline) {
        failure = core::Error::internal("DATABASE_URL: the database did not answer within " +
                                        std::to_string(bound.count()) +
                                        " s (FERRLABS_DATABASE_WAIT_S): " + detail);
        co_return;
      }
      core::log::warn("database not available, retrying",
                      {{"attempt", attempt}, {"retry_in_ms", delay.count()}, {"error", detail}});
      timer.expires_after(delay);
      boost::system::error_code ignored;
      co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
      if (stopping) co_return;
      // Doubling up to 5 s: a database back within seconds is found at once, a long outage is
      // not hammered.
      delay = std::min(delay * 2, std::chrono::milliseconds{5000});
    }
  }
};

int serve(const Config& config) {
  core::log::init(config.log_level);
  core::init_sodium();
  auto started_at = std::chrono::steady_clock::now();

  // Start-up failures end with one line naming the variable, after any buffered log lines.
  auto refuse = [](const core::Error& error) {
    core::log::shutdown();
    std::fprintf(stderr, "invalid configuration: %s\n", error.log_detail.c_str());
    return kExitBadConfig;
  };
  auto app = Application::create(config, {}, DatabaseStart::deferred);
  if (!app) return refuse(app.error());
  if (auto started = (*app)->start(); !started) return refuse(started.error());
  warn_about_development_settings(config);

  boost::asio::io_context signal_context;
  boost::asio::signal_set signals(signal_context, SIGINT, SIGTERM);
  int received = 0;
  std::optional<DatabaseWait> wait;
  if ((*app)->waiting_for_database()) {
    wait.emplace(DatabaseWait{.app = **app,
                              .bound = std::chrono::seconds(config.database_wait_seconds),
                              .timer = boost::asio::steady_timer(signal_context)});
  }
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;  // cancelled: the database wait gave up
    received = signal;
    // SIGTERM while waiting for the database: the wait ends after its current attempt.
    if (wait) {
      wait->stopping = true;
      wait->timer.cancel();
    }
  });

  auto startup_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_at)
          .count();
  core::log::info("listening", {{"address", config.listen_host},
                                {"port", (*app)->port()},
                                {"threads", config.threads},
                                {"version", kVersion},
                                {"startup_ms", startup_ms}});
  core::log::flush();

  if (wait) {
    boost::asio::co_spawn(signal_context, wait->run(), [&](const std::exception_ptr&) {
      if (wait->failure) signals.cancel();
    });
  }
  signal_context.run();
  if (wait && wait->failure) {
    (*app)->shutdown(std::chrono::seconds(0));
    app->reset();
    return refuse(*wait->failure);
  }
  core::log::info("draining", {{"signal", received}, {"grace_s", config.shutdown_grace_seconds}});
  bool drained = (*app)->shutdown(std::chrono::seconds(config.shutdown_grace_seconds));
  app->reset();
  core::log::info("stopped", {{"drained", drained}});
  core::log::shutdown();
  return 0;
}

int migrate_only(const Config& config) {
  core::log::init(config.log_level);
  core::SystemClock clock;
  SchemaReport report;
  auto storage = open_storage(config, clock, &report);
  core::log::shutdown();
  if (!storage) {
    std::fprintf(stderr, "%s\n", storage.error().log_detail.c_str());
    return kExitFailure;
  }
  std::printf("schema at version %d (was %d, %d migration%s applied)\n", report.to_version,
              report.from_version, report.applied, report.applied == 1 ? "" : "s");
  return 0;
}

/// `purge`: one retention pass, then a line saying what went.
int purge(const Config& config) {
  core::log::init(config.log_level);
  core::init_sodium();
  auto app = Application::create(config);
  if (!app) {
    core::log::shutdown();
    std::fprintf(stderr, "invalid configuration: %s\n", app.error().log_detail.c_str());
    return kExitBadConfig;
  }
  auto expired = (*app)->purge_telemetry();
  app->reset();
  core::log::shutdown();
  if (!expired) {
    std::fprintf(stderr, "purge failed: %s\n", expired.error().log_detail.c_str());
    return kExitFailure;
  }
  std::printf(
      "removed %zu raw telemetry event%s older than %d days (%zu day%s rolled up into "
      "telemetry_daily)\n",
      expired->rows_deleted, expired->rows_deleted == 1 ? "" : "s", config.telemetry_retention_days,
      expired->days_rolled_up, expired->days_rolled_up == 1 ? "" : "s");
  return 0;
}

/// `stats`: the public daily counts of the last `days` days as an aligned table; a count withheld
/// by k-anonymity shows as `< k`.
int stats(const Config& config, int days) {
  core::log::init(config.log_level);
  core::init_sodium();
  auto app = Application::create(config);
  if (!app) {
    core::log::shutdown();
    std::fprintf(stderr, "invalid configuration: %s\n", app.error().log_detail.c_str());
    return kExitBadConfig;
  }
  auto daily = core::run_to_completion((*app)->statistics().daily(days));
  int k = (*app)->statistics().k();
  app->reset();
  core::log::shutdown();
  if (!daily) {
    std::fprintf(stderr, "stats failed: %s\n", daily.error().log_detail.c_str());
    return kExitFailure;
  }
  const auto& cells = daily->cells;
  std::size_t width = std::string_view("event").size();
  for (const auto& cell : cells) width = std::max(width, cell.event.size());
  std::printf("%-10s  %-*s  %10s\n", "date", static_cast<int>(width), "event", "count");
  for (const auto& cell : cells) {
    auto count = cell.count ? std::to_string(*cell.count) : "< " + std::to_string(k);
    std::printf("%-10s  %-*s  %10s\n", cell.date.c_str(), static_cast<int>(width),
                cell.event.c_str(), count.c_str());
  }
  if (cells.empty()) std::printf("(no events in the last %d days)\n", days);
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"FerrLabs API: accounts, organizations, subscriptions and transparent telemetry",
               "ferrlabs-api"};
  cli.require_subcommand(0, 1);
  RawSettings serve_flags, migrate_flags, purge_flags, stats_flags;
  int stats_days = 30;

  auto* serve_cmd = cli.add_subcommand("serve", "Run the HTTP server (the default command)");
  add_config_flags(*serve_cmd, serve_flags);
  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply pending database migrations and exit");
  add_config_flags(*migrate_cmd, migrate_flags);
  auto* purge_cmd =
      cli.add_subcommand("purge", "Run the telemetry retention job once and print what it removed");
  add_config_flags(*purge_cmd, purge_flags);
  auto* stats_cmd = cli.add_subcommand(
      "stats", "Print the daily telemetry counts (as published, k-anonymity applied) as a table");
  add_config_flags(*stats_cmd, stats_flags);
  stats_cmd->add_option("--days", stats_days, "how many days back, today included (1-365)")
      ->check(CLI::Range(1, 365));
  auto* salt_cmd = cli.add_subcommand("gen-salt", "Print a fresh 64-hex telemetry salt");
  auto* version_cmd = cli.add_subcommand("version", "Print the version");

  // No command means serve: `ferrlabs-api --listen …` is `ferrlabs-api serve --listen …`.
  std::vector<std::string> args(argv + 1, argv + argc);
  bool asks_help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
  if (args.empty() || (!asks_help && args[0].rfind('-', 0) == 0))
    args.insert(args.begin(), "serve");
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector in reverse order
  try {
    cli.parse(args);
  } catch (const CLI::ParseError& e) {
    int status = cli.exit(e);
    return status == 0 ? 0 : kExitBadConfig;
  }

  if (*version_cmd) {
    std::printf("ferrlabs-api %s\n", std::string(kVersion).c_str());
    return 0;
  }
  if (*salt_cmd) {
    core::init_sodium();
    std::uint8_t salt[32];
    core::SodiumRandom().fill(salt);
    std::printf("%s\n", core::to_hex(salt).c_str());
    return 0;
  }
  Config config;
  if (*migrate_cmd) return load(migrate_flags, config) ? migrate_only(config) : kExitBadConfig;
  if (*purge_cmd) return load(purge_flags, config) ? purge(config) : kExitBadConfig;
  if (*stats_cmd) return load(stats_flags, config) ? stats(config, stats_days) : kExitBadConfig;
  return load(serve_flags, config) ? serve(config) : kExitBadConfig;
}

}  // namespace ferr::app
