#pragma once
/// Lets synchronous repository code (on the blocking pool) run PostgreSQL coroutines.
///
/// The repositories of the domain have synchronous interfaces and run on the blocking pool
/// (core/blocking_pool.hpp). `run_sync(io_executor, fn)` spawns the coroutine `fn()` on an I/O
/// executor, where libpq's sockets are driven, and blocks the calling thread until it completes.
///
/// Never call it from an I/O thread: that thread would wait for work only it can run (with one
/// thread per io_context, a deadlock). Debug builds assert it for io_context executors. The wait
/// is bounded by the coroutine's own timeouts (connect, acquire, query), provided the I/O threads
/// run.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <cassert>
#include <exception>
#include <future>
#include <string>
#include <type_traits>
#include <utility>

#include "core/error.hpp"

namespace ferr::storage::postgres {

/// Runs `make_awaitable()` (returning `awaitable<core::Result<T>>`) on `executor` and waits for
/// its result. An exception escaping the coroutine becomes an `internal_server_error`; I/O
/// threads that stop before it finishes make it `service_unavailable`.
template <typename T, typename Executor, typename MakeAwaitable>
core::Result<T> run_sync(const Executor& executor, MakeAwaitable make_awaitable) {
  if constexpr (requires { executor.running_in_this_thread(); }) {
    assert(!executor.running_in_this_thread() && "run_sync called from an I/O thread");
  }
  std::promise<core::Result<T>> promise;
  std::future<core::Result<T>> future = promise.get_future();
  // The promise lives in the coroutine: only the I/O thread touches it, and a coroutine
  // destroyed unfinished (its io_context destroyed) breaks it, which the wait below reports.
  boost::asio::co_spawn(
      executor,
      [promise = std::move(promise),
       make = std::move(make_awaitable)]() mutable -> boost::asio::awaitable<void> {
        std::exception_ptr escaped;
        try {
          promise.set_value(co_await make());
          co_return;
        } catch (...) {
          escaped = std::current_exception();
        }
        std::string what = "exception escaped a postgres coroutine";
        try {
          std::rethrow_exception(escaped);
        } catch (const std::exception& e) {
          what += std::string(": ") + e.what();
        } catch (...) {
        }
        promise.set_value(core::fail(core::Error::internal(std::move(what))));
      },
      boost::asio::detached);
  try {
    return future.get();
  } catch (const std::future_error&) {
    core::Error e{core::ErrorCode::service_unavailable,
                  "the database is unavailable, retry shortly"};
    e.retry_after_seconds = 1;
    e.log_detail = "postgres: the I/O threads stopped before the query finished";
    return core::fail(std::move(e));
  }
}

}  // namespace ferr::storage::postgres
