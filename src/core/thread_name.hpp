#pragma once
/// Names the server's threads, so that `top -H`, `perf` and /proc/<pid>/task/*/comm tell the
/// I/O threads from the SQLite writer or the password hashers.

#include <string>
#include <string_view>
#include <thread>

namespace ferr::core {

/// Longest name the kernel keeps (16 bytes with the terminating NUL).
inline constexpr std::size_t kMaxThreadName = 15;

/// Names the calling thread; a longer name is cut to kMaxThreadName bytes.
void name_this_thread(std::string_view name);
/// Names `thread` from the thread that started it, so the name is in place before the caller
/// goes on (the thread naming itself would race with whoever looks).
void name_thread(std::thread& thread, std::string_view name);
/// The calling thread's name.
std::string this_thread_name();

}  // namespace ferr::core
