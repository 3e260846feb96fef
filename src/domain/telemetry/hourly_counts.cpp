#include "domain/telemetry/hourly_counts.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

namespace ferr::domain::telemetry {

std::int64_t hour_of(core::TimePoint t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  // Floor, not truncation: a time before the epoch belongs to the hour that starts before it.
  const std::int64_t remainder = ((ms % kHourMs) + kHourMs) % kHourMs;
  return ms - remainder;
}

void add_pseudonym(Evidence& into, const std::string& pseudonym, int cap) {
  auto at = std::ranges::lower_bound(into, pseudonym);
  if (at != into.end() && *at == pseudonym) return;
  if (std::cmp_greater_equal(into.size(), cap)) {
    if (into.empty() || pseudonym > into.back()) return;  // not among the `cap` smallest
    into.pop_back();
  }
  into.insert(at, pseudonym);
}

void add_evidence(Evidence& into, const Evidence& more, int cap) {
  for (const std::string& pseudonym : more) add_pseudonym(into, pseudonym, cap);
}

std::vector<HourlyDelta> hourly_deltas(std::span<const EventRow* const> rows, int cap) {
  std::map<std::pair<std::int64_t, std::string>, HourlyDelta> cells;
  for (const EventRow* row : rows) {
    const std::int64_t hour = hour_of(row->occurred_at);
    auto [at, added] = cells.try_emplace({hour, row->event});
    HourlyDelta& cell = at->second;
    if (added) {
      cell.hour = hour;
      cell.event = row->event;
    }
    ++cell.count;
    if (row->org_hash) add_pseudonym(cell.orgs, *row->org_hash, cap);
    if (row->user_hash) add_pseudonym(cell.users, *row->user_hash, cap);
  }
  std::vector<HourlyDelta> out;
  out.reserve(cells.size());
  for (auto& [key, cell] : cells) out.push_back(std::move(cell));
  return out;
}

}  // namespace ferr::domain::telemetry
