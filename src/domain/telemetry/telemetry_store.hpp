#pragma once
/// Storage of telemetry: raw events, the opt-out flags they are checked against, the hourly
/// counts the statistics read (hourly_counts.hpp, kept in the transactions that write and erase
/// events), and the daily rollups that outlive the raw rows.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/task.hpp"
#include "domain/telemetry/event_row.hpp"

namespace ferr::domain::telemetry {

/// Whose opt-out flag decides whether a server event is written.
enum class OptOutSubject { org, user };

/// A server-side event ready to write: its row (pseudonyms already computed) and the raw id of
/// the subject whose flag is consulted (`organizations` or `user_prefs`).
struct ServerRow {
  EventRow row;
  OptOutSubject subject = OptOutSubject::org;
  core::Uuid subject_id;
};

/// What writing a batch of server events did.
struct ServerWrite {
  std::size_t written = 0;
  std::size_t opted_out = 0;  ///< suppressed by their subject's opt-out (opt_out.hpp)
};

/// Events of one UTC day, from its hourly counts or from the day's rollup. For a day still raw,
/// the distinct counts are those of the cells' evidence united: exact below the evidence cap k,
/// k when there are at least k.
struct DayCount {
  std::string day;  ///< YYYY-MM-DD
  std::string event;
  std::int64_t count = 0;
  std::int64_t distinct_orgs = 0;
  std::int64_t distinct_users = 0;
};

/// Events of one kind over a window of hourly counts (distinct counts as in DayCount).
struct EventCount {
  std::string event;
  std::int64_t count = 0;
  std::int64_t distinct_orgs = 0;
  std::int64_t distinct_users = 0;
};

/// What one retention pass did.
struct Expiry {
  std::size_t days_rolled_up = 0;  ///< days whose rollup was (re)computed
  std::size_t rows_deleted = 0;    ///< raw rows removed
};

class TelemetryStore {
 public:
  virtual ~TelemetryStore() = default;

  /// In one transaction: reads the opt-out state of the batch's subjects (so a change is
  /// effective for the next batch) and inserts the rows that domain/telemetry/opt_out.hpp's
  /// rows_to_store keeps.
  virtual core::Task<core::Result<ServerWrite>> write_server_events(
      std::span<const ServerRow> batch) = 0;
  /// In one transaction: inserts every row unless its `event_id` is already stored (or appears
  /// earlier in `rows`). Element i of the answer is true when row i was inserted, false for a
  /// duplicate.
  virtual core::Task<core::Result<std::vector<bool>>> write_ingested(
      std::span<const EventRow> rows) = 0;
  /// In one transaction: computes the `telemetry_daily` rollup of every UTC day before `before`
  /// (a UTC midnight) that still has raw rows, then deletes those rows and their hourly counts.
  virtual core::Task<core::Result<Expiry>> expire_before(core::TimePoint before) = 0;

  /// Per UTC day and event, for the days from `from` up to `to` (both UTC midnights, `to`
  /// excluded): hourly counts and rollups together (a day is one or the other), by day then
  /// event. Its cost depends on the number of cells, not of raw rows.
  virtual core::Task<core::Result<std::vector<DayCount>>> daily_counts(core::TimePoint from,
                                                                       core::TimePoint to) = 0;
  /// The raw rows linked to a person: whose `user_hash`, or whose `actor_hash` property, is
  /// `pseudonym`; by occurred_at then id.
  virtual core::Task<core::Result<std::vector<EventRow>>> rows_of_pseudonym(
      const std::string& pseudonym) = 0;
  /// Deletes the rows rows_of_pseudonym shows (an erased account's) and recounts the hourly cells
  /// they were counted in from the rows that stay; returns how many rows it deleted.
  virtual core::Task<core::Result<std::int64_t>> delete_rows_of_pseudonym(
      const std::string& pseudonym) = 0;
  /// Per event, over the hourly counts from the start of the hour holding `since` (whole hours:
  /// up to an hour more than asked).
  virtual core::Task<core::Result<std::vector<EventCount>>> counts_since(core::TimePoint since) = 0;
};

}  // namespace ferr::domain::telemetry
