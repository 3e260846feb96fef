#include "core/blocking_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <barrier>
#include <memory>
#include <string>

#include "core/thread_name.hpp"

namespace ferr::core {

BlockingPool::BlockingPool(std::size_t threads, std::string_view name, int nice)
    : pool_(threads), size_(threads) {
  // One task per worker, held at a barrier until every worker has one, so each thread names
  // itself and lowers its own priority exactly once (both are per thread on Linux).
  // The barrier is shared: a worker may still be leaving it after this constructor returns.
  auto all_started = std::make_shared<std::barrier<>>(static_cast<std::ptrdiff_t>(threads + 1));
  for (std::size_t i = 0; i < threads; ++i) {
    boost::asio::post(pool_, [all_started, name = std::string(name), nice] {
      name_this_thread(name);
      if (nice > 0) setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice);
      all_started->arrive_and_wait();
    });
  }
  all_started->arrive_and_wait();
}

}  // namespace ferr::core
