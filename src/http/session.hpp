#pragma once
/// One HTTP/1.1 connection: read a request within limits and timeouts, dispatch it, write the
/// answer, and loop while keep-alive holds. The only Beast code of the project lives in
/// session.cpp.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/dispatcher.hpp"

namespace ferr::http {

/// Limits applied to every connection.
struct SessionLimits {
  std::size_t header_limit = std::size_t{8} << 10;  ///< 8 KiB: request line and fields
  std::chrono::milliseconds read_timeout{10'000};   ///< to receive a whole request
  std::chrono::milliseconds idle_timeout{30'000};   ///< between keep-alive requests
  unsigned trusted_proxy_hops = 0;
};

/// The connections of one I/O thread, so a drain can close the idle ones. Single-threaded:
/// touched only from its own I/O context.
class ConnectionRegistry {
 public:
  struct Entry {
    std::function<void()> stop_waiting;  ///< cancels the wait for the next request
    bool busy = false;
  };
  std::list<Entry*>::iterator add(Entry* e) { return entries_.insert(entries_.end(), e); }
  void remove(std::list<Entry*>::iterator it) { entries_.erase(it); }
  /// Ends every connection waiting for its next request: its session stops waiting and closes
  /// it. A request whose bytes were read before is served and answered.
  void close_idle() {
    for (Entry* e : entries_)
      if (!e->busy) e->stop_waiting();
  }

 private:
  std::list<Entry*> entries_;
};

/// What a session needs from its server.
struct SessionEnv {
  Dispatcher& dispatcher;
  const SessionLimits& limits;
  const std::atomic<bool>& draining;
  ConnectionRegistry& registry;
  std::atomic<std::size_t>& busy_connections;  ///< connections serving a request, server-wide
  std::function<void()> on_close;              ///< called once when the connection ends
};

/// Serves one accepted connection until it closes.
boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket, SessionEnv env);

}  // namespace ferr::http
