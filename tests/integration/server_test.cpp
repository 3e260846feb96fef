// The real server on port 0, spoken to over TCP: routing, limits, timeouts, middleware, errors.

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "http/request.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace ferr {
namespace {

using boost::asio::awaitable;
using testing::build_request;
using testing::Connection;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  void start(const app::RawSettings& settings,
             std::chrono::milliseconds timeouts = std::chrono::milliseconds(300)) {
    app_.reset();
    app::Tuning tuning;
    tuning.limits.read_timeout = timeouts;
    tuning.limits.idle_timeout = timeouts;
    app::RawSettings merged{{"CORS_ALLOWED_ORIGINS", "https://app.example.com"}};
    for (const auto& [k, v] : settings) merged[k] = v;
    // The /test/ routes exercise the server itself: they are not part of the API, so neither of
    // its OpenAPI document (`undocumented`) nor of the check of responses against it
    // (tests/openapi/responses.mjs leaves /test/ out).
    app_ = testing::start_app(testing::test_config(merged), tuning, [](app::Application& a) {
      a.router().add(http::Method::get, "/test/throw",
                     [](http::Request&) -> awaitable<http::Response> {
                       throw std::runtime_error("boom: secret detail");
                       co_return http::Response::empty(200);
                     },
                     {.undocumented = true});
      a.router().add(http::Method::post, "/test/echo",
                     [](http::Request& r) -> awaitable<http::Response> {
                       co_return http::Response::json(200, r.body);
                     },
                     {.json_body = true, .undocumented = true});
      a.router().add(http::Method::get, "/test/items/{id}",
                     [](http::Request& r) -> awaitable<http::Response> {
                       co_return http::Response::json(200,
                                                      "\"" + std::string(r.param("id")) + "\"");
                     },
                     {.undocumented = true});
    });
    port_ = app_->port();
  }

  std::optional<testing::HttpReply> get(const std::string& target,
                                        const std::string& headers = "") {
    return testing::request(port_, "GET", target, headers);
  }

  static boost::json::object json(const testing::HttpReply& r) {
    return boost::json::parse(r.body).as_object();
  }

  std::unique_ptr<app::Application> app_;
  unsigned short port_ = 0;
};

TEST_F(ServerTest, HealthAnswersWithServiceAndVersion) {
  auto r = get("/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "application/json");
  auto body = json(*r);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["service"], "ferrlabs-api");
  EXPECT_FALSE(body["version"].as_string().empty());
}

TEST_F(ServerTest, V1HealthAnswersLikeHealth) {
  auto v1 = get("/v1/health");
  auto plain = get("/health");
  ASSERT_TRUE(v1);
  ASSERT_TRUE(plain);
  EXPECT_EQ(v1->status, 200);
  EXPECT_EQ(v1->header("content-type"), "application/json");
  EXPECT_EQ(v1->body, plain->body);
}

TEST_F(ServerTest, EveryResponseCarriesSecurityHeadersAndRequestId) {
  for (const std::string target : {"/health", "/nowhere"}) {
    auto r = get(target);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r->header("referrer-policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(r->header("x-frame-options"), "DENY");
    EXPECT_EQ(r->header("cross-origin-opener-policy"), "same-origin");
    EXPECT_EQ(r->header("cross-origin-resource-policy"), "same-origin");
    EXPECT_EQ(r->header("x-request-id").size(), 32u);
  }
}

TEST_F(ServerTest, SafeIncomingRequestIdIsEchoedUnsafeOneReplaced) {
  auto kept = get("/health", "X-Request-Id: abc-123_x.y:z\r\n");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->header("x-request-id"), "abc-123_x.y:z");
  auto replaced = get("/health", "X-Request-Id: has space<script>\r\n");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->header("x-request-id").size(), 32u);
  auto too_long = get("/health", "X-Request-Id: " + std::string(65, 'a') + "\r\n");
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->header("x-request-id").size(), 32u);
}

TEST_F(ServerTest, UnknownPathIs404WithStandardErrorBody) {
  auto r = get("/v1/nothing-here");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  auto body = json(*r);
  EXPECT_EQ(body["code"], "NOT_FOUND");
  EXPECT_FALSE(body["error"].as_string().empty());
  EXPECT_EQ(std::string(body["request_id"].as_string()), r->header("x-request-id"));
  EXPECT_FALSE(body.contains("field"));
}

TEST_F(ServerTest, KnownPathWithOtherMethodIs405WithAllow) {
  auto r = testing::request(port_, "DELETE", "/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(json(*r)["code"], "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r->header("allow"), "GET, HEAD, OPTIONS");
}

TEST_F(ServerTest, UnknownMethodTokenIs405OnKnownPathAnd404Elsewhere) {
  auto known = testing::request(port_, "BREW", "/health");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->status, 405);
  auto unknown = testing::request(port_, "BREW", "/coffee");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ServerTest, RouteParametersArePercentDecoded) {
  auto r = get("/test/items/a%20b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "\"a b\"");
  auto bad = get("/test/items/%zz");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json(*bad)["code"], "BAD_REQUEST");
}

TEST_F(ServerTest, HeadIsServedByGetWithoutBody) {
  Connection c(port_);
  ASSERT_TRUE(c.send(build_request("HEAD", "/health")));
  auto r = c.read_reply(std::chrono::seconds(5), /*head_request=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-length"), std::to_string(get("/health")->body.size()));
  // The connection stays usable: no stray body bytes precede the next response.
  ASSERT_TRUE(c.send(build_request("GET", "/health")));
  auto next = c.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(ServerTest, OptionsAnswersAllowAndCorsPreflightOnlyForListedOrigins) {
  auto plain = testing::request(port_, "OPTIONS", "/health");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 204);
  EXPECT_EQ(plain->header("allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(plain->header("access-control-allow-origin"), "");

  auto preflight = testing::request(
      port_, "OPTIONS", "/test/echo",
      "Origin: https://app.example.com\r\nAccess-Control-Request-Method: POST\r\n");
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->header("access-control-allow-origin"), "https://app.example.com");
  EXPECT_EQ(preflight->header("access-control-allow-credentials"), "true");
  EXPECT_EQ(preflight->header("access-control-allow-methods"),
            "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  EXPECT_EQ(preflight->header("access-control-allow-headers"),
            "content-type, authorization, accept, x-request-id, idempotency-key");
  EXPECT_EQ(preflight->header("access-control-max-age"), "3600");

  auto stranger = testing::request(
      port_, "OPTIONS", "/test/echo",
      "Origin: https://evil.example.com\r\nAccess-Control-Request-Method: POST\r\n");
  ASSERT_TRUE(stranger);
  EXPECT_EQ(stranger->header("access-control-allow-origin"), "");
  EXPECT_EQ(stranger->header("access-control-allow-methods"), "");

  auto unknown_path =
      testing::request(port_, "OPTIONS", "/nowhere", "Origin: https://app.example.com\r\n");
  ASSERT_TRUE(unknown_path);
  EXPECT_EQ(unknown_path->status, 404);
}

TEST_F(ServerTest, ActualCorsRequestEchoesOnlyListedOrigin) {
  auto listed = get("/health", "Origin: https://app.example.com\r\n");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->header("access-control-allow-origin"), "https://app.example.com");
  EXPECT_EQ(listed->header("access-control-allow-credentials"), "true");
  EXPECT_EQ(listed->header("vary"), "Origin");
  auto other = get("/health", "Origin: https://app.example.com.evil.net\r\n");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->header("access-control-allow-origin"), "");
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Connection c(port_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.send(build_request("GET", "/health")));
    auto r = c.read_reply();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Connection c(port_);
  ASSERT_TRUE(
      c.send(build_request("GET", "/test/items/one") + build_request("GET", "/test/items/two")));
  auto first = c.read_reply();
  auto second = c.read_reply();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "\"one\"");
  EXPECT_EQ(second->body, "\"two\"");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Connection c(port_);
  ASSERT_TRUE(c.send(build_request("GET", "/health", "Connection: close\r\n")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ServerTest, MalformedRequestLineGets400AndClose) {
  Connection c(port_);
  ASSERT_TRUE(c.send("THIS IS NOT HTTP\r\n\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json(*r)["code"], "BAD_REQUEST");
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ServerTest, MalformedHeaderLineGets400) {
  Connection c(port_);
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, OversizedHeaderGets400AndClose) {
  Connection c(port_);
  ASSERT_TRUE(
      c.send(build_request("GET", "/health", "X-Filler: " + std::string(20 * 1024, 'a') + "\r\n")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json(*r)["code"], "BAD_REQUEST");
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

// Sends `bytes` on a fresh connection and expects exactly one answer, a 400 BAD_REQUEST, then
// the connection closed: whatever followed the header must never run as a second request.
void expect_one_400_and_close(unsigned short port, const std::string& bytes) {
  Connection c(port);
  ASSERT_TRUE(c.send(bytes));
  auto r = c.read_reply();
  ASSERT_TRUE(r) << bytes;
  EXPECT_EQ(r->status, 400) << bytes;
  EXPECT_EQ(boost::json::parse(r->body).at("code"), "BAD_REQUEST") << bytes;
  if (bytes.substr(0, bytes.find("\r\n")).ends_with("HTTP/1.1")) {
    EXPECT_EQ(r->header("connection"), "close") << bytes;  // HTTP/1.0 closes by default
  }
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5))) << bytes;
  EXPECT_FALSE(c.read_reply(std::chrono::milliseconds(100))) << "a second answer to " << bytes;
}

TEST_F(ServerTest, TransferEncodingNotEndingInChunkedGets400AndClose) {
  // The smuggling of issue 14: the "body" was read as a second request and answered.
  const std::string smuggled = "GET /test/items/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const char* te : {"gzip", "xchunked", "identity", "", "chunked, identity",
                         "chunked\r\nTransfer-Encoding: gzip"}) {
    expect_one_400_and_close(port_, "GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " +
                                        std::string(te) + "\r\n\r\n" + smuggled);
  }
}

TEST_F(ServerTest, TransferEncodingBesideContentLengthGets400AndCloseInEitherOrder) {
  const std::string body = "{}";
  const std::string smuggled = "GET /test/items/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const char* te : {"chunked", "gzip", "identity", "xchunked"}) {
    const std::string head =
        "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    const std::string length = "Content-Length: " + std::to_string(body.size()) + "\r\n";
    const std::string coding = "Transfer-Encoding: " + std::string(te) + "\r\n";
    expect_one_400_and_close(port_, head + coding + length + "\r\n" + body + smuggled);
    expect_one_400_and_close(port_, head + length + coding + "\r\n" + body + smuggled);
  }
}

TEST_F(ServerTest, TransferEncodingInHttp10Gets400AndClose) {
  expect_one_400_and_close(port_,
                           "POST /test/echo HTTP/1.0\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
}

TEST_F(ServerTest, ChunkedBodyIsStillAccepted) {
  Connection c(port_);
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" +
             build_request("GET", "/test/items/next")));
  auto echo = c.read_reply();
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->status, 200);
  EXPECT_EQ(echo->body, "{}");
  auto next = c.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "\"next\"");
}

TEST_F(ServerTest, Http11WithoutExactlyOneHostGets400AndClose) {
  const std::string next = build_request("GET", "/test/items/next");
  expect_one_400_and_close(port_, "GET /health HTTP/1.1\r\n\r\n" + next);
  expect_one_400_and_close(port_, "GET /health HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n" + next);
  expect_one_400_and_close(port_, "GET /health HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n" + next);
  expect_one_400_and_close(port_, "GET /health HTTP/1.1\r\nHost: a/b@c\r\n\r\n" + next);
}

TEST_F(ServerTest, Http10MayOmitHostButNotRepeatIt) {
  Connection c(port_);
  ASSERT_TRUE(c.send("GET /health HTTP/1.0\r\n\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  expect_one_400_and_close(port_, "GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n");
}

TEST_F(ServerTest, BodyOverRouteLimitGets413BeforeItIsRead) {
  Connection c(port_);
  // Announce 1 MiB but send nothing: the limit is checked on the announced length.
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 1048576\r\n\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(json(*r)["code"], "PAYLOAD_TOO_LARGE");
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ServerTest, ChunkedBodyOverRouteLimitGets413) {
  Connection c(port_);
  std::string chunk(17 * 1024, 'x');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Transfer-Encoding: chunked\r\n\r\n" +
             std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, BodyAtTheLimitIsAccepted) {
  std::string body = "\"" + std::string(16 * 1024 - 2, 'x') + "\"";
  auto r =
      testing::request(port_, "POST", "/test/echo", "Content-Type: application/json\r\n", body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, body);
}

TEST_F(ServerTest, JsonRouteRequiresJsonContentType) {
  auto missing = testing::request(port_, "POST", "/test/echo", "", "{}");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 415);
  EXPECT_EQ(json(*missing)["code"], "UNSUPPORTED_MEDIA_TYPE");
  auto wrong = testing::request(port_, "POST", "/test/echo", "Content-Type: text/plain\r\n", "{}");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 415);
  auto with_charset = testing::request(port_, "POST", "/test/echo",
                                       "Content-Type: Application/JSON; charset=utf-8\r\n", "{}");
  ASSERT_TRUE(with_charset);
  EXPECT_EQ(with_charset->status, 200);
}

TEST_F(ServerTest, SlowClientIsDisconnectedAfterTheReadTimeout) {
  Connection c(port_);
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n"));  // the header never ends
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ServerTest, SlowBodyIsDisconnectedAfterTheReadTimeout) {
  Connection c(port_);
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             "Content-Length: 10\r\n\r\n{\""));
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ServerTest, SilentConnectionIsClosedAfterTheIdleTimeout) {
  Connection c(port_);
  ASSERT_TRUE(c.send(build_request("GET", "/health")));
  ASSERT_TRUE(c.read_reply());
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(5)));
}

TEST_F(ServerTest, StrayExceptionBecomesLogged500WithoutDetails) {
  auto r = get("/test/throw");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  auto body = json(*r);
  EXPECT_EQ(body["code"], "INTERNAL_SERVER_ERROR");
  EXPECT_EQ(r->body.find("secret detail"), std::string::npos);
  auto after = get("/health");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServerTest, ReadyzIsOkWhenTheDatabaseIsCurrent) {
  auto r = get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerTest, MetricsCountRequestsByRouteTemplate) {
  ASSERT_TRUE(get("/test/items/1"));
  ASSERT_TRUE(get("/test/items/2"));
  ASSERT_TRUE(get("/nowhere"));
  auto r = get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(r->body.find(
                "http_requests_total{method=\"GET\",route=\"/test/items/{id}\",status=\"200\"} 2"),
            std::string::npos)
      << r->body;
  EXPECT_NE(
      r->body.find("http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"),
      std::string::npos);
  EXPECT_NE(r->body.find("http_request_duration_seconds_count{route=\"/test/items/{id}\"} 2"),
            std::string::npos);
}

TEST_F(ServerTest, MetricsTokenIsRequiredWhenConfigured) {
  start({{"METRICS_TOKEN", "s3cret-token"}});
  auto anonymous = get("/metrics");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(json(*anonymous)["code"], "AUTH_UNAUTHORIZED");
  auto wrong = get("/metrics", "Authorization: Bearer s3cret-tokem\r\n");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto right = get("/metrics", "Authorization: Bearer s3cret-token\r\n");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
}

TEST_F(ServerTest, ConnectionsOverEitherCapAreClosedAtOnce) {
  // Long timeouts: no admitted connection may go away on its own while the caps are counted.
  start({{"FERRLABS_MAX_CONNECTIONS", "3"}, {"FERRLABS_MAX_CONNECTIONS_PER_CLIENT", "2"}},
        std::chrono::minutes(1));
  auto served = [](Connection& c) {
    return c.send(build_request("GET", "/health")) && c.read_reply().has_value();
  };
  // Refused: closed without an answer, before any request is read.
  auto refused = [](Connection& c) {
    c.send(build_request("GET", "/health"));
    return !c.read_reply().has_value();
  };
  Connection first(port_), second(port_);
  ASSERT_TRUE(served(first));
  ASSERT_TRUE(served(second));
  Connection third(port_);
  EXPECT_TRUE(refused(third)) << "a third connection from 127.0.0.1 (per-client cap 2)";

  Connection other(port_, "127.0.0.2");
  ASSERT_TRUE(other.connected());
  EXPECT_TRUE(served(other)) << "another client has its own allowance";
  Connection fourth(port_, "127.0.0.3");
  EXPECT_TRUE(refused(fourth)) << "a fourth connection in all (total cap 3)";

  ASSERT_TRUE(second.send(build_request("GET", "/metrics")));
  auto metrics = second.read_reply();
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("http_connections_open 3\n"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find(
                "http_connections_refused_total{cap=\"FERRLABS_MAX_CONNECTIONS_PER_CLIENT\"} 1\n"),
            std::string::npos);
  EXPECT_NE(
      metrics->body.find("http_connections_refused_total{cap=\"FERRLABS_MAX_CONNECTIONS\"} 1\n"),
      std::string::npos);

  // A connection that ends gives its place back (once the server has seen it end).
  first.close();
  bool admitted = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       !admitted && std::chrono::steady_clock::now() < deadline;) {
    Connection again(port_);
    admitted = served(again);
  }
  EXPECT_TRUE(admitted);
}

// Anonymous resident memory of this process (heap and stacks), in KiB.
long resident_anonymous_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("RssAnon:", 0) == 0) return std::stol(line.substr(8));
  return -1;
}

// The client side of IdleConnectionsGiveTheirMemoryBackOnceClosed, in a process of its own so
// that the resident size measured here is the server's alone: COUNT keep-alive connections, each
// answered once, then "open"; once a line arrives on the named pipe GO, it ends every connection
// and waits for the server to close its side of each, then "closed". The client decides when they
// end, not the server's idle timeout, so that all COUNT are open at once however slowly a loaded
// machine opens them.
constexpr std::string_view kIdleClients = R"PY(
import socket, sys
port, count, go = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
conns = []
for _ in range(count):
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    c.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    reply = b""
    while b"\r\n\r\n" not in reply:
        reply += c.recv(4096)
    head, _, body = reply.partition(b"\r\n\r\n")
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0])
    while len(body) < length:
        body += c.recv(4096)
    conns.append(c)
print("open", flush=True)
with open(go) as signal:
    signal.readline()
for c in conns:
    c.shutdown(socket.SHUT_WR)
for c in conns:
    while c.recv(4096):
        pass
print("closed", flush=True)
)PY";

TEST_F(ServerTest, IdleConnectionsGiveTheirMemoryBackOnceClosed) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer keeps freed memory in quarantine: RSS says nothing here";
#endif
  rlimit files{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &files), 0);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);  // inherited by the client process
  const std::size_t count = std::min<std::size_t>(2000, files.rlim_cur - 200);
  // An idle timeout far longer than the test: only the client ends these connections.
  start({{"FERRLABS_MAX_CONNECTIONS", "5000"}, {"FERRLABS_MAX_CONNECTIONS_PER_CLIENT", "5000"}},
        std::chrono::seconds(60));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(get("/health"));  // warm-up: caches and pools
  const long before = resident_anonymous_kib();

  // Names of this process's own: the debug and sanitizer builds may run this test side by side.
  const std::string stem = ::testing::TempDir() + "idle_clients_" + std::to_string(::getpid());
  const std::string script = stem + ".py";
  std::ofstream(script) << kIdleClients;
  const std::string go = stem + ".go";
  ASSERT_EQ(::mkfifo(go.c_str(), 0600), 0);
  // Debian's interpreter, not whichever python3 is first on PATH.
  const std::string command = "/usr/bin/python3 " + script + " " + std::to_string(port_) + " " +
                              std::to_string(count) + " " + go;
  std::unique_ptr<FILE, int (*)(FILE*)> clients(::popen(command.c_str(), "r"), ::pclose);
  ASSERT_TRUE(clients);
  auto next_line = [&] {
    char line[64] = {};
    return std::fgets(line, sizeof line, clients.get()) ? std::string(line) : std::string();
  };
  ASSERT_EQ(next_line(), "open\n");
  const long with_idle = resident_anonymous_kib();
  std::ofstream(go) << "close\n";  // opening blocks until the client opens its end
  ASSERT_EQ(next_line(), "closed\n");
  ::unlink(go.c_str());
  EXPECT_EQ(::pclose(clients.release()), 0);

  const long grew = with_idle - before;
  ASSERT_GT(grew, 2048) << "the idle connections should have cost some memory";
  // The server hands freed memory back shortly after such a wave of closes (250 ms later).
  long after = resident_anonymous_kib();
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       after - before > grew / 4 && std::chrono::steady_clock::now() < deadline;
       after = resident_anonymous_kib())
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LE(after - before, grew / 4)
      << "before " << before << " KiB, with " << count << " idle connections " << with_idle
      << " KiB, after they closed " << after << " KiB";
}

// Every thread of the running application says what it is for (core/thread_name.hpp).
TEST_F(ServerTest, TheApplicationsThreadsAreNamed) {
  std::set<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    names.insert(name);
  }
  for (const char* expected :
       {"ferr-io-0", "ferr-accept", "ferr-background", "ferr-sqlite-w", "ferr-hash"})
    EXPECT_EQ(names.count(expected), 1u) << expected << " is not among the process's threads";
}

TEST_F(ServerTest, SecondServerOnTheSamePortFailsToStart) {
  auto config = testing::test_config({{"FERRLABS_LISTEN", "127.0.0.1:" + std::to_string(port_)}});
  auto second = app::Application::create(config);
  ASSERT_TRUE(second);
  auto started = (*second)->start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().log_detail.find("FERRLABS_LISTEN"), std::string::npos);
}

}  // namespace
}  // namespace ferr
