#include "http/session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "core/log.hpp"
#include "http/client_ip.hpp"
#include "http/framing.hpp"

namespace ferr::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// What an idle connection reads its next request into: most requests fit (wrk's are 40 bytes, a
// browser's with cookies under 1 KiB); a longer one grows the buffer as Beast reads on. Idle
// keep-alive connections can be many, and this is the largest thing each one holds.
constexpr std::size_t kIdleRead = 1024;

// Marks a connection busy (serving a request) for the lifetime of the mark.
struct BusyMark {
  BusyMark(ConnectionRegistry::Entry& e, std::atomic<std::size_t>& count) : entry(e), busy(count) {
    entry.busy = true;
    busy.fetch_add(1);
  }
  ~BusyMark() {
    entry.busy = false;
    busy.fetch_sub(1);
  }
  ConnectionRegistry::Entry& entry;
  std::atomic<std::size_t>& busy;
};

struct Cleanup {
  std::function<void()> fn;
  ~Cleanup() { fn(); }
};

Request to_request(const bhttp::request_parser<bhttp::string_body>& parser, const std::string& peer,
                   unsigned trusted_hops) {
  const auto& msg = parser.get();
  Request r;
  r.method = parse_method(msg.method_string());
  r.target = std::string(msg.target());
  for (const auto& field : msg)
    r.headers.add(std::string(field.name_string()), std::string(field.value()));
  if (trusted_hops > 0)
    r.client_ip = resolve_client_ip(peer, r.headers, trusted_hops);
  else
    r.client_ip = peer;
  return r;
}

// Serializes the status line and header fields into one buffer (the body is written from where it
// is, in the same gathered write): one allocation per response, where Beast's message type would
// allocate every header field separately.
std::string serialize_head(const Response& response, unsigned version, bool keep_alive) {
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
  std::string out;
  out.reserve(384);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (const auto& [name, value] : response.headers.all()) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!keep_alive && version != 10) out += "Connection: close\r\n";
  if (keep_alive && version == 10) out += "Connection: keep-alive\r\n";
  // HEAD announces the length GET would send; 204 and 304 carry no length at all.
  if (response.status != 204 && response.status != 304) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace

asio::awaitable<void> run_session(asio::ip::tcp::socket socket, SessionEnv env) {
  beast::tcp_stream stream(std::move(socket));
  ConnectionRegistry::Entry entry;
  // A drain cancels the wait for the next request; the session then closes the connection
  // itself. Never the socket from outside: bytes the event loop has already read may be on their
  // way to this session, which then serves the request and must still be able to answer it.
  entry.stop_waiting = [&stream] {
    beast::error_code ignored;
    stream.socket().cancel(ignored);
  };
  auto registration = env.registry.add(&entry);
  Cleanup cleanup{[&] {
    env.registry.remove(registration);
    env.on_close();
  }};

  std::string peer;
  {
    beast::error_code ec;
    auto endpoint = stream.socket().remote_endpoint(ec);
    if (!ec) peer = endpoint.address().to_string();
  }

  beast::flat_buffer buffer;
  bool first_request = true;
  while (!env.draining.load()) {
    // Idle until the first byte of the next request arrives (a pipelined request may already be
    // buffered). Only then is the connection busy: a drain ends idle connections at once and
    // lets busy ones finish their request.
    if (buffer.size() == 0) {
      // Whatever the last request grew the buffer to (up to 64 KiB reading a large body) is
      // given back before waiting.
      if (buffer.capacity() > kIdleRead) buffer.shrink_to_fit();
      stream.expires_after(first_request ? env.limits.read_timeout : env.limits.idle_timeout);
      auto [idle_ec, received] =
          co_await stream.async_read_some(buffer.prepare(kIdleRead), kNoThrow);
      if (idle_ec) break;  // closed by the peer, timed out, or cancelled by a drain
      buffer.commit(received);
    }
    first_request = false;
    BusyMark busy(entry, env.busy_connections);

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(env.limits.header_limit));
    // The route's own limit is applied once the route is known. Until then Beast's default
    // (1 MiB) must not judge the Content-Length: it would call a larger one malformed (400)
    // where the contract wants 413.
    parser.body_limit(boost::none);
    stream.expires_after(env.limits.read_timeout);
    auto [header_ec, header_bytes] =
        co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
    if (header_ec == beast::error::timeout || header_ec == asio::error::operation_aborted ||
        header_ec == asio::error::connection_reset || header_ec == asio::error::bad_descriptor ||
        header_ec == asio::error::eof)
      break;  // too slow, or gone: nobody to answer
    auto started = std::chrono::steady_clock::now();
    Dispatcher& d = env.dispatcher;

    Response response;
    Plan plan;
    Request request;
    bool keep_alive = false;
    bool head = false;
    unsigned version = 11;
    try {
      if (header_ec) {
        // Malformed or oversized header: answer once, then close (the stream is out of sync).
        plan = d.plan_unparsable(request);
        const char* what = header_ec == bhttp::error::header_limit
                               ? "request header fields too large"
                               : "malformed HTTP request";
        response = d.reject(request, core::Error::make(core::ErrorCode::bad_request, what));
        response.close_connection = true;
      } else {
        version = parser.get().version();
        keep_alive = parser.get().keep_alive();
        request = to_request(parser, peer, env.limits.trusted_proxy_hops);
        head = request.method == Method::head;
        auto framing = framing_error(request.headers, version);
        plan = framing ? d.plan_unparsable(request) : d.plan(request);
        if (framing) {
          // Where this request's body ends is unknown or disputed: whatever follows could be
          // taken for a second request (smuggling). Answer, read nothing more, close.
          response = d.reject(
              request, core::Error::make(core::ErrorCode::bad_request, std::string(*framing)));
          response.close_connection = true;
        } else if (plan.early) {
          response = std::move(*plan.early);
        } else if (parser.content_length() && *parser.content_length() > plan.body_limit) {
          response = d.reject(request, core::Error::make(core::ErrorCode::payload_too_large,
                                                         "request body too large"));
          response.close_connection = true;  // the unread body would be taken for the next request
        } else {
          parser.body_limit(plan.body_limit);
          stream.expires_after(env.limits.read_timeout);
          auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
          if (body_ec == bhttp::error::body_limit) {
            response = d.reject(request, core::Error::make(core::ErrorCode::payload_too_large,
                                                           "request body too large"));
            response.close_connection = true;
          } else if (body_ec == beast::error::timeout ||
                     body_ec == asio::error::operation_aborted ||
                     body_ec == bhttp::error::partial_message || body_ec == asio::error::eof ||
                     body_ec == asio::error::connection_reset) {
            break;  // the client went away or was too slow: nobody to answer
          } else if (body_ec) {
            response = d.reject(
                request, core::Error::make(core::ErrorCode::bad_request, "malformed HTTP request"));
            response.close_connection = true;
          } else {
            request.body = std::move(parser.get().body());
            response = co_await d.run(request, *plan.route);
          }
        }
      }
    } catch (const std::exception& e) {
      response = d.reject(request,
                          core::Error::internal(std::string("exception in session: ") + e.what()));
      response.close_connection = true;
    }

    d.finish(request, response, plan, started);
    keep_alive = keep_alive && !response.close_connection && !env.draining.load();
    std::string wire_head = serialize_head(response, version, keep_alive);
    std::array<asio::const_buffer, 2> wire{
        asio::buffer(wire_head),
        asio::buffer(response.body.data(), head ? 0 : response.body.size())};
    stream.expires_after(env.limits.read_timeout);
    auto [write_ec, written] = co_await asio::async_write(stream, wire, kNoThrow);
    if (write_ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.socket().close(ignored);
}

}  // namespace ferr::http
