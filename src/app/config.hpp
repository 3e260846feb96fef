#pragma once
/// Configuration: the variables of operations.md, read from the environment or `serve` flags
/// (a flag wins), validated all at once at start-up.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/secret.hpp"

namespace ferr::app {

enum class Environment { development, production };

/// Where the data lives.
struct DatabaseTarget {
  enum class Kind { sqlite, postgres };
  Kind kind = Kind::sqlite;
  std::string location;  ///< file path or `:memory:` for SQLite, the URL for PostgreSQL
};

/// Validated configuration.
struct Config {
  Environment environment = Environment::development;
  std::string listen_host = "127.0.0.1";
  unsigned short listen_port = 8080;
  std::size_t threads = 1;
  DatabaseTarget database;
  std::size_t database_max_connections = 16;
  std::optional<core::Secret> telemetry_salt;  ///< 32 raw bytes; absent in development → ephemeral
  int telemetry_retention_days = 90;
  std::size_t telemetry_queue = 65536;
  int stats_k = 5;
  /// How long a computation of the public statistics is reused (statistics_cache.hpp).
  int stats_cache_s = 5;
  std::optional<core::Secret> jwt_secret;  ///< absent in development → ephemeral
  std::string public_url = "http://127.0.0.1:8080";
  std::string mail = "log";
  std::string mail_from = "FerrLabs <no-reply@ferrlabs.com>";
  /// smtp:// must upgrade with STARTTLS: production, unless FERRLABS_MAIL_ALLOW_PLAINTEXT=1.
  bool mail_require_tls = false;
  std::vector<std::string> cors_allowed_origins;
  double auth_rate = 10;
  double ingest_rate = 50;
  unsigned trusted_proxy_hops = 0;
  std::size_t max_connections = 10'000;          ///< open connections, server-wide
  std::size_t max_connections_per_client = 256;  ///< open connections from one peer address
  core::Secret metrics_token;
  int shutdown_grace_seconds = 10;
  int database_wait_seconds = 300;  ///< PostgreSQL: start-up wait for the database (serve only)
  std::size_t password_memory_kib = 19456;  ///< argon2id m (19 MiB)
  unsigned password_iterations = 2;         ///< argon2id t
  core::log::Level log_level = core::log::Level::info;
};

/// One configuration variable: its environment name, `serve` flag, default and meaning.
struct Setting {
  const char* variable;
  const char* flag;
  const char* fallback;  ///< nullptr: no default (computed or optional)
  const char* help;
};

/// Every variable, in the order of operations.md.
const std::vector<Setting>& settings();

/// A configuration failure, reported as one line naming the variable.
struct ConfigError {
  std::string variable;
  std::string message;
  std::string line() const { return "invalid configuration: " + variable + ": " + message; }
};

/// Raw values by variable name (unset variables absent).
using RawSettings = std::map<std::string, std::string>;

/// Validates raw values; `cores` is the default thread count.
std::optional<ConfigError> parse_config(const RawSettings& raw, std::size_t cores, Config& out);

}  // namespace ferr::app
