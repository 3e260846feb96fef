#include "core/thread_name.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/blocking_pool.hpp"

namespace ferr::core {
namespace {

// Each check runs on a thread of its own: the test runner's main thread keeps its name.
std::string name_given_on_a_new_thread(std::string_view name) {
  std::string seen;
  std::thread([&] {
    name_this_thread(name);
    seen = this_thread_name();
  }).join();
  return seen;
}

TEST(ThreadName, NamesTheCallingThread) {
  EXPECT_EQ(name_given_on_a_new_thread("ferr-io-0"), "ferr-io-0");
}

TEST(ThreadName, AThreadIsNamedByTheOneThatStartedIt) {
  std::mutex mutex;
  std::condition_variable named;
  bool go = false;
  std::string seen;
  std::thread worker([&] {
    std::unique_lock lock(mutex);
    named.wait(lock, [&] { return go; });
    seen = this_thread_name();
  });
  name_thread(worker, "ferr-mail");
  {
    std::lock_guard lock(mutex);
    go = true;
  }
  named.notify_all();
  worker.join();
  EXPECT_EQ(seen, "ferr-mail");
}

TEST(ThreadName, ALongNameIsCutToWhatTheKernelKeeps) {
  EXPECT_EQ(name_given_on_a_new_thread("ferr-a-name-far-too-long"), "ferr-a-name-far");
  EXPECT_EQ(std::string("ferr-a-name-far").size(), kMaxThreadName);
}

TEST(ThreadName, EveryWorkerOfABlockingPoolCarriesItsName) {
  BlockingPool pool(3, "ferr-test-pool");
  // More tasks than workers, each holding its worker until all three are busy, so every worker
  // runs one of the first three.
  std::mutex mutex;
  std::condition_variable all_busy;
  int busy = 0;
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    boost::asio::post(pool.executor(), [&] {
      std::unique_lock lock(mutex);
      names.push_back(this_thread_name());
      ++busy;
      all_busy.notify_all();
      all_busy.wait(lock, [&] { return busy == 3; });
    });
  }
  pool.join();
  ASSERT_EQ(names.size(), 3u);
  for (const auto& name : names) EXPECT_EQ(name, "ferr-test-pool");
}

}  // namespace
}  // namespace ferr::core
