#include "core/log_sink.hpp"

#include <unistd.h>

#include <cerrno>

#include "core/log.hpp"
#include "core/thread_name.hpp"

namespace ferr::core::log {
namespace {

/// Writes all of `text`, unless the descriptor is closed or broken: then the rest is dropped
/// rather than retried forever.
void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

BackgroundFdSink::BackgroundFdSink(int fd, Limits limits)
    : fd_(fd), limits_(limits), writer_([this] { run(); }) {
  name_thread(writer_, "ferr-log");
}

BackgroundFdSink::~BackgroundFdSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

void BackgroundFdSink::log(const spdlog::details::log_msg& msg) {
  const std::size_t size = msg.payload.size() + 1;
  std::lock_guard lock(mutex_);
  if (gathered_.size() + size > limits_.max_gathered) {
    ++dropped_;
    ++unreported_drops_;
    return;
  }
  gathered_.append(msg.payload.data(), msg.payload.size());
  gathered_.push_back('\n');
  gathered_total_ += size;
  if (msg.level >= spdlog::level::warn || gathered_.size() >= limits_.write_at) {
    urgent_ = true;
    wake_.notify_one();
  }
}

void BackgroundFdSink::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = gathered_total_;
  if (written_total_ >= target) return;
  urgent_ = true;
  wake_.notify_one();
  written_.wait(lock, [&] { return written_total_ >= target; });
}

std::uint64_t BackgroundFdSink::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void BackgroundFdSink::run() {
  std::unique_lock lock(mutex_);
  std::string batch;
  for (;;) {
    wake_.wait_for(lock, limits_.every, [&] { return stopping_ || urgent_; });
    urgent_ = false;
    if (unreported_drops_ > 0) {
      // Straight into the gathered text: through the logger it would come back to this sink.
      const std::string notice =
          format_line(Level::warn, "log lines dropped: the log's reader fell behind",
                      {{"count", unreported_drops_}});
      gathered_ += notice;
      gathered_.push_back('\n');
      gathered_total_ += notice.size() + 1;
      unreported_drops_ = 0;
    }
    if (!gathered_.empty()) {
      batch.swap(gathered_);
      const std::uint64_t upto = gathered_total_;
      lock.unlock();
      write_all(fd_, batch);
      batch.clear();
      lock.lock();
      written_total_ = upto;
      written_.notify_all();
    }
    if (stopping_ && gathered_.empty()) return;
  }
}

}  // namespace ferr::core::log
