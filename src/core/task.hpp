#pragma once
/// The one awaitable type of the code base: every repository, service and handler returns a
/// `Task<T>` and is `co_await`ed; nothing below the HTTP layer ever blocks an I/O thread waiting
/// for one.
///
/// A task starts when it is awaited and runs on the awaiting coroutine's executor. Reference
/// parameters of a task refer to the caller's objects: await a task in the full expression that
/// creates it (`co_await repo.find(id)`), never store it for later.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace ferr::core {

/// An awaitable computation producing a `T`.
template <typename T>
using Task = boost::asio::awaitable<T>;

/// Where a task runs: an event loop (or a strand of one).
using Executor = boost::asio::any_io_executor;

/// Starts `task` on `executor` to run on its own: for the long-lived loops of background work,
/// which report their own failures and never throw.
inline void spawn_detached(const Executor& executor, Task<void> task) {
  boost::asio::co_spawn(executor, std::move(task), boost::asio::detached);
}

/// Runs `task` to completion on the calling thread, on an event loop of its own, and returns
/// its value (or rethrows its exception). For the places that are not inside the server's
/// event loops: the command line, start-up and shutdown, and tests. Never call it from a
/// coroutine: it would stall that coroutine's thread.
template <typename T>
T run_to_completion(Task<T> task) {
  boost::asio::io_context loop(1);
  std::exception_ptr error;
  std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
  auto body = [&]() -> Task<void> {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      result.emplace(true);
    } else {
      result.emplace(co_await std::move(task));
    }
  };
  boost::asio::co_spawn(loop, body(), [&](std::exception_ptr e) { error = e; });
  loop.run();
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) return std::move(*result);
}

}  // namespace ferr::core
