#pragma once
/// One computation shared by every caller that asks for it at about the same time, and its result
/// reused for a short while: what keeps a page that anyone may load from costing one database
/// read per load (issue 14, item 15). Callers that arrive while it runs wait for it (no second
/// computation starts); a result younger than `fresh_for` is answered at once; a failure is handed
/// to the callers that waited for it and never kept.

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/completion.hpp"
#include "core/error.hpp"
#include "core/task.hpp"

namespace ferr::core {

/// A shared result and when its computation started (what it is at least as fresh as).
template <typename T>
struct Computed {
  std::shared_ptr<const T> value;
  TimePoint computed_at;
};

template <typename T>
class SharedComputation {
 public:
  /// `fresh_for` zero: nothing is reused, but callers arriving during a computation still share it.
  SharedComputation(const Clock& clock, std::chrono::milliseconds fresh_for)
      : clock_(clock), fresh_for_(fresh_for) {}
  SharedComputation(const SharedComputation&) = delete;
  SharedComputation& operator=(const SharedComputation&) = delete;

  /// The last result if still fresh; else the result of the computation running now; else that of
  /// `compute`, run by this caller. `compute` is called only in the last case.
  Task<Result<Computed<T>>> get(const std::function<Task<Result<T>>()>& compute) {
    std::shared_ptr<Completion<Result<Computed<T>>>> waiter;
    {
      std::lock_guard lock(mutex_);
      if (last_ && clock_.now() - last_->computed_at < fresh_for_) co_return *last_;
      if (running_) {
        waiter = std::make_shared<Completion<Result<Computed<T>>>>();
        waiters_.push_back(waiter);
      } else {
        running_ = true;
      }
    }
    if (waiter) co_return co_await waiter->wait();

    const TimePoint started = clock_.now();
    Result<Computed<T>> outcome = fail(Error::internal("shared computation: no outcome"));
    try {
      auto computed = co_await compute();
      if (computed) {
        outcome = Computed<T>{std::make_shared<const T>(std::move(*computed)), started};
      } else {
        outcome = fail(std::move(computed.error()));
      }
    } catch (...) {
      // The waiters must not wait forever: they get an error, the exception goes on.
      finish(fail(Error::internal("shared computation threw")));
      throw;
    }
    finish(outcome);
    co_return outcome;
  }

 private:
  /// Records `outcome` (if a success) and hands it to every caller that waited for it.
  void finish(const Result<Computed<T>>& outcome) {
    std::vector<std::shared_ptr<Completion<Result<Computed<T>>>>> waiting;
    {
      std::lock_guard lock(mutex_);
      running_ = false;
      if (outcome) last_ = *outcome;
      waiting.swap(waiters_);
    }
    for (auto& waiter : waiting) waiter->set(outcome);
  }

  const Clock& clock_;
  std::chrono::milliseconds fresh_for_;
  std::mutex mutex_;
  std::optional<Computed<T>> last_;
  bool running_ = false;
  std::vector<std::shared_ptr<Completion<Result<Computed<T>>>>> waiters_;
};

}  // namespace ferr::core
