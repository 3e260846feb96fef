#pragma once
// What the contract suites share: a fresh backend per test, a manual clock, deterministic ids,
// accounts made through the AccountRepository, and audit rows stamped now.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "contract/backends.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/uuid.hpp"
#include "domain/orgs/organization.hpp"

namespace ferr::contract {

/// Success when `result` failed with `code`; otherwise says what happened instead.
template <typename T>
::testing::AssertionResult fails_with(const core::Result<T>& result, core::ErrorCode code) {
  if (result)
    return ::testing::AssertionFailure() << "succeeded, expected " << core::wire_name(code);
  if (result.error().code != code)
    return ::testing::AssertionFailure()
           << "failed with " << core::wire_name(result.error().code) << " ("
           << result.error().message << result.error().log_detail << "), expected "
           << core::wire_name(code);
  return ::testing::AssertionSuccess();
}

class ContractTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override { backend_ = GetParam().make(); }

  core::TimePoint now() const { return clock_.now(); }

  /// A UUIDv7 stamped now; the same seed at the same time gives the same id.
  core::Uuid id(std::uint64_t seed) const {
    core::SeededRandom random(seed);
    return core::Uuid::v7(clock_, random);
  }
  /// A new id on every call, from a deterministic sequence of seeds.
  core::Uuid next_id() { return id(next_seed_++); }

  /// A registered account that was never activated.
  core::Uuid pending_user(const std::string& email,
                          const std::optional<std::string>& display_name = std::nullopt) {
    auto reg = backend_->accounts().register_account(email, "hash", display_name, next_id(), now());
    EXPECT_TRUE(reg) << reg.error().log_detail;
    return reg ? reg->second : core::Uuid{};
  }
  /// A registered and activated account.
  core::Uuid active_user(const std::string& email,
                         const std::optional<std::string>& display_name = std::nullopt) {
    auto user = pending_user(email, display_name);
    EXPECT_TRUE(backend_->accounts().activate(user, now()).value_or(false)) << email;
    return user;
  }

  /// An audit row made now by `actor`, with a new id.
  domain::orgs::AuditRecord audit(const core::Uuid& actor, std::string action, std::string target,
                                  std::string metadata = "{}") {
    return domain::orgs::AuditRecord{
        next_id(), actor, std::move(action), std::move(target), std::move(metadata), now()};
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  std::unique_ptr<Backend> backend_;
  std::uint64_t next_seed_ = 1;
};

}  // namespace ferr::contract
