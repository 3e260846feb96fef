#include "fakes/hooks.hpp"

namespace ferr::fakes {

void Hooks::fail_next(core::Error error, std::string method, int times) {
  if (times <= 0) return;
  std::lock_guard lock(mutex_);
  failures_.push_back({std::move(error), std::move(method), times});
}

void Hooks::fail_always(core::Error error, std::string method) {
  std::lock_guard lock(mutex_);
  failures_.push_back({std::move(error), std::move(method), 0});
}

void Hooks::clear_failures() {
  std::lock_guard lock(mutex_);
  failures_.clear();
}

int Hooks::calls(std::string_view method) const {
  std::lock_guard lock(mutex_);
  if (method.empty()) {
    int total = 0;
    for (const auto& [name, count] : calls_) total += count;
    return total;
  }
  auto found = calls_.find(method);
  return found == calls_.end() ? 0 : found->second;
}

void Hooks::hold(std::string method) {
  std::lock_guard lock(mutex_);
  holding_ = std::move(method);
}

void Hooks::release() {
  std::vector<std::shared_ptr<Gate>> gates;
  {
    std::lock_guard lock(mutex_);
    holding_.reset();
    gates.swap(held_);
  }
  held_changed_.notify_all();
  // Outside the lock: a gate resumes its call on the call's own executor.
  for (auto& gate : gates) gate->set(true);
}

void Hooks::wait_until_held(std::size_t count) {
  std::unique_lock lock(mutex_);
  held_changed_.wait(lock, [&] { return held_.size() >= count; });
}

std::size_t Hooks::held() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

std::vector<std::thread::id> Hooks::threads(std::string_view method) const {
  std::lock_guard lock(mutex_);
  auto found = threads_.find(method);
  return found == threads_.end() ? std::vector<std::thread::id>{} : found->second;
}

Hooks::Entry Hooks::enter(std::string_view method) {
  Entry entry;
  {
    std::lock_guard lock(mutex_);
    ++calls_[std::string(method)];
    threads_[std::string(method)].push_back(std::this_thread::get_id());
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (!matches(it->method, method)) continue;
      entry.failure = it->error;
      if (it->times > 0 && --it->times == 0) failures_.erase(it);
      break;
    }
    if (holding_ && matches(*holding_, method)) {
      entry.hold = std::make_shared<Gate>();
      held_.push_back(entry.hold);
    }
  }
  if (entry.hold) held_changed_.notify_all();
  return entry;
}

}  // namespace ferr::fakes
