#include "core/background_loop.hpp"

#include "core/thread_name.hpp"

namespace ferr::core {

BackgroundLoop::BackgroundLoop(std::chrono::milliseconds grace)
    : grace_(grace), work_(context_.get_executor()) {
  thread_ = std::thread([this] {
    context_.run();
    std::lock_guard lock(mutex_);
    done_ = true;
    finished_.notify_all();
  });
  name_thread(thread_, "ferr-background");
}

void BackgroundLoop::stop() {
  if (!thread_.joinable()) return;
  // Stopping the loop outright could leave another thread (a storage pool) holding work for it
  // and touching it after it is gone: it ends by itself once its work is done.
  work_.reset();
  {
    std::unique_lock lock(mutex_);
    if (!finished_.wait_for(lock, grace_, [&] { return done_; })) context_.stop();
  }
  thread_.join();
}

}  // namespace ferr::core
