#pragma once
/// One thread running one event loop, for work that belongs to no request: the telemetry
/// writer, the retention job. Its coroutines await the same repositories as the handlers do.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

namespace ferr::core {

class BackgroundLoop {
 public:
  /// Starts the thread; the loop runs until stop().
  BackgroundLoop();
  ~BackgroundLoop() { stop(); }
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  /// Where to spawn the background coroutines.
  boost::asio::io_context::executor_type executor() { return context_.get_executor(); }
  /// Lets the loop finish what it is doing, stops it and joins the thread; coroutines still
  /// suspended are destroyed with the loop. Idempotent.
  void stop();

 private:
  boost::asio::io_context context_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace ferr::core
