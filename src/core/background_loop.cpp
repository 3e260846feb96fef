#include "core/background_loop.hpp"

namespace ferr::core {

BackgroundLoop::BackgroundLoop() : work_(context_.get_executor()) {
  thread_ = std::thread([this] { context_.run(); });
}

void BackgroundLoop::stop() {
  if (!thread_.joinable()) return;
  context_.stop();
  thread_.join();
}

}  // namespace ferr::core
