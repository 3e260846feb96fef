#include "core/write_all.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <string>

namespace ferr::core {
namespace {

TEST(WriteAll, WritesEveryByteInOrder) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text = "first line\nsecond line\n";
  EXPECT_EQ(write_all(fds[1], text), 0);
  ::close(fds[1]);
  std::string got;
  char buffer[64];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
    got.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  EXPECT_EQ(got, text);
}

TEST(WriteAll, ReportsTheErrnoOfAFailedWrite) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);  // nobody reads: the write fails with EPIPE (SIGPIPE ignored for the test)
  auto* previous = std::signal(SIGPIPE, SIG_IGN);
  EXPECT_EQ(write_all(fds[1], "lost"), EPIPE);
  std::signal(SIGPIPE, previous);
  ::close(fds[1]);
  EXPECT_EQ(write_all(-1, "nowhere"), EBADF);
}

}  // namespace
}  // namespace ferr::core
