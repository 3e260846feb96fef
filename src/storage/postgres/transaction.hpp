#pragma once
/// Runs a coroutine body inside BEGIN … COMMIT on one connection, ROLLBACK when it fails.

#include <boost/asio/awaitable.hpp>

#include <string_view>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "storage/postgres/connection.hpp"
#include "storage/postgres/pool.hpp"

namespace ferr::storage::postgres {

/// The isolation level of a transaction.
enum class Isolation { read_committed, repeatable_read, serializable };

namespace detail {

template <typename A>
struct AwaitableValue;
template <typename T, typename E>
struct AwaitableValue<boost::asio::awaitable<T, E>> {
  using type = T;
};

constexpr std::string_view begin_statement(Isolation isolation) {
  switch (isolation) {
    case Isolation::read_committed: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Isolation::repeatable_read: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case Isolation::serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
  }
  return "BEGIN";
}

}  // namespace detail

/// Runs `body(connection)` (returning `awaitable<core::Result<T>>`) between BEGIN and COMMIT on
/// `connection`; a failed result rolls back and is returned as is. If the body throws, nothing is
/// sent: the connection is left inside the transaction, so its lease closes it (which rolls back).
/// A failed COMMIT (serialization failure, say) is returned as the result, and so is a COMMIT
/// that rolled back because a statement inside failed while the body reported success.
template <typename Body>
auto in_transaction(Connection& connection, Body body,
                    Isolation isolation = Isolation::read_committed)
    -> boost::asio::awaitable<
        typename detail::AwaitableValue<std::invoke_result_t<Body&, Connection&>>::type> {
  using R = typename detail::AwaitableValue<std::invoke_result_t<Body&, Connection&>>::type;
  if (auto begun = co_await connection.query(detail::begin_statement(isolation)); !begun) {
    co_return core::fail(std::move(begun.error()));
  }
  R result = co_await body(connection);
  if (!result) {
    // A rollback that fails leaves the connection in the transaction: its lease closes it.
    co_await connection.query("ROLLBACK");
    co_return result;
  }
  auto committed = co_await connection.query("COMMIT");
  if (!committed) co_return core::fail(std::move(committed.error()));
  // COMMIT of a transaction in which a statement failed rolls back instead, and says so.
  if (committed->command_tag() == "ROLLBACK") {
    co_return core::fail(core::Error::database(
        "postgres transaction: a statement failed inside it, so COMMIT rolled back"));
  }
  co_return result;
}

/// Leases a connection from `pool` and runs `in_transaction` on it.
template <typename Body>
auto in_transaction(Pool& pool, Body body, Isolation isolation = Isolation::read_committed)
    -> boost::asio::awaitable<
        typename detail::AwaitableValue<std::invoke_result_t<Body&, Connection&>>::type> {
  auto lease = co_await pool.acquire();
  if (!lease) co_return core::fail(std::move(lease.error()));
  co_return co_await in_transaction(**lease, std::move(body), isolation);
}

}  // namespace ferr::storage::postgres
