#pragma once
/// The `Idempotency-Key` rules of api.md: the first response is kept 24 hours per (user, key); a
/// retry with the same request gets it again without running; the same key with a different
/// request is refused.

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/task.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/idempotency/idempotency_store.hpp"

namespace ferr::domain::idempotency {

/// How long a response is kept for replays.
inline constexpr std::chrono::hours kKeepFor{24};
/// An in-flight entry older than this belongs to a request that died (crash, lost connection to
/// the database); a retry may take the key over. Longer than any request may run.
inline constexpr std::chrono::minutes kAbandonedAfter{2};

/// 1–255 printable ASCII characters.
bool is_valid_key(std::string_view key);

/// What to do with a request that carries a key.
enum class Decision {
  run,         ///< the key is ours: run the request, then complete() or release()
  replay,      ///< answer with the stored response
  key_reused,  ///< 422 IDEMPOTENCY_KEY_REUSED: the key belongs to a different request
  in_flight,   ///< the same request is running elsewhere: ask again shortly
};

struct Claim {
  Decision decision = Decision::run;
  StoredResponse stored;  ///< for replay
};

class Idempotency {
 public:
  /// `accounts` checks the caller's session before a key is claimed for it.
  Idempotency(IdempotencyStore& store, accounts::AccountRepository& accounts,
              const core::Clock& clock)
      : store_(store), accounts_(accounts), clock_(clock) {}

  /// Decides for (caller, key) and the request's `fingerprint`; AUTH_UNAUTHORIZED when the
  /// caller's session is not live (nothing is stored for it).
  core::Task<core::Result<Claim>> claim(const accounts::Principal& caller, const std::string& key,
                                        const std::string& fingerprint);
  core::Task<core::Result<void>> complete(const core::UserId& user, const std::string& key,
                                          const StoredResponse& response) {
    return store_.complete(user, key, response);
  }
  core::Task<core::Result<void>> release(const core::UserId& user, const std::string& key) {
    return store_.release(user, key);
  }

 private:
  IdempotencyStore& store_;
  accounts::AccountRepository& accounts_;
  const core::Clock& clock_;
};

}  // namespace ferr::domain::idempotency
