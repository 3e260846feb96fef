#pragma once
/// The HTTP server: one acceptor, one I/O context per thread, graceful drain.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/dispatcher.hpp"
#include "http/session.hpp"

namespace ferr::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  ///< 0 picks a free port (tests)
  std::size_t threads = 2;     ///< I/O threads, each with its own io_context
  SessionLimits limits;
  std::size_t max_connections = 10'000;          ///< open at once; more are closed at once
  std::size_t max_connections_per_client = 256;  ///< open at once from one peer address
  core::MetricsRegistry* metrics = nullptr;      ///< connection gauges and refusals, when set
};

class Server {
 public:
  Server(ServerOptions options, Dispatcher& dispatcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and starts the I/O threads. Fails (with a clear message) when the address is taken.
  core::Result<void> start();
  /// The bound port (useful with port 0).
  unsigned short port() const { return port_; }
  /// True from the start of shutdown(): readiness answers 503.
  bool draining() const { return draining_.load(); }
  /// Connections currently open.
  std::size_t open_connections() const { return open_connections_.load(); }
  /// Connections serving a request right now (a request's first byte has arrived).
  std::size_t busy_connections() const { return busy_connections_.load(); }

  /// Stops accepting, closes idle connections, lets in-flight requests finish until `grace`
  /// elapses, then stops the I/O threads. Returns true when everything finished in time.
  bool shutdown(std::chrono::milliseconds grace);

 private:
  struct Worker;
  /// A place admit() counted, given back when dropped unless handed over to a session (a
  /// session never started when the server stops between accept and start).
  class Admitted {
   public:
    Admitted(Server& server, boost::asio::ip::address peer);
    Admitted(Admitted&& other) noexcept;
    Admitted(const Admitted&) = delete;
    Admitted& operator=(const Admitted&) = delete;
    Admitted& operator=(Admitted&&) = delete;
    ~Admitted();
    /// The session's on_close: gives the place back; this object no longer does.
    std::function<void()> hand_over();

   private:
    Server* server_;
    boost::asio::ip::address peer_;
  };
  void accept_next();
  /// Counts a new connection from `peer` against both caps; false (nothing counted) when over.
  bool admit(const boost::asio::ip::address& peer);
  /// Uncounts a connection admitted by admit(); may schedule the return of freed memory.
  void release(const boost::asio::ip::address& peer);
  void schedule_trim();
  // Trims once no connection has closed for a while (or the wave has lasted too long).
  void trim_when_quiet(std::chrono::steady_clock::time_point first);

  ServerOptions options_;
  Dispatcher& dispatcher_;
  std::vector<std::unique_ptr<Worker>> workers_;
  struct Acceptor;
  std::unique_ptr<Acceptor> acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> open_connections_{0};
  std::atomic<std::size_t> busy_connections_{0};
  // Open connections per peer address, for the per-client cap. Entries live only as long as a
  // connection of theirs is open.
  std::mutex clients_mutex_;
  std::unordered_map<boost::asio::ip::address, std::size_t> clients_;
  core::Counter* refused_total_ = nullptr;
  core::Counter* refused_per_client_ = nullptr;
  // Memory return: the most connections open since the last trim, whether one is scheduled, and
  // when a connection last closed (steady clock, in its ticks).
  std::atomic<std::size_t> peak_since_trim_{0};
  std::atomic<bool> trim_scheduled_{false};
  std::atomic<std::chrono::steady_clock::rep> last_close_ticks_{0};
  std::mutex closed_mutex_;
  std::condition_variable closed_;
  bool stopped_ = false;
};

}  // namespace ferr::http
