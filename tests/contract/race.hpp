#pragma once
// Concurrency tests' starting gun: every call on its own thread, all released at once, so the
// database sees them together (the races of src/storage/postgres/migrations/README.md).

#include <functional>
#include <future>
#include <vector>

namespace ferr::contract {

/// Runs `call(i)` for i in [0, n), each on its own thread, all released at once; returns the
/// results in order.
template <typename F>
auto race(int n, F call) {
  using R = decltype(call(0));
  std::promise<void> start;
  std::shared_future<void> started = start.get_future().share();
  std::vector<std::future<R>> running;
  running.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    running.push_back(std::async(std::launch::async, [&call, started, i] {
      started.wait();
      return call(i);
    }));
  }
  start.set_value();
  std::vector<R> results;
  results.reserve(running.size());
  for (auto& r : running) results.push_back(r.get());
  return results;
}

/// Runs every call of `calls` the same way; returns their results in order.
template <typename T>
std::vector<T> race(const std::vector<std::function<T()>>& calls) {
  return race(static_cast<int>(calls.size()), [&](int i) { return calls[i](); });
}

}  // namespace ferr::contract
