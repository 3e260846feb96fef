#pragma once
/// The opt-out rule of server events (telemetry.md §3), written once for both storage backends:
/// they read each subject's stored state inside the writing transaction and ask this rule which
/// rows to store.

#include <map>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/uuid.hpp"
#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::domain::telemetry {

/// A subject's opt-out as stored: the flag, and when it last changed value.
struct OptOutState {
  bool opted_out = false;
  std::optional<core::TimePoint> changed_at;  ///< nullopt: never changed (still the default)
};

/// Whose flag: `organizations` for org events, `user_prefs` for user events.
using OptOutKey = std::pair<OptOutSubject, core::Uuid>;
/// The stored states of some subjects; a subject without a stored row is absent (opted in,
/// never changed).
using OptOutStates = std::map<OptOutKey, OptOutState>;

/// Whether a server event that occurred at `occurred_at` must not be stored: its subject is
/// opted out now, or its flag changed value after the event occurred. The second case is an
/// event that waited in the queue while its subject opted out and back in; it was emitted while
/// opted out (or cannot be told apart from one that was), so it is dropped.
bool suppressed_by_opt_out(const OptOutState& state, core::TimePoint occurred_at);

/// The distinct subjects of `batch`, in the order of OptOutKey.
std::vector<OptOutKey> subjects_of(std::span<const ServerRow> batch);

/// The indexes of the rows of `batch` to store, in batch order, given the stored states of its
/// subjects.
std::vector<std::size_t> rows_to_store(std::span<const ServerRow> batch,
                                       const OptOutStates& states);

}  // namespace ferr::domain::telemetry
