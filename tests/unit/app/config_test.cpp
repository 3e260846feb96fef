#include "app/config.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ferr::app {
namespace {

const std::string kSaltHex(64, 'a');  // 32 bytes of 0xaa
const std::string kJwtSecret(32, 's');

std::optional<ConfigError> parse(const RawSettings& raw, Config& out, std::size_t cores = 4) {
  return parse_config(raw, cores, out);
}

Config parse_ok(const RawSettings& raw, std::size_t cores = 4) {
  Config c;
  auto error = parse(raw, c, cores);
  EXPECT_FALSE(error.has_value()) << (error ? error->line() : "");
  return c;
}

TEST(ParseConfig, DefaultsMatchOperationsMd) {
  Config c = parse_ok({});
  EXPECT_EQ(c.environment, Environment::development);
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.threads, 4u);  // number of cores
  EXPECT_EQ(c.database.kind, DatabaseTarget::Kind::sqlite);
  EXPECT_EQ(c.database.location, "./var/ferrlabs.db");
  EXPECT_EQ(c.database_max_connections, 16u);
  EXPECT_FALSE(c.telemetry_salt.has_value());  // ephemeral in development
  EXPECT_EQ(c.telemetry_retention_days, 90);
  EXPECT_EQ(c.telemetry_queue, 65536u);
  EXPECT_EQ(c.stats_k, 5);
  EXPECT_EQ(c.stats_cache_s, 5);
  EXPECT_FALSE(c.jwt_secret.has_value());  // ephemeral in development
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.mail, "log");
  EXPECT_EQ(c.mail_from, "FerrLabs <no-reply@ferrlabs.com>");
  EXPECT_FALSE(c.mail_require_tls) << "development: STARTTLS when offered, not required";
  EXPECT_TRUE(c.cors_allowed_origins.empty());
  EXPECT_EQ(c.auth_rate, 10);
  EXPECT_EQ(c.ingest_rate, 50);
  EXPECT_EQ(c.trusted_proxy_hops, 0u);
  EXPECT_TRUE(c.metrics_token.empty());
  EXPECT_EQ(c.shutdown_grace_seconds, 10);
  EXPECT_EQ(c.log_level, core::log::Level::info);
}

TEST(ParseConfig, ZeroCoresStillGivesOneThread) { EXPECT_EQ(parse_ok({}, 0).threads, 1u); }

// Invalid values per variable. Each must be rejected naming exactly that variable.
const std::vector<std::pair<std::string, std::vector<std::string>>>& invalid_values() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> table{
      {"FERRLABS_ENV", {"", "prod", "Production", "staging"}},
      {"FERRLABS_LISTEN",
       {"", "8080", ":8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
        "127.0.0.1:80x", "localhost:8080", "999.0.0.1:80", "[::1]8080", "[::1]:", "[]:80"}},
      {"FERRLABS_THREADS", {"", "0", "257", "-1", "four", "2.5", " 2"}},
      {"DATABASE_URL",
       {"", "sqlite:", "mysql://u:p@h/db", "postgres://", "file:app.db", "./app.db",
        "SQLITE:app.db"}},
      {"DATABASE_MAX_CONNECTIONS", {"", "0", "1001", "ten"}},
      {"FERRLABS_TELEMETRY_SALT",
       {"", std::string(63, 'a'), std::string(65, 'a'), std::string(62, 'a') + "zz",
        std::string(63, 'a') + " "}},
      {"FERRLABS_TELEMETRY_RETENTION_DAYS", {"", "0", "3651", "-5", "ninety"}},
      {"FERRLABS_TELEMETRY_QUEUE", {"", "0", "16777217", "many"}},
      {"FERRLABS_STATS_K", {"", "0", "1001", "k"}},
      {"FERRLABS_STATS_CACHE_S", {"", "-1", "3601", "5s"}},
      {"JWT_SECRET", {"", "short", std::string(31, 's')}},
      {"FERRLABS_PUBLIC_URL",
       {"", "127.0.0.1:8080", "/relative", "ftp://example.com", "http://", "mailto:a@b.c"}},
      {"FERRLABS_MAIL", {"", "smtp", "file:", "sendmail", "http://mail.example.com"}},
      {"FERRLABS_MAIL_FROM", {"", "a@b.c\r\nBcc: victim@example.com", "two\nlines"}},
      {"FERRLABS_MAIL_ALLOW_PLAINTEXT", {"", "yes", "true", "2", " 1", "01"}},
      {"CORS_ALLOWED_ORIGINS",
       {"app.example.com", "*", "https://app.example.com/", "https://app.example.com/path",
        "https://app.example.com?x=1", "https://ok.example.com, not an origin"}},
      {"FERRLABS_AUTH_RATE", {"", "-1", "ten", "nan", "inf", "1e7", "5/s"}},
      {"FERRLABS_INGEST_RATE", {"", "-0.5", "fifty", "nan", "inf", "2000000"}},
      {"TRUSTED_PROXY_HOPS", {"", "-1", "17", "one"}},
      {"FERRLABS_MAX_CONNECTIONS", {"", "0", "1000001", "-1", "many"}},
      // Over the default total (10000) is refused too: one client could take every connection.
      {"FERRLABS_MAX_CONNECTIONS_PER_CLIENT", {"", "0", "10001", "-1", "some"}},
      {"FERRLABS_SHUTDOWN_GRACE_S", {"", "-1", "3601", "10s"}},
      {"FERRLABS_DATABASE_WAIT_S", {"", "-1", "86401", "5m"}},
      {"FERRLABS_LOG", {"", "INFO", "verbose", "warning"}},
      {"FERRLABS_PASSWORD_MEMORY_KIB", {"", "7", "4194305", "lots"}},
      {"FERRLABS_PASSWORD_ITERATIONS", {"", "0", "101", "two"}},
  };
  return table;
}

// METRICS_TOKEN has no invalid value: any string (empty disables the check) is a token.
const std::set<std::string> kFreeForm{"METRICS_TOKEN"};

TEST(ParseConfig, InvalidValueTableCoversEveryVariable) {
  std::set<std::string> covered(kFreeForm);
  for (const auto& [variable, values] : invalid_values()) covered.insert(variable);
  for (const Setting& s : settings())
    EXPECT_TRUE(covered.count(s.variable)) << s.variable << " has no invalid-value test";
}

bool is_setting(const std::string& variable) {
  for (const Setting& s : settings())
    if (variable == s.variable) return true;
  return false;
}

TEST(ParseConfig, EachInvalidValueNamesExactlyItsVariable) {
  for (const auto& [variable, values] : invalid_values()) {
    // The password settings arrive with the accounts feature; until settings() lists them an
    // unknown variable is simply ignored. The test above catches a setting missing here.
    if (!is_setting(variable)) continue;
    for (const std::string& value : values) {
      Config c;
      c.stats_k = 777;  // sentinel: the output must stay untouched on failure
      auto error = parse({{variable, value}}, c);
      ASSERT_TRUE(error.has_value()) << variable << "=" << value << " was accepted";
      EXPECT_EQ(error->variable, variable) << variable << "=" << value << ": " << error->line();
      EXPECT_FALSE(error->message.empty());
      EXPECT_EQ(c.stats_k, 777) << variable << "=" << value;
    }
  }
}

TEST(ParseConfig, LineNamesTheVariable) {
  ConfigError e{"JWT_SECRET", "must be at least 32 bytes long"};
  EXPECT_EQ(e.line(), "invalid configuration: JWT_SECRET: must be at least 32 bytes long");

  Config c;
  auto error = parse({{"FERRLABS_STATS_K", "0"}}, c);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->line().rfind("invalid configuration: FERRLABS_STATS_K: ", 0), 0u)
      << error->line();
}

TEST(ParseConfig, ProductionRequiresTheSaltAndTheJwtSecret) {
  Config c;
  auto no_salt = parse({{"FERRLABS_ENV", "production"}, {"JWT_SECRET", kJwtSecret}}, c);
  ASSERT_TRUE(no_salt.has_value());
  EXPECT_EQ(no_salt->variable, "FERRLABS_TELEMETRY_SALT");

  auto no_jwt = parse({{"FERRLABS_ENV", "production"}, {"FERRLABS_TELEMETRY_SALT", kSaltHex}}, c);
  ASSERT_TRUE(no_jwt.has_value());
  EXPECT_EQ(no_jwt->variable, "JWT_SECRET");

  c = parse_ok({{"FERRLABS_ENV", "production"},
                {"FERRLABS_TELEMETRY_SALT", kSaltHex},
                {"JWT_SECRET", kJwtSecret},
                {"FERRLABS_MAIL", "smtps://mail.example.com:465"}});
  EXPECT_EQ(c.environment, Environment::production);
  ASSERT_TRUE(c.telemetry_salt.has_value());
  ASSERT_TRUE(c.jwt_secret.has_value());
  EXPECT_EQ(c.jwt_secret->expose(), kJwtSecret);
}

// Issue 14 item 13: the log transport writes codes and reset links into the log, and production
// accepted it (with a warning). It is now a start-up error there, like a missing secret.
TEST(ParseConfig, ProductionRefusesTheLogTransport) {
  const RawSettings production{{"FERRLABS_ENV", "production"},
                               {"FERRLABS_TELEMETRY_SALT", kSaltHex},
                               {"JWT_SECRET", kJwtSecret}};
  for (const char* mail : {"", "log"}) {
    RawSettings raw = production;
    if (*mail != '\0') raw["FERRLABS_MAIL"] = mail;
    Config c;
    auto error = parse(raw, c);
    ASSERT_TRUE(error.has_value()) << "FERRLABS_MAIL=" << mail;
    EXPECT_EQ(error->variable, "FERRLABS_MAIL");
    EXPECT_EQ(error->line(),
              "invalid configuration: FERRLABS_MAIL: log (mail text in the log) is refused when "
              "FERRLABS_ENV=production: use smtp://, smtps:// or file:DIR");
  }
  for (const char* mail : {"smtp://relay:25", "smtps://h:465", "file:/var/mail"}) {
    RawSettings raw = production;
    raw["FERRLABS_MAIL"] = mail;
    EXPECT_EQ(parse_ok(raw).mail, mail);
  }
  EXPECT_EQ(parse_ok({{"FERRLABS_MAIL", "log"}}).mail, "log") << "development keeps it";
}

// STARTTLS is required on smtp:// in production, unless FERRLABS_MAIL_ALLOW_PLAINTEXT=1 says a
// relay on a trusted network may take plain text; development only takes it when offered.
TEST(ParseConfig, ProductionRequiresStartTlsUnlessPlaintextIsAllowed) {
  RawSettings raw{{"FERRLABS_ENV", "production"},
                  {"FERRLABS_TELEMETRY_SALT", kSaltHex},
                  {"JWT_SECRET", kJwtSecret},
                  {"FERRLABS_MAIL", "smtp://relay.internal:25"}};
  EXPECT_TRUE(parse_ok(raw).mail_require_tls);
  raw["FERRLABS_MAIL_ALLOW_PLAINTEXT"] = "0";
  EXPECT_TRUE(parse_ok(raw).mail_require_tls);
  raw["FERRLABS_MAIL_ALLOW_PLAINTEXT"] = "1";
  EXPECT_FALSE(parse_ok(raw).mail_require_tls);
  EXPECT_FALSE(parse_ok({{"FERRLABS_MAIL", "smtp://relay.internal:25"}}).mail_require_tls);
  EXPECT_FALSE(parse_ok({{"FERRLABS_MAIL", "smtp://relay.internal:25"},
                         {"FERRLABS_MAIL_ALLOW_PLAINTEXT", "1"}})
                   .mail_require_tls);
}

TEST(ParseConfig, SaltIsDecodedToThirtyTwoBytes) {
  std::string hex = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff";
  Config c = parse_ok({{"FERRLABS_TELEMETRY_SALT", hex}});
  ASSERT_TRUE(c.telemetry_salt.has_value());
  const std::string& bytes = c.telemetry_salt->expose();
  ASSERT_EQ(bytes.size(), 32u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x00);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x11);
  EXPECT_EQ(static_cast<unsigned char>(bytes[10]), 0xaa);
  EXPECT_EQ(static_cast<unsigned char>(bytes[31]), 0xff);
}

TEST(ParseConfig, JwtSecretOfExactlyThirtyTwoBytesIsEnough) {
  Config c = parse_ok({{"JWT_SECRET", std::string(32, 'k')}});
  ASSERT_TRUE(c.jwt_secret.has_value());
  EXPECT_EQ(c.jwt_secret->expose().size(), 32u);
}

TEST(ParseConfig, ListenAcceptsPortZeroAndIpv6) {
  Config any = parse_ok({{"FERRLABS_LISTEN", "0.0.0.0:0"}});
  EXPECT_EQ(any.listen_host, "0.0.0.0");
  EXPECT_EQ(any.listen_port, 0);

  Config v6 = parse_ok({{"FERRLABS_LISTEN", "[::1]:8080"}});
  EXPECT_EQ(v6.listen_host, "::1");
  EXPECT_EQ(v6.listen_port, 8080);

  Config top = parse_ok({{"FERRLABS_LISTEN", "10.1.2.3:65535"}});
  EXPECT_EQ(top.listen_host, "10.1.2.3");
  EXPECT_EQ(top.listen_port, 65535);
}

TEST(ParseConfig, DatabaseUrls) {
  Config file = parse_ok({{"DATABASE_URL", "sqlite:/data/ferrlabs.db"}});
  EXPECT_EQ(file.database.kind, DatabaseTarget::Kind::sqlite);
  EXPECT_EQ(file.database.location, "/data/ferrlabs.db");

  Config memory = parse_ok({{"DATABASE_URL", "sqlite::memory:"}});
  EXPECT_EQ(memory.database.kind, DatabaseTarget::Kind::sqlite);
  EXPECT_EQ(memory.database.location, ":memory:");

  for (const char* url : {"postgres://ferr:secret@db.internal:5432/ferrlabs",
                          "postgresql://ferr@localhost/ferrlabs"}) {
    Config pg = parse_ok({{"DATABASE_URL", url}});
    EXPECT_EQ(pg.database.kind, DatabaseTarget::Kind::postgres) << url;
    EXPECT_EQ(pg.database.location, url);
  }
}

TEST(ParseConfig, CorsListIsSplitTrimmedAndSkipsEmptyItems) {
  Config c =
      parse_ok({{"CORS_ALLOWED_ORIGINS", " https://app.example.com ,http://localhost:5173,, \t"}});
  EXPECT_EQ(c.cors_allowed_origins,
            (std::vector<std::string>{"https://app.example.com", "http://localhost:5173"}));
  EXPECT_TRUE(parse_ok({{"CORS_ALLOWED_ORIGINS", ""}}).cors_allowed_origins.empty());
}

TEST(ParseConfig, RatesAcceptZeroAndFractions) {
  Config c = parse_ok({{"FERRLABS_AUTH_RATE", "0"}, {"FERRLABS_INGEST_RATE", "2.5"}});
  EXPECT_EQ(c.auth_rate, 0);
  EXPECT_EQ(c.ingest_rate, 2.5);
}

TEST(ParseConfig, ExplicitValuesOverrideDefaults) {
  Config c = parse_ok({{"FERRLABS_THREADS", "8"},
                       {"DATABASE_MAX_CONNECTIONS", "1000"},
                       {"FERRLABS_TELEMETRY_RETENTION_DAYS", "1"},
                       {"FERRLABS_TELEMETRY_QUEUE", "16777216"},
                       {"FERRLABS_STATS_K", "1"},
                       {"FERRLABS_STATS_CACHE_S", "0"},
                       {"FERRLABS_PUBLIC_URL", "https://api.ferrlabs.com"},
                       {"FERRLABS_MAIL", "smtps://mail.example.com:465"},
                       {"FERRLABS_MAIL_FROM", "Ops <ops@example.com>"},
                       {"TRUSTED_PROXY_HOPS", "16"},
                       {"METRICS_TOKEN", "scrape-me"},
                       {"FERRLABS_SHUTDOWN_GRACE_S", "0"},
                       {"FERRLABS_LOG", "debug"}});
  EXPECT_EQ(c.threads, 8u);
  EXPECT_EQ(c.database_max_connections, 1000u);
  EXPECT_EQ(c.telemetry_retention_days, 1);
  EXPECT_EQ(c.telemetry_queue, 16777216u);
  EXPECT_EQ(c.stats_k, 1);
  EXPECT_EQ(c.stats_cache_s, 0);
  EXPECT_EQ(c.public_url, "https://api.ferrlabs.com");
  EXPECT_EQ(c.mail, "smtps://mail.example.com:465");
  EXPECT_EQ(c.mail_from, "Ops <ops@example.com>");
  EXPECT_EQ(c.trusted_proxy_hops, 16u);
  EXPECT_EQ(c.metrics_token.expose(), "scrape-me");
  EXPECT_EQ(c.shutdown_grace_seconds, 0);
  EXPECT_EQ(c.log_level, core::log::Level::debug);
}

TEST(ParseConfig, ConnectionCapsDefaultAndMustNest) {
  Config defaults = parse_ok({});
  EXPECT_EQ(defaults.max_connections, 10000u);
  EXPECT_EQ(defaults.max_connections_per_client, 256u);
  Config c =
      parse_ok({{"FERRLABS_MAX_CONNECTIONS", "50"}, {"FERRLABS_MAX_CONNECTIONS_PER_CLIENT", "50"}});
  EXPECT_EQ(c.max_connections, 50u);
  EXPECT_EQ(c.max_connections_per_client, 50u);
  auto error =
      parse({{"FERRLABS_MAX_CONNECTIONS", "50"}, {"FERRLABS_MAX_CONNECTIONS_PER_CLIENT", "51"}}, c);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->variable, "FERRLABS_MAX_CONNECTIONS_PER_CLIENT");
}

TEST(ParseConfig, MailAcceptsEveryDocumentedForm) {
  for (const char* mail : {"log", "file:/var/mail", "smtp://localhost:25", "smtps://h:465"})
    EXPECT_EQ(parse_ok({{"FERRLABS_MAIL", mail}}).mail, mail);
}

TEST(Settings, ListsEveryVariableOnceWithAFlag) {
  std::set<std::string> variables, flags;
  for (const Setting& s : settings()) {
    EXPECT_TRUE(variables.insert(s.variable).second) << s.variable;
    EXPECT_TRUE(flags.insert(s.flag).second) << s.flag;
    EXPECT_EQ(std::string(s.flag).rfind("--", 0), 0u) << s.flag;
  }
  // Every variable of the table in operations.md is there (later features may add more).
  for (const char* documented : {"FERRLABS_ENV",
                                 "FERRLABS_LISTEN",
                                 "FERRLABS_THREADS",
                                 "DATABASE_URL",
                                 "DATABASE_MAX_CONNECTIONS",
                                 "FERRLABS_TELEMETRY_SALT",
                                 "FERRLABS_TELEMETRY_RETENTION_DAYS",
                                 "FERRLABS_TELEMETRY_QUEUE",
                                 "FERRLABS_STATS_K",
                                 "JWT_SECRET",
                                 "FERRLABS_PUBLIC_URL",
                                 "FERRLABS_MAIL",
                                 "FERRLABS_MAIL_FROM",
                                 "FERRLABS_MAIL_ALLOW_PLAINTEXT",
                                 "CORS_ALLOWED_ORIGINS",
                                 "FERRLABS_AUTH_RATE",
                                 "FERRLABS_INGEST_RATE",
                                 "TRUSTED_PROXY_HOPS",
                                 "METRICS_TOKEN",
                                 "FERRLABS_SHUTDOWN_GRACE_S",
                                 "FERRLABS_LOG"})
    EXPECT_TRUE(variables.count(documented)) << documented;
}

}  // namespace
}  // namespace ferr::app
