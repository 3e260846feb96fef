#include "fakes/telemetry_store.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "domain/telemetry/hourly_counts.hpp"

namespace ferr::fakes {

using core::Result;
using core::Task;
using core::TimePoint;
namespace tel = domain::telemetry;

namespace {

/// count(*), count(DISTINCT org_hash), count(DISTINCT user_hash) of a group of rows.
struct Group {
  std::int64_t count = 0;
  std::set<std::string> orgs;
  std::set<std::string> users;

  void add(const tel::EventRow& row) {
    ++count;
    if (row.org_hash) orgs.insert(*row.org_hash);
    if (row.user_hash) users.insert(*row.user_hash);
  }
};

bool stored_event_id(const std::vector<tel::EventRow>& rows, const core::Uuid& id) {
  return std::any_of(rows.begin(), rows.end(),
                     [&](const tel::EventRow& row) { return row.event_id == id; });
}

}  // namespace

Task<Result<tel::ServerWrite>> FakeTelemetryStore::write_server_events(
    std::span<const tel::ServerRow> batch) {
  auto body = [&]() -> Result<tel::ServerWrite> {
    server_batches_.push_back(batch.size());
    // The stored states, then the domain's rule, as the real stores do.
    tel::OptOutStates states;
    for (const tel::OptOutKey& key : tel::subjects_of(batch)) {
      tel::OptOutState state;
      if (key.first == tel::OptOutSubject::org) {
        const OrgRow* org = db_.org_by_id(core::OrgId{key.second});
        state.opted_out = org != nullptr && org->telemetry_opt_out;
      } else {
        auto prefs = db_.user_opt_out.find(core::UserId{key.second});
        state.opted_out = prefs != db_.user_opt_out.end() && prefs->second;
      }
      if (auto changed = db_.opt_out_changed_at.find(key); changed != db_.opt_out_changed_at.end())
        state.changed_at = changed->second;
      states.emplace(key, state);
    }
    const std::vector<std::size_t> kept = tel::rows_to_store(batch, states);
    tel::ServerWrite result{kept.size(), batch.size() - kept.size()};
    for (std::size_t i : kept) {
      const tel::EventRow& row = batch[i].row;
      if (!row.event_id || !stored_event_id(db_.telemetry_events, *row.event_id))
        db_.telemetry_events.push_back(row);
    }
    return result;
  };
  co_return co_await hooks.call<tel::ServerWrite>("write_server_events", db_.mutex, body);
}

Task<Result<std::vector<bool>>> FakeTelemetryStore::write_ingested(
    std::span<const tel::EventRow> rows) {
  auto body = [&]() -> Result<std::vector<bool>> {
    ingest_batches_.push_back(rows.size());
    std::vector<bool> inserted;
    inserted.reserve(rows.size());
    for (const auto& row : rows) {
      bool duplicate = row.event_id && stored_event_id(db_.telemetry_events, *row.event_id);
      if (!duplicate) db_.telemetry_events.push_back(row);
      inserted.push_back(!duplicate);
    }
    return inserted;
  };
  co_return co_await hooks.call<std::vector<bool>>("write_ingested", db_.mutex, body);
}

Task<Result<tel::Expiry>> FakeTelemetryStore::expire_before(TimePoint before) {
  auto body = [&]() -> Result<tel::Expiry> {
    std::map<std::tuple<std::string, std::string, std::string>, Group> groups;
    std::set<std::string> days;
    for (const auto& row : db_.telemetry_events) {
      if (row.occurred_at >= before) continue;
      auto day = utc_day(row.occurred_at);
      days.insert(day);
      groups[{day, row.surface, row.event}].add(row);
    }
    tel::Expiry expiry;
    expiry.days_rolled_up = days.size();
    if (days.empty()) return expiry;
    for (const auto& [key, group] : groups) {
      const auto& [day, surface, event] = key;
      auto rollup = std::find_if(db_.telemetry_daily.begin(), db_.telemetry_daily.end(),
                                 [&](const DailyRow& d) {
                                   return d.day == day && d.surface == surface && d.event == event;
                                 });
      auto orgs = static_cast<std::int64_t>(group.orgs.size());
      auto users = static_cast<std::int64_t>(group.users.size());
      if (rollup == db_.telemetry_daily.end()) {
        db_.telemetry_daily.push_back(DailyRow{day, surface, event, group.count, orgs, users});
      } else {
        // Rows of a day already rolled up: counts add, distinct counts become lower bounds.
        rollup->count += group.count;
        rollup->distinct_orgs = std::max(rollup->distinct_orgs, orgs);
        rollup->distinct_users = std::max(rollup->distinct_users, users);
      }
    }
    expiry.rows_deleted = std::erase_if(
        db_.telemetry_events, [&](const tel::EventRow& row) { return row.occurred_at < before; });
    return expiry;
  };
  co_return co_await hooks.call<tel::Expiry>("expire_before", db_.mutex, body);
}

Task<Result<std::vector<tel::DayCount>>> FakeTelemetryStore::daily_counts(TimePoint from,
                                                                          TimePoint to) {
  auto body = [&]() -> Result<std::vector<tel::DayCount>> {
    last_daily_range_ = std::make_pair(from, to);
    std::map<std::pair<std::string, std::string>, Group> raw;
    for (const auto& row : db_.telemetry_events)
      if (row.occurred_at >= from && row.occurred_at < to)
        raw[{utc_day(row.occurred_at), row.event}].add(row);
    std::map<std::pair<std::string, std::string>, tel::DayCount> out;
    for (const auto& [key, group] : raw) {
      auto& day = out[key];
      day.count += group.count;
      day.distinct_orgs += static_cast<std::int64_t>(group.orgs.size());
      day.distinct_users += static_cast<std::int64_t>(group.users.size());
    }
    auto first = utc_day(from), last = utc_day(to);
    for (const auto& rollup : db_.telemetry_daily) {
      if (rollup.day < first || rollup.day >= last) continue;
      auto& day = out[{rollup.day, rollup.event}];
      day.count += rollup.count;
      day.distinct_orgs += rollup.distinct_orgs;
      day.distinct_users += rollup.distinct_users;
    }
    std::vector<tel::DayCount> rows;
    for (auto& [key, day] : out) {
      day.day = key.first;
      day.event = key.second;
      rows.push_back(std::move(day));
    }
    return rows;
  };
  co_return co_await hooks.call<std::vector<tel::DayCount>>("daily_counts", db_.mutex, body);
}

Task<Result<std::vector<tel::EventRow>>> FakeTelemetryStore::rows_of_pseudonym(
    const std::string& pseudonym) {
  auto body = [&]() -> Result<std::vector<tel::EventRow>> {
    // Properties are stored as the emitter serialises them: compact JSON.
    const std::string actor = "\"actor_hash\":\"" + pseudonym + "\"";
    std::vector<tel::EventRow> out;
    for (const auto& row : db_.telemetry_events)
      if (row.user_hash == pseudonym || row.properties.find(actor) != std::string::npos)
        out.push_back(row);
    std::ranges::stable_sort(out, [](const auto& a, const auto& b) {
      return std::tie(a.occurred_at, a.id) < std::tie(b.occurred_at, b.id);
    });
    return out;
  };
  co_return co_await hooks.call<std::vector<tel::EventRow>>("rows_of_pseudonym", db_.mutex, body);
}

Task<Result<std::int64_t>> FakeTelemetryStore::delete_rows_of_pseudonym(
    const std::string& pseudonym) {
  auto body = [&]() -> Result<std::int64_t> {
    const std::string actor = "\"actor_hash\":\"" + pseudonym + "\"";
    return static_cast<std::int64_t>(std::erase_if(db_.telemetry_events, [&](const auto& row) {
      return row.user_hash == pseudonym || row.properties.find(actor) != std::string::npos;
    }));
  };
  co_return co_await hooks.call<std::int64_t>("delete_rows_of_pseudonym", db_.mutex, body);
}

Task<Result<std::vector<tel::EventCount>>> FakeTelemetryStore::counts_since(TimePoint since) {
  auto body = [&]() -> Result<std::vector<tel::EventCount>> {
    // Whole hours, as the real stores count them (domain/telemetry/hourly_counts.hpp).
    const core::TimePoint from{std::chrono::milliseconds(tel::hour_of(since))};
    std::map<std::string, Group> groups;
    for (const auto& row : db_.telemetry_events)
      if (row.occurred_at >= from) groups[row.event].add(row);
    std::vector<tel::EventCount> out;
    for (const auto& [event, group] : groups)
      out.push_back({event, group.count, static_cast<std::int64_t>(group.orgs.size()),
                     static_cast<std::int64_t>(group.users.size())});
    return out;
  };
  co_return co_await hooks.call<std::vector<tel::EventCount>>("counts_since", db_.mutex, body);
}

std::size_t FakeTelemetryStore::rows() const {
  std::lock_guard lock(db_.mutex);
  return db_.telemetry_events.size();
}

std::vector<std::size_t> FakeTelemetryStore::server_batches() const {
  std::lock_guard lock(db_.mutex);
  return server_batches_;
}

std::vector<std::size_t> FakeTelemetryStore::ingest_batches() const {
  std::lock_guard lock(db_.mutex);
  return ingest_batches_;
}

std::optional<std::pair<TimePoint, TimePoint>> FakeTelemetryStore::last_daily_range() const {
  std::lock_guard lock(db_.mutex);
  return last_daily_range_;
}

}  // namespace ferr::fakes
