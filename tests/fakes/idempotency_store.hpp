#pragma once
// IdempotencyStore in memory, with the contract of the real ones: a claim forgets expired
// entries, takes over abandoned in-flight ones and otherwise inserts unless the key is held.
// The arguments of the last call of each method are kept for the tests that check them.

#include <optional>
#include <string>

#include "domain/idempotency/idempotency_store.hpp"
#include "fakes/database.hpp"
#include "fakes/hooks.hpp"

namespace ferr::fakes {

class FakeIdempotencyStore final : public domain::idempotency::IdempotencyStore {
 public:
  explicit FakeIdempotencyStore(Database& db) : db_(db) {}

  struct ClaimCall {
    core::UserId user;
    std::string key;
    std::string fingerprint;
    core::TimePoint now, expired_before, abandoned_before;
  };
  struct CompleteCall {
    core::UserId user;
    std::string key;
    domain::idempotency::StoredResponse response;
  };
  struct ReleaseCall {
    core::UserId user;
    std::string key;
  };

  /// Counts, fails and holds calls; method names are those of the interface.
  Hooks hooks;
  /// The arguments of the last call of each method that reached the store (an injected failure
  /// does not); read them once the calls are done.
  std::optional<ClaimCall> last_claim;
  std::optional<CompleteCall> last_complete;
  std::optional<ReleaseCall> last_release;

  core::Task<core::Result<domain::idempotency::Entry>> claim(
      const core::UserId& user, const std::string& key, const std::string& fingerprint,
      const domain::idempotency::ClaimTimes& times) override;
  core::Task<core::Result<void>> complete(
      const core::UserId& user, const std::string& key,
      const domain::idempotency::StoredResponse& response) override;
  core::Task<core::Result<void>> release(const core::UserId& user, const std::string& key) override;

 private:
  Database& db_;
};

}  // namespace ferr::fakes
