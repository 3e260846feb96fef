#pragma once
/// Runs a coroutine on a given I/O thread and waits for it from the test thread: what the HTTP
/// server does when a request's coroutine awaits a repository, seen from outside. (The code
/// under test never waits like this; core::run_to_completion is its way out of a coroutine.)

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>

#include <exception>
#include <future>
#include <utility>

#include "core/error.hpp"

namespace ferr::pgtest {

/// Spawns `make()` (returning `awaitable<core::Result<T>>`) on `executor` and returns its
/// result; an exception escaping it is rethrown here. Never call it from that executor's thread.
template <typename T, typename Executor, typename Make>
core::Result<T> run_on(const Executor& executor, Make make) {
  std::promise<core::Result<T>> promise;
  auto future = promise.get_future();
  boost::asio::co_spawn(
      executor,
      [&promise, make = std::move(make)]() mutable -> boost::asio::awaitable<void> {
        promise.set_value(co_await make());
      },
      [&promise](const std::exception_ptr& error) {
        if (error) promise.set_exception(error);
      });
  return future.get();
}

}  // namespace ferr::pgtest
