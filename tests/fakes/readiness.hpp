#pragma once
// ReadinessCheck in memory: ready unless a failure is injected through its hooks (a database
// that does not answer, a schema that is not current).

#include <mutex>

#include "domain/readiness.hpp"
#include "fakes/hooks.hpp"

namespace ferr::fakes {

class FakeReadinessCheck final : public domain::ReadinessCheck {
 public:
  /// Counts, fails and holds calls; the one method is `check`.
  Hooks hooks;

  core::Task<core::Result<void>> check() override {
    auto ready = [] { return core::Result<void>{}; };
    co_return co_await hooks.call<void>("check", mutex_, ready);
  }

 private:
  std::mutex mutex_;
};

}  // namespace ferr::fakes
