// Fuzz target for the whole HTTP/1.1 path of one connection: the input is the raw byte stream a
// client sends, fed into the real session (http/session.cpp: Beast's parser, the framing and
// Host checks of http/framing.cpp, body limits, keep-alive) over a socket pair, then the input's
// end. Besides "never crash", it checks for every input:
//
// - what the server writes back is a sequence of well-formed responses, none of them 5xx;
// - nothing follows a response that announced `Connection: close` (or an HTTP/1.0 response
//   without keep-alive): the connection really ends there;
// - no request whose framing is ambiguous reaches a handler: a handler only ever sees at most one
//   Host, and a Transfer-Encoding only when it is exactly `chunked` without Content-Length. This
//   is the request-smuggling property of issue 14, checked here independently of framing.cpp.
//
// The test suite replays the seed corpus with g++ (replay_main.cpp, ctest `fuzz_http_session`).
// To fuzz for real with clang's libFuzzer: `scripts/fuzz-campaign.sh http_session SECONDS`, which
// builds `http_session_fuzz` with the `fuzz` preset, runs it with tests/fuzz/http.dict and merges
// what it finds into tests/fuzz/corpus/http_session/ (tests/fuzz/README.md).

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/log.hpp"
#include "core/metrics.hpp"
#include "http/dispatcher.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/session.hpp"

namespace {

namespace asio = boost::asio;
using ferr::http::Method;
using ferr::http::Request;
using ferr::http::Response;

void require(bool property) {
  if (!property) std::abort();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The smuggling property, written without framing.cpp: what a handler sees was framed one way.
void require_unambiguous_framing(const Request& request) {
  int hosts = 0, lengths = 0, encodings = 0;
  std::string codings;
  for (const auto& [name, value] : request.headers.all()) {
    std::string n = lower(name);
    if (n == "host") ++hosts;
    if (n == "content-length") ++lengths;
    if (n == "transfer-encoding") {
      ++encodings;
      for (char c : value)
        if (c != ' ' && c != '\t' && c != ',') codings += c;
    }
  }
  require(hosts <= 1);
  if (encodings > 0) {
    require(lengths == 0);
    require(lower(codings) == "chunked");
  }
}

// One route per shape the session treats differently: no body, a JSON body with a small limit, a
// route parameter. Bodies never echo the input, so a response can never look like another one.
ferr::http::Router& router() {
  static ferr::http::Router r;
  static bool filled = [] {
    r.add(Method::get, "/health", [](Request& request) -> asio::awaitable<Response> {
      require_unambiguous_framing(request);
      co_return Response::json(200, R"({"status":"ok"})");
    });
    r.add(Method::post, "/echo",
          [](Request& request) -> asio::awaitable<Response> {
            require_unambiguous_framing(request);
            co_return Response::json(200, std::to_string(request.body.size()));
          },
          {.body_limit = 256, .json_body = true});
    r.add(Method::put, "/items/{id}", [](Request& request) -> asio::awaitable<Response> {
      require_unambiguous_framing(request);
      co_return Response::empty(204);
    });
    return true;
  }();
  (void)filled;
  return r;
}

struct Harness {
  Harness() {
    ferr::core::log::init(ferr::core::log::Level::off);
    limits.read_timeout = std::chrono::seconds(20);  // the input's end comes first, always
    limits.idle_timeout = std::chrono::seconds(20);
  }
  ferr::core::MetricsRegistry metrics;
  ferr::http::Dispatcher dispatcher{router(), metrics, {"https://app.example.com"}};
  ferr::http::SessionLimits limits;
  std::atomic<bool> draining{false};
  ferr::http::ConnectionRegistry registry;
  std::atomic<std::size_t> busy{0};
  asio::io_context io{1};
};

Harness& harness() {
  static Harness h;
  return h;
}

// Sends the input, then its end, and collects everything the server writes until it closes.
asio::awaitable<void> play(asio::local::stream_protocol::socket& client, std::string_view input,
                           std::string& output) {
  auto nothrow = asio::as_tuple(asio::use_awaitable);
  co_await asio::async_write(client, asio::buffer(input.data(), input.size()), nothrow);
  boost::system::error_code ignored;
  client.shutdown(asio::socket_base::shutdown_send, ignored);
  char chunk[4096];
  for (;;) {
    auto [ec, n] = co_await client.async_read_some(asio::buffer(chunk), nothrow);
    output.append(chunk, n);
    if (ec) break;
  }
}

std::string header_value(std::string_view head, std::string_view name) {
  std::size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    std::size_t next = head.find("\r\n", pos + 2);
    std::string_view line =
        head.substr(pos + 2, next == std::string_view::npos ? next : next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string_view::npos && lower(line.substr(0, colon)) == name)
      return lower(trim(line.substr(colon + 1)));
    pos = next;
  }
  return "";
}

// Every response is well formed and not 5xx; nothing follows one that closes the connection.
void check_responses(std::string_view output) {
  while (!output.empty()) {
    std::size_t end = output.find("\r\n\r\n");
    require(end != std::string_view::npos);
    std::string_view head = output.substr(0, end);
    bool http10 = head.starts_with("HTTP/1.0 ");
    require(http10 || head.starts_with("HTTP/1.1 "));
    require(head.size() >= 12);
    int status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
    require(status >= 200 && status < 500);
    std::size_t length = 0;
    std::string declared = header_value(head, "content-length");
    if (status != 204 && status != 304) require(!declared.empty());
    for (char c : declared) {
      require(c >= '0' && c <= '9');
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    output.remove_prefix(end + 4);
    // A HEAD answer announces the length without the body; our bodies never start like a
    // status line, so what follows (another answer, or nothing) tells the two apart.
    if (!output.empty() && !output.starts_with("HTTP/1.")) {
      require(output.size() >= length);
      output.remove_prefix(length);
    }
    std::string connection = header_value(head, "connection");
    bool closes = connection == "close" || (http10 && connection != "keep-alive");
    if (closes) require(output.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness& h = harness();
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) std::abort();
  // The session takes a TCP socket; over a socket pair it simply has no peer address.
  asio::ip::tcp::socket server(h.io);
  server.assign(asio::ip::tcp::v4(), fds[0]);
  asio::local::stream_protocol::socket client(h.io);
  client.assign(asio::local::stream_protocol(), fds[1]);

  bool ended = false;
  ferr::http::SessionEnv env{h.dispatcher, h.limits, h.draining,
                             h.registry,   h.busy,   [&ended] { ended = true; }};
  std::string output;
  asio::co_spawn(h.io, ferr::http::run_session(std::move(server), std::move(env)), asio::detached);
  asio::co_spawn(h.io,
                 play(client, std::string_view(reinterpret_cast<const char*>(data), size), output),
                 asio::detached);
  h.io.run();
  h.io.restart();
  require(ended);
  require(h.busy.load() == 0);
  check_responses(output);
  return 0;
}
