#pragma once
// What a test does to a fake beyond using it: count its calls, fail some of them, hold some until
// released, and watch each call's outcome. A held call suspends its coroutine (a Completion it
// awaits), never its thread: the event loop that runs it keeps running everything else.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/completion.hpp"
#include "core/error.hpp"
#include "core/task.hpp"

namespace ferr::fakes {

/// The store failure tests inject with Hooks::fail_next: a database error whose log detail is
/// "injected".
inline core::Error injected_failure() { return core::Error::database("injected"); }

class Hooks {
 public:
  /// The next `times` calls of `method` (any method when empty) fail with `error`; the failure
  /// is chosen when the call enters, before it is held, and nothing is read or written.
  void fail_next(core::Error error, std::string method = "", int times = 1);
  /// Every call of `method` (any method when empty) fails with `error` until clear_failures().
  void fail_always(core::Error error, std::string method = "");
  /// Forgets every failure not yet injected.
  void clear_failures();

  /// Calls of `method` so far, failed ones included (every method when empty).
  int calls(std::string_view method = "") const;

  /// Calls of `method` (any method when empty) that enter from now on wait until release().
  void hold(std::string method = "");
  /// Stops holding and resumes every held call, each on its own executor.
  void release();
  /// Blocks the calling thread until at least `count` calls are held. For test threads only:
  /// never call it from an event loop that runs the call it waits for.
  void wait_until_held(std::size_t count = 1);
  /// Calls held right now.
  std::size_t held() const;
  /// The thread each call of `method` entered on, in call order.
  std::vector<std::thread::id> threads(std::string_view method) const;

  /// Told of every call when it returns: its method and whether it succeeded. Set it before the
  /// fake is used; it runs on the thread of the call.
  std::function<void(std::string_view method, bool ok)> on_return;

  /// Runs one call of `method`: counts it, holds it if asked, then fails it as injected or runs
  /// `body` under `lock` (the fake database's: one call is one transaction).
  template <typename T, typename Body>
  core::Task<core::Result<T>> call(std::string_view method, std::mutex& lock, Body body) {
    auto entry = enter(method);
    if (entry.hold) co_await entry.hold->wait();
    std::optional<core::Result<T>> result;
    if (entry.failure) {
      result.emplace(core::fail(std::move(*entry.failure)));
    } else {
      std::lock_guard guard(lock);
      result.emplace(body());
    }
    if (on_return) on_return(method, result->has_value());
    co_return std::move(*result);
  }

 private:
  using Gate = core::Completion<bool>;
  struct Injected {
    core::Error error;
    std::string method;
    int times = 1;  ///< 0: until cleared
  };
  struct Entry {
    std::optional<core::Error> failure;
    std::shared_ptr<Gate> hold;
  };

  /// Counts the call and decides its failure and its hold, atomically.
  Entry enter(std::string_view method);
  static bool matches(const std::string& filter, std::string_view method) {
    return filter.empty() || filter == method;
  }

  mutable std::mutex mutex_;
  std::condition_variable held_changed_;
  std::map<std::string, int, std::less<>> calls_;
  std::map<std::string, std::vector<std::thread::id>, std::less<>> threads_;
  std::deque<Injected> failures_;
  std::optional<std::string> holding_;  ///< the method held ("" for all), while holding
  std::vector<std::shared_ptr<Gate>> held_;
};

}  // namespace ferr::fakes
