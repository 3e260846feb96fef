#pragma once
/// A bounded pool of PostgreSQL connections shared by every I/O thread.
///
/// A lease may be taken on one I/O thread and end on another, and a connection serves a
/// coroutine on whichever thread awaits it: its socket waits register with the awaiting
/// coroutine's executor (socket_wait.hpp), and the pool's bookkeeping is guarded by a mutex that
/// is never held across a suspension.
///
/// `co_await pool.acquire()` leases a connection: an idle one, else a new one while fewer than
/// `max_size` exist, else it waits (suspended, never blocking its thread) until a lease ends or
/// `acquire_timeout` passes. Connections are made lazily and a broken one is discarded when its
/// lease ends, so a restarted server is reconnected to by the next acquire; while the server is
/// down, acquire fails within `connect_timeout` with `service_unavailable`.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "storage/postgres/connection.hpp"

namespace ferr::storage::postgres {

/// The pool's settings.
struct PoolOptions {
  /// How each connection is made.
  ConnectOptions connection;
  /// At most this many connections at once (the app passes DATABASE_MAX_CONNECTIONS).
  std::size_t max_size = 16;
  /// How long acquire waits for a busy pool before giving up with `service_unavailable`.
  std::chrono::milliseconds acquire_timeout{5000};
  /// How many of the connections `shared_query` may keep, one per thread that calls it (the
  /// I/O threads); 0 makes `shared_query` a plain `query`.
  std::size_t shared_connections = 0;
};

/// Counters for tests and metrics.
struct PoolStats {
  std::size_t open = 0;       ///< connections that exist or are being made
  std::size_t idle = 0;       ///< connections waiting in the pool
  std::size_t peak_open = 0;  ///< the most `open` ever was
  std::size_t waiting = 0;    ///< acquires waiting for a connection
  /// Round trips of the leases that have ended (Connection::round_trips): tests pin how many
  /// an operation needs.
  std::uint64_t round_trips = 0;
};

namespace detail {
struct PoolState;
struct SharedSlot;
}  // namespace detail

/// Exclusive use of one connection; returns it to the pool when destroyed (on any thread). A
/// connection left inside a transaction or broken is closed instead of reused.
class Lease {
 public:
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  /// The leased connection.
  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }
  /// Adds the round trips made since the last count to the pool's counter (done when the lease
  /// ends; shared_query's long-lived leases also count after each call).
  void count_round_trips();

 private:
  friend struct detail::PoolState;
  Lease(std::shared_ptr<detail::PoolState> pool, std::unique_ptr<Connection> connection);
  void give_back();

  std::shared_ptr<detail::PoolState> pool_;
  std::unique_ptr<Connection> connection_;
  std::uint64_t round_trips_at_start_ = 0;
};

/// The pool. Destroy it only after every lease has ended and no acquire is pending (after the
/// I/O threads stopped, typically); leases keep its shared state alive meanwhile.
class Pool {
 public:
  explicit Pool(PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Leases a connection (see the file comment). Failures are `service_unavailable`.
  boost::asio::awaitable<core::Result<Lease>> acquire();

  /// Acquires, runs one statement, releases.
  boost::asio::awaitable<core::Result<QueryResult>> query(std::string_view sql,
                                                          std::vector<Param> params = {});
  /// `query(sql, {a, b})` spelled `query(sql, a, b)` (see Connection::query).
  template <typename... P>
  requires(sizeof...(P) > 0 && (!std::same_as<std::decay_t<P>, std::vector<Param>> && ...))
      boost::asio::awaitable<core::Result<QueryResult>> query(std::string_view sql, P&&... params) {
    return query(sql, std::vector<Param>{Param(std::forward<P>(params))...});
  }
  /// Runs one short statement outside any transaction on the connection this thread keeps for
  /// such statements, pipelined with those of the thread's other requests
  /// (Connection::pipelined_query): under load, neither the server process nor this thread
  /// sleeps and wakes up again between two of them. The first call on a thread leases that
  /// connection, which stays out of the pool until it breaks; a thread beyond
  /// `shared_connections`, or a call while its thread's connection is being made, runs `query`.
  boost::asio::awaitable<core::Result<QueryResult>> shared_query(std::string_view sql,
                                                                 std::vector<Param> params);
  /// `shared_query(sql, {a, b})` spelled `shared_query(sql, a, b)` (see Connection::query).
  template <typename... P>
  requires(sizeof...(P) > 0 && (!std::same_as<std::decay_t<P>, std::vector<Param>> && ...))
      boost::asio::awaitable<core::Result<QueryResult>> shared_query(std::string_view sql,
                                                                     P&&... params) {
    return shared_query(sql, std::vector<Param>{Param(std::forward<P>(params))...});
  }
  /// Acquires, runs a pipeline (one round trip, all or nothing), releases.
  boost::asio::awaitable<core::Result<std::vector<QueryResult>>> pipeline(
      std::vector<Statement> statements);

  /// A snapshot of the counters.
  PoolStats stats() const;
  /// The configured bound.
  std::size_t max_size() const;

 private:
  /// This thread's slot for shared_query; null beyond `shared_connections` threads.
  std::shared_ptr<detail::SharedSlot> shared_slot();

  std::shared_ptr<detail::PoolState> state_;
  std::mutex shared_mutex_;
  std::map<std::thread::id, std::shared_ptr<detail::SharedSlot>> shared_;
};

}  // namespace ferr::storage::postgres
