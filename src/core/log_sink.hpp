#pragma once
/// Where the log's lines go: gathered in memory and written to a file descriptor (stderr) by a
/// thread of the sink's own, so that no thread that logs, an I/O thread least of all, ever
/// waits on the descriptor: not on a disk, not on a pipe whose reader (journald, a container
/// runtime) has fallen behind.
///
/// The writer writes when `write_at` bytes are gathered, at once for a warning or an error, and
/// at least every `every` otherwise. If the descriptor takes nothing for long enough that
/// `max_gathered` bytes wait, further lines are dropped and counted, and a warning line with
/// the count is written once the descriptor takes bytes again.

#include <spdlog/sinks/sink.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace ferr::core::log {

/// When a BackgroundFdSink writes, and how much it holds back.
struct FdSinkLimits {
  std::size_t write_at = std::size_t{32} << 10;     ///< a write(2) per this many bytes
  std::size_t max_gathered = std::size_t{8} << 20;  ///< beyond it lines are dropped
  std::chrono::milliseconds every{1000};            ///< the longest a line waits
};

class BackgroundFdSink final : public spdlog::sinks::sink {
 public:
  using Limits = FdSinkLimits;

  /// Writes to `fd`, which the sink neither owns nor closes.
  explicit BackgroundFdSink(int fd, Limits limits = {});
  /// Writes what is gathered, then ends the writer's thread.
  ~BackgroundFdSink() override;
  BackgroundFdSink(const BackgroundFdSink&) = delete;
  BackgroundFdSink& operator=(const BackgroundFdSink&) = delete;

  /// Gathers the line (its text is the message as formatted by core::log); never blocks on `fd`.
  void log(const spdlog::details::log_msg& msg) override;
  /// Returns once every line gathered before the call has been written.
  void flush() override;
  // Lines arrive formatted: there is no pattern to apply.
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}

  /// Lines dropped so far because `max_gathered` bytes were waiting.
  std::uint64_t dropped() const;

 private:
  void run();

  const int fd_;
  const Limits limits_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;     ///< the writer: something to write, or stop
  std::condition_variable written_;  ///< flush(): more was written
  std::string gathered_;
  std::uint64_t gathered_total_ = 0;  ///< bytes ever gathered
  std::uint64_t written_total_ = 0;   ///< of those, bytes written (or lost to a closed fd)
  std::uint64_t dropped_ = 0;
  std::uint64_t unreported_drops_ = 0;
  bool urgent_ = false;
  bool stopping_ = false;
  std::thread writer_;  ///< last: starts once everything above is ready
};

}  // namespace ferr::core::log
