#pragma once
/// The hourly counts that the public statistics read instead of the raw events (telemetry.md §6,
/// issue 14 item 15), so that their cost does not grow with the raw volume.
///
/// One cell per UTC hour and event holds how many events were stored and, as evidence for
/// k-anonymity, the `cap` (= k) smallest distinct org pseudonyms and the `cap` smallest distinct
/// user pseudonyms of those events — never more. ("Smallest" makes a cell's content independent
/// of the order in which its events were written, on both backends.) That is enough to decide any
/// union of cells (a day, the last 24 hours, a week) exactly: if one cell holds `cap` distinct
/// pseudonyms the union has at least k; otherwise every cell holds all of its pseudonyms and their
/// union is the true set.
///
/// The stores keep the cells in the transaction that writes the rows: SQLite with the functions
/// below, PostgreSQL with the same rule written into its insert statement (the merge must happen
/// under the cell's row lock, in the statement, to cost no round trip); the contract suite holds
/// both to it.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "domain/telemetry/event_row.hpp"

namespace ferr::domain::telemetry {

/// Milliseconds in an hour: a cell's `hour` is a multiple of it (ms since the epoch, UTC).
inline constexpr std::int64_t kHourMs = 3'600'000;

/// The start of the UTC hour holding `t`, in ms since the epoch.
std::int64_t hour_of(core::TimePoint t);

/// Distinct pseudonyms, sorted, at most a cap of them.
using Evidence = std::vector<std::string>;

/// Makes `into` the `cap` smallest of `into` ∪ {pseudonym}; `into` is sorted and stays so.
void add_pseudonym(Evidence& into, const std::string& pseudonym, int cap);

/// Makes `into` the `cap` smallest of `into` ∪ `more`.
void add_evidence(Evidence& into, const Evidence& more, int cap);

/// What a batch of stored rows adds to one cell.
struct HourlyDelta {
  std::int64_t hour = 0;  ///< ms, a multiple of kHourMs
  std::string event;
  std::int64_t count = 0;
  Evidence orgs;   ///< at most cap
  Evidence users;  ///< at most cap
};

/// The deltas of `rows` (the rows actually stored), one per hour and event, ordered by hour then
/// event (the order in which a store locks the cells, so concurrent writers cannot deadlock).
std::vector<HourlyDelta> hourly_deltas(std::span<const EventRow* const> rows, int cap);

}  // namespace ferr::domain::telemetry
