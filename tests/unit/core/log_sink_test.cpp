#include "core/log_sink.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

namespace ferr::core::log {
namespace {

using namespace std::chrono_literals;

/// A pipe whose read end the test reads and whose write end the sink writes.
struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    ::close(read_end);
    ::close(write_end);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  /// Everything the pipe holds now, without waiting.
  std::string drain() const {
    set_nonblocking(read_end, true);
    std::string out;
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::read(read_end, buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    set_nonblocking(read_end, false);
    return out;
  }
  /// Waits for the next bytes the pipe receives.
  std::string read_some() const {
    char buffer[65536];
    const ssize_t n = ::read(read_end, buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }
  /// Fills the pipe's buffer to the brim; returns how many bytes it took.
  std::size_t fill() const {
    set_nonblocking(write_end, true);
    const std::string chunk(4096, 'f');
    std::size_t total = 0;
    for (;;) {
      const ssize_t n = ::write(write_end, chunk.data(), chunk.size());
      if (n <= 0) break;
      total += static_cast<std::size_t>(n);
    }
    set_nonblocking(write_end, false);
    return total;
  }

  static void set_nonblocking(int fd, bool on) {
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK));
  }
};

void log_line(BackgroundFdSink& sink, spdlog::level::level_enum level, std::string_view text) {
  sink.log(spdlog::details::log_msg("test", level, text));
}

/// No timer in the way: only the thresholds, a warning, flush() and the end write.
constexpr BackgroundFdSink::Limits kNoTimer{std::size_t{32} << 10, std::size_t{8} << 20, 1h};

TEST(BackgroundFdSink, GathersInfoLinesUntilFlushThenWritesThemInOrder) {
  Pipe pipe;
  BackgroundFdSink sink(pipe.write_end, kNoTimer);
  log_line(sink, spdlog::level::info, "first");
  log_line(sink, spdlog::level::info, "second");
  EXPECT_EQ(pipe.drain(), "");
  sink.flush();
  EXPECT_EQ(pipe.drain(), "first\nsecond\n");
}

TEST(BackgroundFdSink, AWarningIsWrittenWithoutAFlush) {
  Pipe pipe;
  BackgroundFdSink sink(pipe.write_end, kNoTimer);
  log_line(sink, spdlog::level::info, "context");
  log_line(sink, spdlog::level::warn, "trouble");
  EXPECT_EQ(pipe.read_some(), "context\ntrouble\n");  // waits for the writer, however long
}

TEST(BackgroundFdSink, AFullBatchIsWrittenWithoutAFlush) {
  Pipe pipe;
  BackgroundFdSink sink(pipe.write_end, {64, std::size_t{1} << 20, 1h});
  const std::string line(40, 'a');
  log_line(sink, spdlog::level::info, line);
  EXPECT_EQ(pipe.drain(), "");
  log_line(sink, spdlog::level::info, line);  // 82 bytes: past 64
  std::string got;
  while (got.size() < 82) got += pipe.read_some();
  EXPECT_EQ(got, line + "\n" + line + "\n");
}

TEST(BackgroundFdSink, TheLastLinesAreWrittenWhenTheSinkEnds) {
  Pipe pipe;
  {
    BackgroundFdSink sink(pipe.write_end, kNoTimer);
    log_line(sink, spdlog::level::info, "last words");
  }
  EXPECT_EQ(pipe.drain(), "last words\n");
}

TEST(BackgroundFdSink, ItsWriterThreadIsNamed) {
  Pipe pipe;
  BackgroundFdSink sink(pipe.write_end, kNoTimer);
  int named = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    named += name == "ferr-log" ? 1 : 0;
  }
  EXPECT_EQ(named, 1);
}

TEST(BackgroundFdSink, AReaderThatFellBehindCostsLinesNotWaits) {
  Pipe pipe;
  const std::size_t capacity = pipe.fill();
  ASSERT_GT(capacity, 0u);
  BackgroundFdSink sink(pipe.write_end, {64, 1024, 1h});
  // The writer blocks on the full pipe with the first batch; the logging thread goes on.
  const std::string line(99, 'x');
  for (int i = 0; i < 200; ++i) log_line(sink, spdlog::level::info, line);
  EXPECT_GT(sink.dropped(), 150u);
  EXPECT_LT(sink.dropped(), 200u);

  // The reader catches up: what was kept arrives, then a warning that counts what was not.
  std::string got;
  std::size_t filler = 0;
  while (filler < capacity) {
    std::string chunk = pipe.read_some();
    const std::size_t f = std::min(chunk.size(), capacity - filler);
    filler += f;
    got += chunk.substr(f);
  }
  sink.flush();
  got += pipe.drain();
  const auto kept = static_cast<std::size_t>(200 - sink.dropped());
  EXPECT_EQ(got.substr(0, kept * 100), [&] {
    std::string expected;
    for (std::size_t i = 0; i < kept; ++i) expected += line + "\n";
    return expected;
  }());
  const std::string notice = got.substr(kept * 100);
  EXPECT_NE(notice.find("\"level\":\"warn\""), std::string::npos) << notice;
  EXPECT_NE(notice.find("\"count\":" + std::to_string(sink.dropped())), std::string::npos)
      << notice;
}

}  // namespace
}  // namespace ferr::core::log
