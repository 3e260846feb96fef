#pragma once
// What the contract suites share: a fresh backend per test, a manual clock, deterministic ids,
// accounts and sessions made through the AccountRepository, audit rows stamped now, and `run`,
// which awaits a repository call from test code.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "contract/backends.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "core/uuid.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/organization.hpp"

namespace ferr::contract {

/// Awaits `task` from test code, which is not a coroutine: runs it to completion on the calling
/// thread (a race() call runs one on each of its threads).
template <typename T>
T run(core::Task<T> task) {
  return core::run_to_completion(std::move(task));
}

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

/// Success when `result` failed loudly over a stored value the code does not know: an internal
/// database error whose detail names the value.
template <typename T>
::testing::AssertionResult fails_on_unknown_value(const core::Result<T>& result,
                                                  const std::string& value) {
  auto failed = fails_with(result, core::ErrorCode::internal_database);
  if (!failed) return failed;
  if (result.error().log_detail.find(value) == std::string::npos)
    return ::testing::AssertionFailure()
           << "the detail does not name '" << value << "': " << result.error().log_detail;
  return ::testing::AssertionSuccess();
}

class ContractTest : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override { backend_ = GetParam().make(); }

  core::TimePoint now() const { return clock_.now(); }

  /// A UUIDv7 stamped now; the same seed at the same time gives the same id.
  core::Uuid uuid(std::uint64_t seed) const {
    core::SeededRandom random(seed);
    return core::Uuid::v7(clock_, random);
  }
  /// uuid(seed) as the id of a `Tag`.
  template <typename IdType>
  IdType id(std::uint64_t seed) const {
    return IdType{uuid(seed)};
  }
  /// A new id on every call, from a deterministic sequence of seeds.
  template <typename IdType>
  IdType next_id() {
    return IdType{uuid(next_seed_++)};
  }

  /// next_id for an untyped UUID (telemetry rows, which name no domain entity).
  core::Uuid next_uuid() { return uuid(next_seed_++); }

  /// A registered account that was never activated.
  core::UserId pending_user(const std::string& email,
                            const std::optional<std::string>& display_name = std::nullopt) {
    auto reg = run(backend_->accounts().register_account(email, "hash", display_name,
                                                         next_id<core::UserId>(), now()));
    EXPECT_TRUE(reg) << reg.error().log_detail;
    return reg ? reg->second : core::UserId{};
  }
  /// A registered and activated account.
  core::UserId active_user(const std::string& email,
                           const std::optional<std::string>& display_name = std::nullopt) {
    auto user = pending_user(email, display_name);
    EXPECT_TRUE(run(backend_->accounts().activate(user, now())).value_or(false)) << email;
    return user;
  }
  /// A new live session of `user`, as the principal of its access tokens.
  domain::accounts::Principal sign_in(const core::UserId& user) {
    auto session = next_id<core::SessionId>();
    auto created =
        run(backend_->accounts().create_session({session, user, "refresh-" + session.to_string(),
                                                 now() + std::chrono::hours(24), std::nullopt},
                                                now()));
    EXPECT_TRUE(created) << created.error().log_detail;
    return domain::accounts::Principal{user, session};
  }

  /// An audit row made now by `actor`, with a new id.
  domain::orgs::AuditRecord audit(const core::UserId& actor, std::string action, std::string target,
                                  std::string metadata = "{}") {
    return domain::orgs::AuditRecord{
        next_id<core::AuditEntryId>(), actor, std::move(action), std::move(target),
        std::move(metadata),           now()};
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  std::unique_ptr<Backend> backend_;
  std::uint64_t next_seed_ = 1;
};

}  // namespace ferr::contract
