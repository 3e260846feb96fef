#include "app/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <charconv>
#include <limits>

#include "core/hex.hpp"

namespace ferr::app {

const std::vector<Setting>& settings() {
  static const std::vector<Setting> all{
      {"FERRLABS_ENV", "--env", "development", "development or production"},
      {"FERRLABS_LISTEN", "--listen", "127.0.0.1:8080",
       "address and port to listen on (port 0 picks one)"},
      {"FERRLABS_THREADS", "--threads", nullptr, "I/O threads (default: number of cores)"},
      {"DATABASE_URL", "--database-url", "sqlite:./var/ferrlabs.db",
       "sqlite:PATH, sqlite::memory: or postgres://user:pass@host:port/db"},
      {"DATABASE_MAX_CONNECTIONS", "--database-max-connections", "16", "PostgreSQL pool size"},
      {"FERRLABS_TELEMETRY_SALT", "--telemetry-salt", nullptr,
       "64 hex characters (ephemeral in development)"},
      {"FERRLABS_TELEMETRY_RETENTION_DAYS", "--telemetry-retention-days", "90",
       "raw event retention in days"},
      {"FERRLABS_TELEMETRY_QUEUE", "--telemetry-queue", "65536", "emitter queue capacity (events)"},
      {"FERRLABS_STATS_K", "--stats-k", "5", "k-anonymity threshold of public statistics"},
      {"FERRLABS_STATS_CACHE_S", "--stats-cache-s", "5",
       "seconds the public statistics and /telemetry counts are reused (0: computed per request)"},
      {"JWT_SECRET", "--jwt-secret", nullptr, "at least 32 bytes (ephemeral in development)"},
      {"FERRLABS_PUBLIC_URL", "--public-url", "http://127.0.0.1:8080", "base of links in e-mails"},
      {"FERRLABS_MAIL", "--mail", "log", "log, file:DIR, smtp://host:port or smtps://host:port"},
      {"FERRLABS_MAIL_FROM", "--mail-from", "FerrLabs <no-reply@ferrlabs.com>",
       "sender of e-mails"},
      {"FERRLABS_MAIL_ALLOW_PLAINTEXT", "--mail-allow-plaintext", "0",
       "1 lets smtp:// deliver without STARTTLS in production (a relay on a trusted network)"},
      {"CORS_ALLOWED_ORIGINS", "--cors-allowed-origins", "", "comma-separated exact origins"},
      {"FERRLABS_AUTH_RATE", "--auth-rate", "10",
       "per-IP requests/s on unauthenticated auth routes (0 disables)"},
      {"FERRLABS_INGEST_RATE", "--ingest-rate", "50",
       "per-IP requests/s on telemetry ingestion (0 disables)"},
      {"TRUSTED_PROXY_HOPS", "--trusted-proxy-hops", "0",
       "X-Forwarded-For hops to trust for the client IP"},
      {"FERRLABS_MAX_CONNECTIONS", "--max-connections", "10000",
       "open connections at most; a connection over the cap is closed at once"},
      {"FERRLABS_MAX_CONNECTIONS_PER_CLIENT", "--max-connections-per-client", "256",
       "open connections at most from one peer address (behind a proxy: the proxy's)"},
      {"METRICS_TOKEN", "--metrics-token", "", "bearer token required by /metrics when set"},
      {"FERRLABS_SHUTDOWN_GRACE_S", "--shutdown-grace-s", "10",
       "drain deadline on SIGTERM, in seconds"},
      {"FERRLABS_DATABASE_WAIT_S", "--database-wait-s", "300",
       "PostgreSQL: how long `serve` waits at start-up for the database, in seconds"},
      {"FERRLABS_LOG", "--log", "info", "trace, debug, info, warn, error or off"},
      {"FERRLABS_PASSWORD_MEMORY_KIB", "--password-memory-kib", "19456",
       "argon2id memory per password hash, in KiB (older hashes still verify)"},
      {"FERRLABS_PASSWORD_ITERATIONS", "--password-iterations", "2",
       "argon2id passes per password hash (older hashes still verify)"},
  };
  return all;
}

namespace {

template <typename T>
bool parse_number(const std::string& text, T min, T max, T& out) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return false;
  out = value;
  return true;
}

bool parse_rate(const std::string& text, double& out) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= 0) || value > 1e6)
    return false;
  out = value;
  return true;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto first = item.find_first_not_of(" \t");
    auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::optional<ConfigError> parse_listen(const std::string& text, Config& out) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return ConfigError{"FERRLABS_LISTEN", "expected HOST:PORT"};
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  if (!parse_number<unsigned>(text.substr(colon + 1), 0, 65535, port))
    return ConfigError{"FERRLABS_LISTEN", "the port must be a number from 0 to 65535"};
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  if (ec) return ConfigError{"FERRLABS_LISTEN", "'" + host + "' is not an IP address"};
  out.listen_host = host;
  out.listen_port = static_cast<unsigned short>(port);
  return std::nullopt;
}

std::optional<ConfigError> parse_database_url(const std::string& text, Config& out) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (text.rfind(kSqlite, 0) == 0) {
    std::string path = text.substr(kSqlite.size());
    if (path.empty()) return ConfigError{"DATABASE_URL", "sqlite: needs a path or :memory:"};
    out.database = {DatabaseTarget::Kind::sqlite, path};
    return std::nullopt;
  }
  if (text.rfind("postgres://", 0) == 0 || text.rfind("postgresql://", 0) == 0) {
    auto url = boost::urls::parse_uri(text);
    if (!url || url->encoded_host().empty())
      return ConfigError{"DATABASE_URL", "not a valid postgres://user:pass@host:port/db URL"};
    out.database = {DatabaseTarget::Kind::postgres, text};
    return std::nullopt;
  }
  return ConfigError{"DATABASE_URL", "must start with sqlite: or postgres://"};
}

}  // namespace

std::optional<ConfigError> parse_config(const RawSettings& raw, std::size_t cores, Config& out) {
  auto value = [&](const char* variable) -> std::optional<std::string> {
    if (auto it = raw.find(variable); it != raw.end()) return it->second;
    for (const Setting& s : settings())
      if (std::string_view(s.variable) == variable && s.fallback) return std::string(s.fallback);
    return std::nullopt;
  };
  Config c;

  std::string env = *value("FERRLABS_ENV");
  if (env == "development")
    c.environment = Environment::development;
  else if (env == "production")
    c.environment = Environment::production;
  else
    return ConfigError{"FERRLABS_ENV", "must be development or production"};
  bool production = c.environment == Environment::production;

  if (auto e = parse_listen(*value("FERRLABS_LISTEN"), c)) return e;

  c.threads = cores == 0 ? 1 : cores;
  if (auto t = value("FERRLABS_THREADS"); t && !parse_number<std::size_t>(*t, 1, 256, c.threads))
    return ConfigError{"FERRLABS_THREADS", "must be a number from 1 to 256"};

  if (auto e = parse_database_url(*value("DATABASE_URL"), c)) return e;
  if (!parse_number<std::size_t>(*value("DATABASE_MAX_CONNECTIONS"), 1, 1000,
                                 c.database_max_connections))
    return ConfigError{"DATABASE_MAX_CONNECTIONS", "must be a number from 1 to 1000"};

  if (auto salt = value("FERRLABS_TELEMETRY_SALT")) {
    auto bytes = core::from_hex(*salt);
    if (salt->size() != 64 || !bytes)
      return ConfigError{"FERRLABS_TELEMETRY_SALT",
                         "must be exactly 64 hexadecimal characters (32 bytes)"};
    c.telemetry_salt = core::Secret(std::string(bytes->begin(), bytes->end()));
  } else if (production) {
    return ConfigError{"FERRLABS_TELEMETRY_SALT", "is required when FERRLABS_ENV=production"};
  }

  if (!parse_number(*value("FERRLABS_TELEMETRY_RETENTION_DAYS"), 1, 3650,
                    c.telemetry_retention_days))
    return ConfigError{"FERRLABS_TELEMETRY_RETENTION_DAYS",
                       "must be a number of days from 1 to 3650"};
  if (!parse_number<std::size_t>(*value("FERRLABS_TELEMETRY_QUEUE"), 1, 16'777'216,
                                 c.telemetry_queue))
    return ConfigError{"FERRLABS_TELEMETRY_QUEUE", "must be a number from 1 to 16777216"};
  if (!parse_number(*value("FERRLABS_STATS_K"), 1, 1000, c.stats_k))
    return ConfigError{"FERRLABS_STATS_K", "must be a number from 1 to 1000"};
  if (!parse_number(*value("FERRLABS_STATS_CACHE_S"), 0, 3600, c.stats_cache_s))
    return ConfigError{"FERRLABS_STATS_CACHE_S", "must be a number of seconds from 0 to 3600"};

  if (auto secret = value("JWT_SECRET")) {
    if (secret->size() < 32) return ConfigError{"JWT_SECRET", "must be at least 32 bytes long"};
    c.jwt_secret = core::Secret(*secret);
  } else if (production) {
    return ConfigError{"JWT_SECRET", "is required when FERRLABS_ENV=production"};
  }

  c.public_url = *value("FERRLABS_PUBLIC_URL");
  auto public_url = boost::urls::parse_absolute_uri(c.public_url);
  if (!public_url || (public_url->scheme() != "http" && public_url->scheme() != "https") ||
      public_url->encoded_host().empty())
    return ConfigError{"FERRLABS_PUBLIC_URL", "must be an absolute http:// or https:// URL"};

  c.mail = *value("FERRLABS_MAIL");
  if (c.mail != "log" && !(c.mail.rfind("file:", 0) == 0 && c.mail.size() > 5) &&
      c.mail.rfind("smtp://", 0) != 0 && c.mail.rfind("smtps://", 0) != 0)
    return ConfigError{"FERRLABS_MAIL",
                       "must be log, file:DIR, smtp://host:port or smtps://host:port"};
  // The log transport writes verification codes and reset links where log readers see them.
  if (production && c.mail == "log")
    return ConfigError{"FERRLABS_MAIL",
                       "log (mail text in the log) is refused when FERRLABS_ENV=production: use "
                       "smtp://, smtps:// or file:DIR"};
  std::string allow_plaintext = *value("FERRLABS_MAIL_ALLOW_PLAINTEXT");
  if (allow_plaintext != "0" && allow_plaintext != "1")
    return ConfigError{"FERRLABS_MAIL_ALLOW_PLAINTEXT", "must be 0 or 1"};
  c.mail_require_tls = production && allow_plaintext == "0";
  c.mail_from = *value("FERRLABS_MAIL_FROM");
  if (c.mail_from.empty() || c.mail_from.find_first_of("\r\n") != std::string::npos)
    return ConfigError{"FERRLABS_MAIL_FROM", "must be one non-empty line"};

  c.cors_allowed_origins = split_list(*value("CORS_ALLOWED_ORIGINS"));
  for (const auto& origin : c.cors_allowed_origins) {
    auto url = boost::urls::parse_absolute_uri(origin);
    if (!url || url->encoded_host().empty() || !url->encoded_path().empty() || url->has_query())
      return ConfigError{"CORS_ALLOWED_ORIGINS",
                         "'" + origin + "' is not an origin such as https://app.example.com"};
  }

  if (!parse_rate(*value("FERRLABS_AUTH_RATE"), c.auth_rate))
    return ConfigError{"FERRLABS_AUTH_RATE",
                       "must be a non-negative number of requests per second"};
  if (!parse_rate(*value("FERRLABS_INGEST_RATE"), c.ingest_rate))
    return ConfigError{"FERRLABS_INGEST_RATE",
                       "must be a non-negative number of requests per second"};
  if (!parse_number<unsigned>(*value("TRUSTED_PROXY_HOPS"), 0, 16, c.trusted_proxy_hops))
    return ConfigError{"TRUSTED_PROXY_HOPS", "must be a number from 0 to 16"};
  if (!parse_number<std::size_t>(*value("FERRLABS_MAX_CONNECTIONS"), 1, 1'000'000,
                                 c.max_connections))
    return ConfigError{"FERRLABS_MAX_CONNECTIONS", "must be a number from 1 to 1000000"};
  if (!parse_number<std::size_t>(*value("FERRLABS_MAX_CONNECTIONS_PER_CLIENT"), 1,
                                 c.max_connections, c.max_connections_per_client))
    return ConfigError{"FERRLABS_MAX_CONNECTIONS_PER_CLIENT",
                       "must be a number from 1 to FERRLABS_MAX_CONNECTIONS (" +
                           std::to_string(c.max_connections) + ")"};
  c.metrics_token = core::Secret(*value("METRICS_TOKEN"));
  if (!parse_number(*value("FERRLABS_SHUTDOWN_GRACE_S"), 0, 3600, c.shutdown_grace_seconds))
    return ConfigError{"FERRLABS_SHUTDOWN_GRACE_S", "must be a number of seconds from 0 to 3600"};
  if (!parse_number(*value("FERRLABS_DATABASE_WAIT_S"), 0, 86400, c.database_wait_seconds))
    return ConfigError{"FERRLABS_DATABASE_WAIT_S", "must be a number of seconds from 0 to 86400"};
  if (!parse_number<std::size_t>(*value("FERRLABS_PASSWORD_MEMORY_KIB"), 8, std::size_t{4} << 20,
                                 c.password_memory_kib))
    return ConfigError{"FERRLABS_PASSWORD_MEMORY_KIB", "must be a number of KiB from 8 to 4194304"};
  if (!parse_number<unsigned>(*value("FERRLABS_PASSWORD_ITERATIONS"), 1, 100,
                              c.password_iterations))
    return ConfigError{"FERRLABS_PASSWORD_ITERATIONS", "must be a number from 1 to 100"};
  if (!core::log::parse_level(*value("FERRLABS_LOG"), c.log_level))
    return ConfigError{"FERRLABS_LOG", "must be trace, debug, info, warn, error or off"};

  out = std::move(c);
  return std::nullopt;
}

}  // namespace ferr::app
