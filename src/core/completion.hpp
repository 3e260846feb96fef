#pragma once
/// A one-shot result handed from one coroutine (or thread) to a coroutine that awaits it: the
/// waiter suspends without blocking its thread and resumes on its own executor, whichever thread
/// delivers the value.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <mutex>
#include <optional>
#include <utility>

#include "core/task.hpp"

namespace ferr::core {

/// Holds one `T`, set once by anyone and awaited once.
template <typename T>
class Completion {
 public:
  /// Suspends until set() (at once if it already happened) and returns the value.
  Task<T> wait() {
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
        [this](auto handler) {
          std::unique_lock lock(mutex_);
          executor_ = boost::asio::get_associated_executor(handler);
          // Constructed in place: Boost 1.81's move assignment of any_completion_handler
          // recurses without end (it copies from an lvalue through the converting constructor).
          handler_.emplace(std::move(handler));
          if (value_) {
            lock.unlock();
            resume();
          }
        },
        boost::asio::use_awaitable);
    std::lock_guard lock(mutex_);
    co_return std::move(*value_);
  }

  /// Delivers the value; the waiter resumes on its executor (never on the caller's thread).
  void set(T value) {
    std::unique_lock lock(mutex_);
    value_.emplace(std::move(value));
    bool waiting = handler_.has_value();
    lock.unlock();
    if (waiting) resume();
  }

 private:
  /// Posts the waiter's continuation to its own executor. Called once, by whichever of wait()
  /// and set() comes second.
  void resume() {
    // A copy: once posted, the waiter may resume and destroy this object at once.
    auto executor = executor_;
    boost::asio::post(executor,
                      [handler = std::move(*handler_)]() mutable { std::move(handler)(); });
  }

  std::mutex mutex_;
  std::optional<T> value_;
  boost::asio::any_io_executor executor_;
  std::optional<boost::asio::any_completion_handler<void()>> handler_;
};

}  // namespace ferr::core
