#pragma once
/// One thread running one event loop, for work that belongs to no request: the telemetry
/// writer, the retention job. Its coroutines await the same repositories as the handlers do.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace ferr::core {

class BackgroundLoop {
 public:
  /// Starts the thread; the loop runs until stop(), which lets it run out of work for at most
  /// `grace`.
  explicit BackgroundLoop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  ~BackgroundLoop() { stop(); }
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  /// Where to spawn the background coroutines.
  boost::asio::io_context::executor_type executor() { return context_.get_executor(); }
  /// Lets the loop run out of work (what is queued or in flight elsewhere for it, such as a
  /// storage call that will resume a coroutine here, still completes), then joins the thread.
  /// Past the grace the loop is stopped as it is. Idempotent.
  void stop();

 private:
  std::chrono::milliseconds grace_;
  boost::asio::io_context context_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace ferr::core
