#include "domain/telemetry/statistics.hpp"

#include <chrono>
#include <map>

#include "core/time_format.hpp"
#include "core/try.hpp"

namespace ferr::domain::telemetry {

namespace tel = ::ferr::telemetry;

core::Task<core::Result<DailyStatistics>> TelemetryStatistics::daily(int days) {
  auto today = std::chrono::floor<std::chrono::days>(clock_.now());
  DailyStatistics out{.first_day = today - std::chrono::days(days - 1), .days = days};
  FERR_CO_TRY(auto counts,
              co_await store_.daily_counts(core::TimePoint(out.first_day),
                                           core::TimePoint(today + std::chrono::days(1))));
  // Every series starts at 0 for every day; the cells overwrite the days that have events.
  std::map<std::string, std::size_t, std::less<>> day_index;
  for (int i = 0; i < days; ++i)
    day_index.emplace(core::format_date(out.first_day + std::chrono::days(i)),
                      static_cast<std::size_t>(i));
  out.series.reserve(tel::kEvents.size());
  for (const auto& event : tel::kEvents)
    out.series.push_back({&event, std::vector<std::optional<std::int64_t>>(
                                      static_cast<std::size_t>(days), std::int64_t{0})});
  out.cells.reserve(counts.size());
  for (const auto& c : counts) {
    const auto* event = tel::find_event(c.event);
    if (event == nullptr) continue;  // not in this binary's catalog: nothing to say about it
    DailyCell cell{c.day, c.event, std::nullopt};
    if (publishable(*event, c, k_)) cell.count = c.count;
    if (auto day = day_index.find(c.day); day != day_index.end())
      out.series[static_cast<std::size_t>(event - tel::kEvents.data())].counts[day->second] =
          cell.count;
    out.cells.push_back(std::move(cell));
  }
  co_return out;
}

core::Task<core::Result<std::vector<RecentCounts>>> TelemetryStatistics::recent() {
  auto now = clock_.now();
  FERR_CO_TRY(auto day, co_await store_.counts_since(now - std::chrono::hours(24)));
  FERR_CO_TRY(auto week, co_await store_.counts_since(now - std::chrono::days(7)));
  std::map<std::string, EventCount, std::less<>> by_day, by_week;
  for (auto& c : day) by_day.emplace(c.event, c);
  for (auto& c : week) by_week.emplace(c.event, c);
  auto published = [&](const tel::Event& event,
                       const std::map<std::string, EventCount, std::less<>>& counts)
      -> std::optional<std::int64_t> {
    auto found = counts.find(event.name);
    if (found == counts.end()) return 0;
    const auto& c = found->second;
    if (!publishable(event, c, k_)) return std::nullopt;
    return c.count;
  };
  std::vector<RecentCounts> out;
  out.reserve(tel::kEvents.size());
  for (const auto& event : tel::kEvents)
    out.push_back({&event, published(event, by_day), published(event, by_week)});
  co_return out;
}

}  // namespace ferr::domain::telemetry
