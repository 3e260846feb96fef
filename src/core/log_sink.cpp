#include "core/log_sink.hpp"

#include "core/log.hpp"
#include "core/thread_name.hpp"
#include "core/write_all.hpp"

namespace ferr::core::log {

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
      // A closed or broken descriptor loses the batch rather than stopping the writer.
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
