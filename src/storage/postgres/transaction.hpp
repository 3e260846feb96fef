#pragma once
/// Transactions in as few round trips as the caller's decisions allow.
///
/// A `Transaction` sends nothing when it is made: its first statements carry `BEGIN` in front of
/// them, in the same pipeline, and `commit_with(statements)` sends the last writes with `COMMIT`
/// behind them, in one pipeline too. A transaction that reads, decides in C++ and writes is
/// therefore two round trips: `BEGIN + reads | writes + COMMIT`.
///
///   co_return co_await in_transaction(pool, [&](Transaction& tx) -> Task<Result<T>> {
///     FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));   // BEGIN + reads
///     … decide …
///     FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));         // writes + COMMIT
///     co_return value;
///   });
///
/// A failure anywhere rolls back: `in_transaction` sends ROLLBACK when the body fails with the
/// transaction open (a domain refusal after the reads, or a failed statement), and a
/// connection still inside a transaction when its lease ends (the body threw, the coroutine was
/// destroyed, ROLLBACK itself failed) is closed by the lease, which rolls back on the server.

#include <boost/asio/awaitable.hpp>

#include <concepts>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/task.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/pool.hpp"

namespace ferr::storage::postgres {

/// The isolation level of a transaction.
enum class Isolation { read_committed, repeatable_read, serializable };

/// One transaction on a connection the caller holds (a lease, typically).
class Transaction {
 public:
  /// Nothing is sent yet: BEGIN goes with the first statements.
  explicit Transaction(Connection& connection, Isolation isolation = Isolation::read_committed)
      : connection_(&connection), isolation_(isolation) {}

  /// Runs `statements` inside the transaction in one round trip, BEGIN in front of the first
  /// ones; their results, in order. A failure leaves the transaction aborted (roll it back).
  core::Task<core::Result<std::vector<QueryResult>>> pipeline(std::vector<Statement> statements);

  /// One statement (see pipeline).
  core::Task<core::Result<QueryResult>> query(std::string_view sql, std::vector<Param> params = {});
  /// `query(sql, {a, b})` spelled `query(sql, a, b)` (see Connection::query).
  template <typename... P>
  requires(sizeof...(P) > 0 &&
           (!std::same_as<std::decay_t<P>, std::vector<Param>> &&
            ...)) core::Task<core::Result<QueryResult>> query(std::string_view sql, P&&... params) {
    return query(sql, std::vector<Param>{Param(std::forward<P>(params))...});
  }

  /// Sends `statements` then COMMIT in one round trip (BEGIN in front too, when nothing was sent
  /// yet) and returns their results. A COMMIT that PostgreSQL turned into a ROLLBACK is an error.
  core::Task<core::Result<std::vector<QueryResult>>> commit_with(
      std::vector<Statement> statements = {});

  /// ROLLBACK when the transaction is open on the server; nothing otherwise. A failed ROLLBACK
  /// leaves the connection inside the transaction, so its lease closes it.
  core::Task<void> rollback();

  /// True once BEGIN was sent and until COMMIT or ROLLBACK.
  bool open() const { return state_ == State::open; }
  /// The connection it runs on.
  Connection& connection() const { return *connection_; }

 private:
  enum class State { not_begun, open, ended };

  /// Sends `statements`, with BEGIN in front while not begun and COMMIT behind when `commit`.
  core::Task<core::Result<std::vector<QueryResult>>> send(std::vector<Statement> statements,
                                                          bool commit);

  Connection* connection_;
  Isolation isolation_;
  State state_ = State::not_begun;
};

namespace detail {

template <typename A>
struct AwaitableValue;
template <typename T, typename E>
struct AwaitableValue<boost::asio::awaitable<T, E>> {
  using type = T;
};

template <typename Body>
using BodyResult = typename AwaitableValue<std::invoke_result_t<Body&, Transaction&>>::type;

}  // namespace detail

/// Runs `body(transaction)` (returning `Task<core::Result<T>>`) as one transaction on
/// `connection`. A failed result rolls back (if anything was sent) and is returned as is; a
/// successful one commits, unless the body already did (with commit_with, saving a round trip).
template <typename Body>
auto in_transaction(Connection& connection, Body body,
                    Isolation isolation = Isolation::read_committed)
    -> core::Task<detail::BodyResult<Body>> {
  Transaction transaction(connection, isolation);
  detail::BodyResult<Body> result = co_await body(transaction);
  if (!result) {
    co_await transaction.rollback();
    co_return result;
  }
  if (transaction.open()) {
    if (auto committed = co_await transaction.commit_with(); !committed) {
      co_await transaction.rollback();
      co_return core::fail(std::move(committed.error()));
    }
  }
  co_return result;
}

/// Leases a connection from `pool` and runs `in_transaction` on it.
template <typename Body>
auto in_transaction(Pool& pool, Body body, Isolation isolation = Isolation::read_committed)
    -> core::Task<detail::BodyResult<Body>> {
  auto lease = co_await pool.acquire();
  if (!lease) co_return core::fail(std::move(lease.error()));
  co_return co_await in_transaction(**lease, std::move(body), isolation);
}

}  // namespace ferr::storage::postgres
