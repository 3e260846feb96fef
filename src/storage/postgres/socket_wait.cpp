#include "storage/postgres/socket_wait.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;
using asio::experimental::make_parallel_group;
using asio::experimental::wait_for_one;

// A stream_descriptor over a socket that libpq owns: released, never closed, whatever way the
// scope is left (including the destruction of a suspended coroutine at shutdown).
class BorrowedDescriptor {
 public:
  BorrowedDescriptor(const asio::any_io_executor& executor, int fd) : descriptor_(executor, fd) {}
  ~BorrowedDescriptor() { descriptor_.release(); }
  BorrowedDescriptor(const BorrowedDescriptor&) = delete;
  BorrowedDescriptor& operator=(const BorrowedDescriptor&) = delete;

  asio::posix::stream_descriptor& get() { return descriptor_; }

 private:
  asio::posix::stream_descriptor descriptor_;
};

}  // namespace

asio::awaitable<Readiness> wait_for_socket(int fd, Interest interest,
                                           std::chrono::steady_clock::time_point deadline) {
  if (fd < 0) co_return Readiness::failed;
  auto executor = co_await asio::this_coro::executor;
  std::optional<BorrowedDescriptor> socket;
  try {
    socket.emplace(executor, fd);
  } catch (const std::exception&) {
    co_return Readiness::failed;  // the reactor refused the descriptor
  }
  asio::steady_timer timer(executor, deadline);
  auto& descriptor = socket->get();
  using Wait = asio::posix::stream_descriptor::wait_type;

  if (interest == Interest::read_or_write) {
    auto [order, read_ec, write_ec, timer_ec] =
        co_await make_parallel_group(descriptor.async_wait(Wait::wait_read, asio::deferred),
                                     descriptor.async_wait(Wait::wait_write, asio::deferred),
                                     timer.async_wait(asio::deferred))
            .async_wait(wait_for_one(), asio::use_awaitable);
    if (order[0] == 0) co_return read_ec ? Readiness::failed : Readiness::readable;
    if (order[0] == 1) co_return write_ec ? Readiness::failed : Readiness::writable;
    co_return Readiness::timed_out;
  }
  const bool reading = interest == Interest::read;
  auto [order, io_ec, timer_ec] =
      co_await make_parallel_group(
          descriptor.async_wait(reading ? Wait::wait_read : Wait::wait_write, asio::deferred),
          timer.async_wait(asio::deferred))
          .async_wait(wait_for_one(), asio::use_awaitable);
  if (order[0] == 1) co_return Readiness::timed_out;
  if (io_ec) co_return Readiness::failed;
  co_return reading ? Readiness::readable : Readiness::writable;
}

}  // namespace ferr::storage::postgres
