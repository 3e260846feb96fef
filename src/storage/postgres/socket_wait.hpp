#pragma once
/// Waits, on the calling coroutine's executor, until libpq's socket is ready or a deadline passes.

#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace ferr::storage::postgres {

/// What to wait for.
enum class Interest { read, write, read_or_write };

/// How a wait ended.
enum class Readiness { readable, writable, timed_out, failed };

/// Waits for `fd` (owned by libpq, never closed here) to become ready for `interest`.
///
/// Each wait registers the descriptor afresh with the reactor of the current executor and
/// releases it afterwards: registration reports readiness that already exists (asio's
/// edge-triggered epoll would miss readiness that arrived while no wait was pending), the wait
/// works on any I/O thread the coroutine happens to run on, and a descriptor libpq replaced
/// while connecting is never stale. It costs two epoll_ctl calls per wait.
boost::asio::awaitable<Readiness> wait_for_socket(int fd, Interest interest,
                                                  std::chrono::steady_clock::time_point deadline);

}  // namespace ferr::storage::postgres
