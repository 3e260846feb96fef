#include "core/thread_name.hpp"

#include <pthread.h>

#include <algorithm>

namespace ferr::core {

namespace {
void set_name(pthread_t thread, std::string_view name) {
  const std::string cut(name.substr(0, std::min(name.size(), kMaxThreadName)));
  // Only fails for a name that is too long, which the cut rules out.
  pthread_setname_np(thread, cut.c_str());
}
}  // namespace

void name_this_thread(std::string_view name) { set_name(pthread_self(), name); }

void name_thread(std::thread& thread, std::string_view name) {
  set_name(thread.native_handle(), name);
}

std::string this_thread_name() {
  char name[kMaxThreadName + 1] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) return {};
  return name;
}

}  // namespace ferr::core
