#pragma once
/// Blocking work (SQLite, argon2, file I/O) runs here, never on an I/O thread.
///
/// `co_await run_blocking(pool, fn)` posts `fn` to the pool and resumes the awaiting coroutine
/// on its own executor with the result, so the I/O thread keeps serving other connections.

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <exception>
#include <optional>
#include <string_view>
#include <type_traits>

namespace ferr::core {

/// A fixed set of threads for blocking work.
class BlockingPool {
 public:
  /// `threads` workers, each named `name` (core/thread_name.hpp); a positive `nice` lowers their
  /// scheduling priority (Linux), so CPU-heavy work such as password hashing yields to the I/O
  /// threads.
  explicit BlockingPool(std::size_t threads, std::string_view name = "ferr-pool", int nice = 0);
  ~BlockingPool() { join(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  /// The executor that runs work on the pool's threads.
  boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }
  /// Waits for queued work to finish and joins the threads.
  void join() { pool_.join(); }
  /// Number of worker threads.
  std::size_t size() const { return size_; }

 private:
  boost::asio::thread_pool pool_;
  std::size_t size_;
};

/// Runs `fn()` on `pool` and resumes the caller on its executor with the value (or exception).
template <typename F>
boost::asio::awaitable<std::invoke_result_t<F&>> run_blocking(BlockingPool& pool, F fn) {
  using R = std::invoke_result_t<F&>;
  static_assert(!std::is_void_v<R>, "run_blocking needs a value: return a Result");
  auto caller = co_await boost::asio::this_coro::executor;
  std::optional<R> result;
  std::exception_ptr error;
  // The coroutine frame outlives the posted work (it is suspended until the handler runs), so
  // the work may refer to these locals.
  co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
      [&](auto handler) {
        // The guard keeps the caller's event loop running until the handler has been handed
        // over: a loop that ran out of work could otherwise return (and be destroyed, as
        // run_to_completion's is) while this thread still signals it.
        auto guard = boost::asio::make_work_guard(caller);
        boost::asio::post(pool.executor(),
                          [&, guard = std::move(guard), handler = std::move(handler)]() mutable {
                            try {
                              result.emplace(fn());
                            } catch (...) {
                              error = std::current_exception();
                            }
                            boost::asio::dispatch(guard.get_executor(), std::move(handler));
                            guard.reset();
                          });
      },
      boost::asio::use_awaitable);
  if (error) std::rethrow_exception(error);
  co_return std::move(*result);
}

}  // namespace ferr::core
