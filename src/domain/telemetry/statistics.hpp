#pragma once
/// The public statistics (telemetry.md §6): daily counts per event and the live counts of the
/// /telemetry pages, with k-anonymity: a count whose distinct subjects (orgs or users, per the
/// event's subject in the catalog) number fewer than k is withheld, so no small group can be
/// singled out.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "telemetry/catalog.hpp"

namespace ferr::domain::telemetry {

/// One cell of the daily table; `count` is nullopt when suppressed.
struct DailyCell {
  std::string date;  ///< YYYY-MM-DD
  std::string event;
  std::optional<std::int64_t> count;
};

/// One catalog event's counts for every day of a window, oldest first: 0 for a day without
/// events, nullopt for a day withheld by the k rule (never drawn or summed as 0).
struct DailySeries {
  const ::ferr::telemetry::Event* event = nullptr;
  std::vector<std::optional<std::int64_t>> counts;
};

/// The public daily counts of a window of whole UTC days, today included.
struct DailyStatistics {
  std::chrono::sys_days first_day;  ///< the day of every series' counts[0]
  int days = 0;                     ///< the window's length; every series has this many counts
  std::vector<DailyCell> cells;     ///< the days that have events, by day then event
  std::vector<DailySeries> series;  ///< every catalog event, in catalog order
};

/// The live counts of one catalog event; nullopt when suppressed.
struct RecentCounts {
  const ::ferr::telemetry::Event* event = nullptr;
  std::optional<std::int64_t> last_24h;
  std::optional<std::int64_t> last_7d;
};

/// Whether `counts` (a DayCount or an EventCount) may be published: zero always may, events
/// without a subject always may, others need at least `k` distinct subjects. The counts travel as
/// their struct, named members and all: two distinct counts in a row are too easily swapped.
template <class Counts>
bool publishable(const ::ferr::telemetry::Event& event, const Counts& counts, int k) {
  if (counts.count == 0) return true;
  switch (event.subject) {
    case ::ferr::telemetry::Subject::org: return counts.distinct_orgs >= k;
    case ::ferr::telemetry::Subject::user: return counts.distinct_users >= k;
    case ::ferr::telemetry::Subject::none: return true;  // nothing pseudonymous to single out
  }
  return false;
}

class TelemetryStatistics {
 public:
  TelemetryStatistics(TelemetryStore& store, const core::Clock& clock, int k)
      : store_(store), clock_(clock), k_(k) {}

  /// The last `days` UTC days, today included: one cell per day and event that has events, and
  /// the same counts as one series per catalog event (the charts of the page).
  core::Task<core::Result<DailyStatistics>> daily(int days);
  /// Every catalog event, in catalog order, with its counts over the last 24 hours and 7 days.
  core::Task<core::Result<std::vector<RecentCounts>>> recent();
  int k() const { return k_; }

 private:
  TelemetryStore& store_;
  const core::Clock& clock_;
  int k_;
};

}  // namespace ferr::domain::telemetry
