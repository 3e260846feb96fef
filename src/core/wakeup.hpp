#pragma once
/// Lets any thread wake a coroutine that sleeps on a timer: the background loops (telemetry
/// writer, retention) sleep until their next turn or until there is work or a stop.

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>

#include "core/task.hpp"

namespace ferr::core {

/// One sleeper, any number of wakers. The sleeper's executor must run on one thread at a time
/// (an io_context run by one thread, or a strand): the timer is only touched there.
class Wakeup {
 public:
  explicit Wakeup(const Executor& executor) : state_(std::make_shared<State>(executor)) {}

  /// Sleeps for `timeout` or until notify(); returns at once when notified since the last
  /// sleep began (a wake-up is never lost; a sleep may end early without one).
  Task<void> sleep_for(std::chrono::steady_clock::duration timeout);
  /// Wakes the sleeper (or its next sleep). Safe from any thread.
  void notify();

 private:
  // Shared with the cancels notify() posts, which may run after the Wakeup is gone.
  struct State {
    explicit State(const Executor& executor) : timer(executor) {}
    boost::asio::steady_timer timer;
    std::atomic<bool> notified{false};
  };
  std::shared_ptr<State> state_;
};

}  // namespace ferr::core
