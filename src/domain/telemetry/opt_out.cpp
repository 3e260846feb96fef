#include "domain/telemetry/opt_out.hpp"

#include <algorithm>

namespace ferr::domain::telemetry {

bool suppressed_by_opt_out(const OptOutState& state, core::TimePoint occurred_at) {
  // A change at the very millisecond of the event does not suppress it: an opt-in followed by an
  // event within the same millisecond stays (an opt-out suppresses it by the flag anyway).
  return state.opted_out || (state.changed_at && *state.changed_at > occurred_at);
}

std::vector<OptOutKey> subjects_of(std::span<const ServerRow> batch) {
  std::vector<OptOutKey> subjects;
  subjects.reserve(batch.size());
  for (const ServerRow& row : batch) subjects.emplace_back(row.subject, row.subject_id);
  std::ranges::sort(subjects);
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  return subjects;
}

std::vector<std::size_t> rows_to_store(std::span<const ServerRow> batch,
                                       const OptOutStates& states) {
  static const OptOutState kNeverSet;
  std::vector<std::size_t> kept;
  kept.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto state = states.find({batch[i].subject, batch[i].subject_id});
    const OptOutState& current = state == states.end() ? kNeverSet : state->second;
    if (!suppressed_by_opt_out(current, batch[i].row.occurred_at)) kept.push_back(i);
  }
  return kept;
}

}  // namespace ferr::domain::telemetry
