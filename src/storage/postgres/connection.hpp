#pragma once
/// One PostgreSQL connection driven without blocking by the coroutine that uses it.
///
/// libpq runs in non-blocking mode; whenever it would block, the coroutine suspends on socket
/// readiness (socket_wait.hpp) on its own executor, so the I/O thread that awaits it keeps
/// serving other work meanwhile. A connection serves one coroutine at a time (the pool's lease
/// guarantees it), or, through `pipelined_query`, the coroutines of one thread at once; it may
/// move between I/O threads from one call to the next.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "storage/postgres/param.hpp"
#include "storage/postgres/query_result.hpp"
#include "storage/postgres/socket_wait.hpp"

struct pg_conn;

namespace ferr::storage::postgres {

/// How to reach the server and how long to wait for it.
struct ConnectOptions {
  /// A libpq URI (`postgres://user:pass@host:port/db?…`) or `key=value` string. Never logged:
  /// it may hold a password.
  std::string url;
  /// Connecting (TCP, startup, authentication) gives up after this.
  std::chrono::milliseconds connect_timeout{5000};
  /// A query, a pipeline or a script gives up after this; the connection is then closed, which
  /// also makes the server stop the statement (client_connection_check_interval).
  std::chrono::milliseconds query_timeout{10000};
  /// Shown in pg_stat_activity; a URL's own `application_name` wins.
  std::string application_name = "ferrlabs-api";
};

/// One open connection. Any failure that leaves its state unknown (lost connection, timeout,
/// protocol confusion) marks it broken: every later call fails fast and the pool discards it.
///
/// Everything is sent in libpq's pipeline mode: a call's statements, the preparation of those
/// that this connection has not prepared yet, and a sync point travel together, so each call is
/// one round trip (`round_trips()` counts them).
class Connection {
 public:
  /// Connects within `options.connect_timeout`; failures are `service_unavailable`. Host names
  /// of the URL are resolved first without blocking (conninfo.hpp), so libpq never resolves.
  static boost::asio::awaitable<core::Result<std::unique_ptr<Connection>>> connect(
      ConnectOptions options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs one statement with bound parameters (`$1`, `$2`…) in one round trip. A statement with
  /// parameters is prepared on this connection the first time it runs (in the same round trip)
  /// and executed by name afterwards: the server parses and plans it once per connection (the
  /// first `kMaxPreparedStatements` distinct texts; later ones run unnamed).
  boost::asio::awaitable<core::Result<QueryResult>> query(std::string_view sql,
                                                          std::vector<Param> params = {});

  /// `query(sql, {a, b})` spelled `query(sql, a, b)`: GCC 12 rejects a braced list inside a
  /// `co_await` expression ("array used as initializer"), so call sites use this form.
  template <typename... P>
  requires(sizeof...(P) > 0 && (!std::same_as<std::decay_t<P>, std::vector<Param>> && ...))
      boost::asio::awaitable<core::Result<QueryResult>> query(std::string_view sql, P&&... params) {
    return query(sql, std::vector<Param>{Param(std::forward<P>(params))...});
  }

  /// Sends every statement in one round trip and returns their results in order, preparing
  /// statements as `query` does. They run as one implicit transaction (unless inside BEGIN …
  /// COMMIT): when one fails, the error of the first failure is returned and none of them took
  /// effect (inside BEGIN, the transaction is left aborted).
  boost::asio::awaitable<core::Result<std::vector<QueryResult>>> pipeline(
      std::vector<Statement> statements);

  /// `query` for several coroutines of one thread sharing this connection (Pool::shared_query):
  /// the statement is sent at once, pipelined behind the calls already in flight, and its answer
  /// read when theirs have been. The server then finds the next statement waiting whenever it
  /// finishes one. For short statements outside any transaction only: a slow one delays every
  /// call behind it. A call that times out breaks the connection (and fails the calls behind it).
  boost::asio::awaitable<core::Result<QueryResult>> pipelined_query(std::string_view sql,
                                                                    std::vector<Param> params);

  /// Runs parameterless SQL that may hold several statements (the simple query protocol), for
  /// migrations only: values always go through `query` instead. One round trip.
  boost::asio::awaitable<core::Result<void>> execute_script(std::string_view sql);

  /// False once the connection is broken or closed by the server.
  bool usable() const;
  /// True when usable and outside any transaction and pipeline: safe to hand to another caller.
  bool idle() const;
  /// True inside a transaction block (open or aborted).
  bool in_transaction() const;
  /// Reads what the server sent while the connection sat unused, without waiting. False when
  /// that shows the connection is gone (a restarted or stopped server closes idle sessions).
  /// With pipelined calls in flight, only whether it is usable.
  bool check_alive();
  /// The server process serving this connection (pg_backend_pid()).
  int backend_pid() const;
  /// The server address connected to (PQhostaddr), for diagnostics and tests.
  std::string host_address() const;
  /// Socket waits so far: a pipeline of many statements needs only a few (tests, diagnostics).
  std::uint64_t socket_waits() const { return socket_waits_; }
  /// Requests sent and answered so far (a query, a pipeline, a script: one each).
  std::uint64_t round_trips() const { return round_trips_; }

 private:
  using Deadline = std::chrono::steady_clock::time_point;

  Connection(pg_conn* conn, std::chrono::milliseconds query_timeout);

  /// Marks the connection broken and returns `error` (for `co_return core::fail(...)`).
  core::Error broken(core::Error error);
  /// The error of a lost connection (or of a timeout), marking the connection broken.
  core::Error lost(std::string_view what);
  boost::asio::awaitable<Readiness> wait(Interest interest, Deadline deadline);
  /// Sends everything libpq has buffered, reading input meanwhile so the server never blocks.
  boost::asio::awaitable<core::Result<void>> flush(Deadline deadline);
  /// The error of a failed PQsendQuery: the connection's loss, or the statement's own fault.
  core::Error send_failed(std::string_view what);
  /// The next result of the current command (null at its end), waiting for input as needed.
  boost::asio::awaitable<core::Result<pg_result*>> next_result(Deadline deadline);

  /// What the server answers a call with, in order: its statements, each preceded by its
  /// preparation when this connection has not prepared (or sent the preparation of) its text.
  struct Answer {
    std::size_t statement = 0;
    bool preparation = false;
    std::string text;  ///< of a preparation
  };
  class Turn;
  /// Every parameter converted before anything is sent, so a bad one leaves nothing queued.
  static core::Result<std::vector<BoundParams>> bind_all(const std::vector<Statement>& statements);
  /// Queues `statements` (with the preparations they need) and a sync point in libpq's output,
  /// in pipeline mode; returns the answers to expect.
  core::Result<std::vector<Answer>> send(const std::vector<Statement>& statements,
                                         const std::vector<BoundParams>& bound);
  /// Reads `answers` and the sync point after them; `what` names the statements in errors,
  /// followed by the statement's number when `numbered`.
  boost::asio::awaitable<core::Result<std::vector<QueryResult>>> receive(
      const std::vector<Answer>& answers, std::size_t statements, Deadline deadline,
      std::string_view what, bool numbered);
  /// `receive` for a pipelined call, once its turn has come.
  boost::asio::awaitable<core::Result<std::vector<QueryResult>>> receive_in_turn(
      Turn& turn, const std::vector<Answer>& answers, Deadline deadline);
  /// `statements` and a sync point in one round trip, for one caller, then out of pipeline mode.
  boost::asio::awaitable<core::Result<std::vector<QueryResult>>> exchange(
      const std::vector<Statement>& statements, std::string_view what, bool numbered);

  /// The repositories run a fixed set of statements: this bounds a caller that builds texts.
  static constexpr std::size_t kMaxPreparedStatements = 256;

  pg_conn* conn_;
  std::chrono::milliseconds query_timeout_;
  /// SQL text → name of the statement prepared on this connection.
  std::map<std::string, std::string, std::less<>> prepared_;
  /// SQL text → name of a preparation sent and not yet answered: calls sent meanwhile use it.
  std::map<std::string, std::string, std::less<>> preparing_;
  /// The pipelined calls in flight, oldest first (pipelined_query).
  std::deque<Turn*> turns_;
  std::uint64_t names_given_ = 0;
  bool broken_ = false;
  bool timed_out_ = false;
  std::uint64_t socket_waits_ = 0;
  std::uint64_t round_trips_ = 0;
};

}  // namespace ferr::storage::postgres
