#pragma once
/// Storage of `Idempotency-Key` entries: per (user, key), the fingerprint of the first request and,
/// once it finished, its response.

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/task.hpp"

namespace ferr::domain::idempotency {

/// A response kept for replays.
struct StoredResponse {
  int status = 0;
  std::string body;  ///< JSON text
};

/// An entry as it stands after a claim attempt.
struct Entry {
  bool claimed = false;                    ///< this attempt took the key: the request must run
  std::string fingerprint;                 ///< of the request that holds the key
  std::optional<StoredResponse> response;  ///< absent while that request is in flight
};

/// The instants of one claim, named: three time points in a row are too easily swapped.
struct ClaimTimes {
  core::TimePoint now;               ///< stamps a new entry
  core::TimePoint expired_before;    ///< entries created earlier are forgotten
  core::TimePoint abandoned_before;  ///< in-flight entries created earlier are taken over
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  /// In one transaction: forgets every entry created before `expired_before`; takes over an
  /// in-flight entry created before `abandoned_before` (its request died); otherwise inserts a
  /// new in-flight entry for (user, key) unless one exists. Returns the entry afterwards.
  virtual core::Task<core::Result<Entry>> claim(const core::UserId& user, const std::string& key,
                                                const std::string& fingerprint,
                                                const ClaimTimes& times) = 0;
  /// Records the response of the claimed request.
  virtual core::Task<core::Result<void>> complete(const core::UserId& user, const std::string& key,
                                                  const StoredResponse& response) = 0;
  /// Drops a claimed entry whose request produced no response worth keeping (a server error),
  /// so that a retry runs again.
  virtual core::Task<core::Result<void>> release(const core::UserId& user,
                                                 const std::string& key) = 0;
};

}  // namespace ferr::domain::idempotency
