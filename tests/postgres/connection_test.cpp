#include "storage/postgres/connection.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "database_test.hpp"
#include "storage/postgres/errors.hpp"
#include "storage/postgres/param.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class ConnectionTest : public DatabaseTest {};

TEST_F(ConnectionTest, ConnectsAndAnswersAQuery) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  EXPECT_TRUE(conn->idle());
  EXPECT_GT(conn->backend_pid(), 0);
  QueryResult r =
      exec(*conn, "SELECT 1 + 1 AS two, current_database(), current_setting('application_name')");
  EXPECT_EQ(r.rows(), 1);
  EXPECT_EQ(r.columns(), 3);
  EXPECT_EQ(r.column_name(0), "two");
  EXPECT_EQ(r.int64(0, 0).value(), 2);
  EXPECT_EQ(r.string(0, 1).value(), db_.name());
  EXPECT_EQ(r.string(0, 2).value(), application_name_);
}

TEST_F(ConnectionTest, MovesBetweenIoThreadsFromOneCallToTheNext) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  for (std::size_t thread : {0, 1, 0, 1}) {
    auto r = run<QueryResult>([&] { return conn->query("SELECT $1::int", 7); }, thread);
    ASSERT_TRUE(r) << r.error().log_detail;
    EXPECT_EQ(r->int64(0, 0).value(), 7);
  }
}

TEST_F(ConnectionTest, StoresBoundStringsVerbatim) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  exec(*conn, "CREATE TABLE notes (id serial PRIMARY KEY, body text)");
  const std::vector<std::string> bodies = {
      "O'Reilly said \"hi\" \\ back\\slash ; -- not a comment $1 $$",
      "'); DROP TABLE notes; --",
      "Robert'); DELETE FROM notes WHERE ('1'='1",
      "h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \U0001F389",
      "",
      "tab\there\nnew line\r\n",
      "E'\\x00' NULL null",
  };
  for (const std::string& body : bodies) {
    auto inserted = run<QueryResult>(
        [&] { return conn->query("INSERT INTO notes (body) VALUES ($1) RETURNING id", body); });
    ASSERT_TRUE(inserted) << inserted.error().log_detail;
    auto id = inserted->int64(0, 0).value();
    auto read = run<QueryResult>(
        [&] { return conn->query("SELECT body, length(body) FROM notes WHERE id = $1", id); });
    ASSERT_TRUE(read) << read.error().log_detail;
    EXPECT_EQ(read->string(0, 0).value(), body);
  }
  // The injection attempts were stored as text: the table and every row are still there.
  EXPECT_EQ(exec(*conn, "SELECT count(*) FROM notes").int64(0, 0).value(),
            static_cast<std::int64_t>(bodies.size()));
}

TEST_F(ConnectionTest, BindsNullIntegersBooleansAndDoubles) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  const std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
  const std::int64_t highest = std::numeric_limits<std::int64_t>::max();
  const std::optional<std::string> absent;
  auto r = run<QueryResult>([&] {
    return conn->query(
        "SELECT $1::text IS NULL, $2::text IS NULL, $3::bigint, $4::bigint, $5::boolean, "
        "$6::boolean, $7::float8, $8::float8, $9::float8, $10::float8, $11::int",
        nullptr, absent, lowest, highest, true, false, 0.1, -1.5e300,
        std::numeric_limits<double>::infinity(), std::nan(""), 42);
  });
  ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_TRUE(r->boolean(0, 0).value());
  EXPECT_TRUE(r->boolean(0, 1).value());
  EXPECT_EQ(r->int64(0, 2).value(), lowest);
  EXPECT_EQ(r->int64(0, 3).value(), highest);
  EXPECT_TRUE(r->boolean(0, 4).value());
  EXPECT_FALSE(r->boolean(0, 5).value());
  EXPECT_EQ(r->real(0, 6).value(), 0.1);
  EXPECT_EQ(r->real(0, 7).value(), -1.5e300);
  EXPECT_TRUE(std::isinf(r->real(0, 8).value()));
  EXPECT_TRUE(std::isnan(r->real(0, 9).value()));
  EXPECT_EQ(r->int64(0, 10).value(), 42);
}

TEST_F(ConnectionTest, RefusesANulByteWithoutSendingAnything) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto r = run<QueryResult>([&] { return conn->query("SELECT $1", std::string("a\0b", 3)); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_database);
  EXPECT_TRUE(conn->idle());
  EXPECT_EQ(exec(*conn, "SELECT 5").int64(0, 0).value(), 5);
}

TEST_F(ConnectionTest, BinaryArraysReadBackElementByElement) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  using Of = BinaryArray::Of;
  const std::vector<std::optional<std::string>> texts = {"plain",
                                                         "",
                                                         "NULL",
                                                         "{braces}",
                                                         "a,comma",
                                                         "\"quoted\"",
                                                         "back\\slash",
                                                         "  spaces  ",
                                                         "tab\there\nnew line",
                                                         "h\u00e9llo \U0001F389",
                                                         std::nullopt,
                                                         R"({"command":"a \"quoted\" \\ value"})"};
  const std::vector<std::optional<core::Uuid>> uuids = {
      core::Uuid::parse("0190f5c2-7b1a-7cde-8f00-000000000001"), std::nullopt,
      core::Uuid::parse("ffffffff-ffff-ffff-ffff-ffffffffffff")};
  const std::vector<std::int64_t> int8s = {0, -1, 1796663396470,
                                           std::numeric_limits<std::int64_t>::min(),
                                           std::numeric_limits<std::int64_t>::max()};
  const std::vector<std::int64_t> int4s = {1, -7, std::numeric_limits<std::int32_t>::min(),
                                           std::numeric_limits<std::int32_t>::max()};
  BinaryArray text_array(Of::text);
  for (const auto& t : texts) text_array.add(t);
  BinaryArray uuid_array(Of::uuid);
  for (const auto& u : uuids) uuid_array.add(u);
  BinaryArray int8_array(Of::int8);
  for (std::int64_t v : int8s) int8_array.add(v);
  BinaryArray int4_array(Of::int4);
  for (std::int64_t v : int4s) int4_array.add(v);

  auto read = run<QueryResult>([&] {
    return conn->query(
        "SELECT e, e IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS t (e, i) ORDER BY i",
        text_array.param());
  });
  ASSERT_TRUE(read) << read.error().log_detail;
  ASSERT_EQ(read->rows(), static_cast<int>(texts.size()));
  for (int i = 0; i < read->rows(); ++i) {
    const auto& expected = texts[static_cast<std::size_t>(i)];
    EXPECT_EQ(read->boolean(i, 1).value(), !expected.has_value()) << i;
    if (expected) {
      EXPECT_EQ(read->string(i, 0).value(), *expected) << i;
    }
  }

  // The other types through their text forms, and the header's length and first index.
  auto others = run<QueryResult>([&] {
    return conn->query(
        "SELECT $1::uuid[]::text, $2::bigint[]::text, $3::integer[]::text, "
        "array_lower($2::bigint[], 1), array_length($3::integer[], 1), $4::text[] = '{}'",
        uuid_array.param(), int8_array.param(), int4_array.param(), BinaryArray(Of::text).param());
  });
  ASSERT_TRUE(others) << others.error().log_detail;
  EXPECT_EQ(others->string(0, 0).value(),
            "{0190f5c2-7b1a-7cde-8f00-000000000001,NULL,ffffffff-ffff-ffff-ffff-ffffffffffff}");
  EXPECT_EQ(others->string(0, 1).value(),
            "{0,-1,1796663396470,-9223372036854775808,9223372036854775807}");
  EXPECT_EQ(others->string(0, 2).value(), "{1,-7,-2147483648,2147483647}");
  EXPECT_EQ(others->int64(0, 3).value(), 1);
  EXPECT_EQ(others->int64(0, 4).value(), 4);
  EXPECT_TRUE(others->boolean(0, 5).value());
}

TEST_F(ConnectionTest, ABinaryArrayOfTheWrongTypeIsRefusedByTheServer) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  BinaryArray ids(BinaryArray::Of::uuid);
  ids.add(*core::Uuid::parse("0190f5c2-7b1a-7cde-8f00-000000000001"));
  // The header names uuid: read as a text[] parameter, the server refuses it rather than
  // storing 16 raw bytes as text.
  auto r = run<QueryResult>([&] { return conn->query("SELECT $1::text[]", ids.param()); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(exec(*conn, "SELECT 5").int64(0, 0).value(), 5);
}

TEST_F(ConnectionTest, AUniqueViolationCarriesItsSqlstateAndConstraint) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  exec(*conn, "CREATE TABLE accounts (email text CONSTRAINT accounts_email_key UNIQUE)");
  const std::string email = "private@example.com";
  auto insert = [&] {
    return run<QueryResult>(
        [&] { return conn->query("INSERT INTO accounts (email) VALUES ($1)", email); });
  };
  ASSERT_TRUE(insert());
  auto again = insert();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(sqlstate_of(again.error()), "23505");
  EXPECT_TRUE(is_unique_violation(again.error()));
  EXPECT_TRUE(is_constraint_violation(again.error()));
  EXPECT_EQ(constraint_of(again.error()), "accounts_email_key");
  // The DETAIL field names the duplicate value: it must not reach the log.
  EXPECT_EQ(again.error().log_detail.find(email), std::string::npos) << again.error().log_detail;
  // The connection survives a statement error.
  EXPECT_TRUE(conn->idle());
  EXPECT_EQ(exec(*conn, "SELECT count(*) FROM accounts").int64(0, 0).value(), 1);
}

TEST_F(ConnectionTest, ASyntaxErrorIsADatabaseErrorWithItsSqlstate) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto r = run<QueryResult>([&] { return conn->query("SELEC 1"); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::internal_database);
  EXPECT_EQ(sqlstate_of(r.error()), "42601");
  EXPECT_FALSE(is_constraint_violation(r.error()));
  EXPECT_TRUE(conn->idle());
}

TEST_F(ConnectionTest, RunsAScriptOfSeveralStatements) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto ok = run<void>([&] {
    return conn->execute_script(
        "CREATE TABLE a (x int); INSERT INTO a VALUES (1), (2); CREATE INDEX a_x ON a (x);");
  });
  ASSERT_TRUE(ok) << ok.error().log_detail;
  EXPECT_EQ(exec(*conn, "SELECT sum(x) FROM a").int64(0, 0).value(), 3);

  auto failed = run<void>([&] { return conn->execute_script("INSERT INTO a VALUES (3); SELEC;"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(sqlstate_of(failed.error()), "42601");
  EXPECT_TRUE(conn->idle());
}

TEST_F(ConnectionTest, AQueryThatOutlivesItsTimeoutFailsAndTheServerStopsIt) {
  ConnectOptions options = connect_options();
  options.query_timeout = 300ms;
  auto made = run<std::unique_ptr<Connection>>([&] { return Connection::connect(options); });
  ASSERT_TRUE(made) << made.error().log_detail;
  auto& conn = *made;

  const auto started = Clock::now();
  auto r = run<QueryResult>([&] { return conn->query("SELECT pg_sleep(60)"); });
  const auto elapsed = Clock::now() - started;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(r.error().retry_after_seconds, 1);
  EXPECT_NE(r.error().log_detail.find("no answer within 300 ms"), std::string::npos)
      << r.error().log_detail;
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 5s);
  EXPECT_FALSE(conn->usable());
  // A broken connection fails fast from then on.
  auto after = run<QueryResult>([&] { return conn->query("SELECT 1"); });
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, core::ErrorCode::service_unavailable);

  conn.reset();  // closes the socket: the server notices (client_connection_check_interval)
  const std::string sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" +
                               db_.name() + "' AND query = 'SELECT pg_sleep(60)'";
  EXPECT_TRUE(eventually([&] { return pgtest::admin_scalar(db_.url(), sleeping) == "0"; }));
}

TEST_F(ConnectionTest, ConnectingToAServerThatNeverAnswersTimesOut) {
  // A listening socket nobody accepts on: TCP connects, the startup packet gets no answer.
  asio::io_context unused;
  asio::ip::tcp::acceptor silent(unused, {asio::ip::make_address("127.0.0.1"), 0});
  ConnectOptions options;
  options.url = "postgres://nobody@127.0.0.1:" + std::to_string(silent.local_endpoint().port()) +
                "/none?sslmode=disable&gssencmode=disable";
  options.connect_timeout = 300ms;

  const auto started = Clock::now();
  auto made = run<std::unique_ptr<Connection>>([&] { return Connection::connect(options); });
  const auto elapsed = Clock::now() - started;
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(made.error().retry_after_seconds, 1);
  EXPECT_NE(made.error().log_detail.find("within 300 ms"), std::string::npos)
      << made.error().log_detail;
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 5s);
}

TEST_F(ConnectionTest, ARefusedConnectionIsUnavailableAndNeverShowsThePassword) {
  std::uint16_t port = 0;
  {
    asio::io_context unused;
    asio::ip::tcp::acceptor probe(unused, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed: nothing listens there any more
  ConnectOptions options;
  options.url = "postgres://someone:s3cret-pa55@127.0.0.1:" + std::to_string(port) + "/db";
  auto made = run<std::unique_ptr<Connection>>([&] { return Connection::connect(options); });
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(made.error().log_detail.find("s3cret-pa55"), std::string::npos)
      << made.error().log_detail;
  EXPECT_EQ(made.error().message.find("s3cret-pa55"), std::string::npos);
}

TEST_F(ConnectionTest, AHostNameIsResolvedBeforeLibpqSeesIt) {
  // The cluster listens on 127.0.0.1 only. `localhost` goes through the asynchronous resolver
  // and reaches libpq as `hostaddr=` entries (::1 too, on a machine that maps it: refused, so
  // libpq moves on to the next address, as it would have with its own lookup).
  auto options = connect_options();
  const std::string ip = "@127.0.0.1:";
  auto at = options.url.find(ip);
  ASSERT_NE(at, std::string::npos) << options.url;
  options.url.replace(at, ip.size(), "@localhost:");
  auto made = run<std::unique_ptr<Connection>>([&] { return Connection::connect(options); });
  ASSERT_TRUE(made) << made.error().log_detail;
  EXPECT_EQ((*made)->host_address(), "127.0.0.1");
  EXPECT_EQ(exec(**made, "SELECT current_database()").string(0, 0).value(), db_.name());
}

TEST_F(ConnectionTest, AMalformedUrlIsAnErrorNotACrash) {
  ConnectOptions options;
  options.url = "postgres://[broken";
  auto made = run<std::unique_ptr<Connection>>([&] { return Connection::connect(options); });
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, core::ErrorCode::service_unavailable);
}

TEST_F(ConnectionTest, CopyIsRefusedAndClosesTheConnection) {
  auto conn = connect();
  ASSERT_TRUE(conn);
  auto r = run<QueryResult>([&] { return conn->query("COPY (SELECT 1) TO STDOUT"); });
  ASSERT_FALSE(r);
  EXPECT_FALSE(conn->usable());
}

}  // namespace
}  // namespace ferr::storage::postgres
