#include "storage/sqlite/telemetry_store.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/stored_value.hpp"
#include "core/try.hpp"
#include "domain/telemetry/hourly_counts.hpp"
#include "domain/telemetry/opt_out.hpp"
#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::Result;
using core::Task;
namespace tel = domain::telemetry;

namespace {

/// The insert of stored events, without its rows; each row is kEventValues, bound by bind_event.
constexpr std::string_view kInsertEvents =
    "INSERT INTO telemetry_events (id, event_id, surface, event, org_hash, user_hash, properties, "
    "schema_version, origin, key_id, occurred_at, received_at) VALUES ";
constexpr std::string_view kEventValues = "(?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr int kEventParameters = 12;

/// Binds `row` to the parameters of one kEventValues, numbered from `first`.
void bind_event(Statement& q, int first, const tel::EventRow& row) {
  q.bind(first, row.id.to_string());
  bind_optional(q, first + 1,
                row.event_id ? std::optional(row.event_id->to_string()) : std::nullopt);
  q.bind(first + 2, row.surface).bind(first + 3, row.event);
  bind_optional(q, first + 4, row.org_hash);
  bind_optional(q, first + 5, row.user_hash);
  q.bind(first + 6, row.properties)
      .bind(first + 7, std::int64_t{row.schema_version})
      .bind(first + 8, tel::origin_name(row.origin));
  bind_optional(q, first + 9, row.key_id);
  q.bind(first + 10, to_ms(row.occurred_at)).bind(first + 11, to_ms(row.received_at));
}

/// The most rows one statement inserts (64 × 12 parameters, far below SQLite's limit).
constexpr std::size_t kMostRowsAtOnce = 64;

/// The statement that inserts `rows` rows at once, `rows` a power of two up to kMostRowsAtOnce
/// (so a connection caches seven of them).
const std::string& insert_many_sql(std::size_t rows) {
  static const auto statements = [] {
    std::array<std::string, std::bit_width(kMostRowsAtOnce)> out;
    for (std::size_t k = 0; k < out.size(); ++k) {
      out[k] = kInsertEvents;
      for (std::size_t i = 0; i < (std::size_t{1} << k); ++i) {
        if (i > 0) out[k] += ',';
        out[k] += kEventValues;
      }
    }
    return out;
  }();
  return statements.at(static_cast<std::size_t>(std::countr_zero(rows)));
}

/// The statement that inserts one row unless its `event_id` is already stored.
const std::string& insert_unless_duplicate_sql() {
  static const std::string sql =
      std::string(kInsertEvents) + std::string(kEventValues) + " ON CONFLICT (event_id) DO NOTHING";
  return sql;
}

/// Inserts `rows`; returns for each whether it was stored (false: its `event_id` already was).
/// A row without an `event_id` cannot be a duplicate, so those go in multi-row statements, which
/// cost SQLite a fraction of one statement per row; the others go one by one, in order, so
/// that the first of two rows sharing an `event_id` is the one stored.
Result<std::vector<bool>> insert_rows(Connection& c, std::span<const tel::EventRow* const> rows) {
  std::vector<bool> inserted(rows.size(), true);
  std::vector<const tel::EventRow*> anonymous;
  anonymous.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i]->event_id) {
      anonymous.push_back(rows[i]);
      continue;
    }
    FERR_TRY(auto q, c.query(insert_unless_duplicate_sql()));
    bind_event(*q, 1, *rows[i]);
    FERR_CHECK(q->run());
    inserted[i] = c.changes() == 1;
  }
  std::span<const tel::EventRow* const> left(anonymous);
  while (!left.empty()) {
    std::size_t n = kMostRowsAtOnce;
    while (n > left.size()) n /= 2;
    FERR_TRY(auto q, c.query(insert_many_sql(n)));
    for (std::size_t i = 0; i < n; ++i)
      bind_event(*q, static_cast<int>(i) * kEventParameters + 1, *left[i]);
    FERR_CHECK(q->run());
    left = left.subspan(n);
  }
  return inserted;
}

/// The stored opt-out state of `key`'s subject; nullopt when it has no row.
Result<std::optional<tel::OptOutState>> opt_out_state(Connection& c, const tel::OptOutKey& key) {
  FERR_TRY(auto q, c.query(key.first == tel::OptOutSubject::org
                               ? "SELECT telemetry_opt_out, telemetry_opt_out_changed_at FROM "
                                 "organizations WHERE id = ?"
                               : "SELECT telemetry_opt_out, telemetry_opt_out_changed_at FROM "
                                 "user_prefs WHERE user_id = ?"));
  q->bind(1, key.second.to_string());
  FERR_TRY(bool found, q->step());
  if (!found) return std::optional<tel::OptOutState>{};
  tel::OptOutState state{q->column_int(0) != 0, std::nullopt};
  if (!q->column_is_null(1)) state.changed_at = from_ms(q->column_int(1));
  return std::optional(state);
}

/// A cell's evidence column: the pseudonyms separated by single spaces ('' for none).
tel::Evidence parse_evidence(std::string_view text) {
  tel::Evidence out;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    out.emplace_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

std::string evidence_text(const tel::Evidence& evidence) {
  std::string out;
  for (const std::string& pseudonym : evidence) {
    if (!out.empty()) out += ' ';
    out += pseudonym;
  }
  return out;
}

/// Adds the stored `rows` to their hourly cells, in the writing transaction (SQLite has one
/// writer, so reading a cell and writing it back is safe).
Result<void> count_rows(Connection& c, std::span<const tel::EventRow* const> rows, int cap) {
  for (const tel::HourlyDelta& delta : tel::hourly_deltas(rows, cap)) {
    std::int64_t count = delta.count;
    tel::Evidence orgs = delta.orgs;
    tel::Evidence users = delta.users;
    {  // the read is reset before the write
      FERR_TRY(auto read, c.query("SELECT count, orgs, users FROM telemetry_hourly WHERE hour = "
                                  "? AND event = ?"));
      read->bind(1, delta.hour).bind(2, delta.event);
      FERR_TRY(bool found, read->step());
      if (found) {
        count += read->column_int(0);
        tel::add_evidence(orgs, parse_evidence(read->column_text(1)), cap);
        tel::add_evidence(users, parse_evidence(read->column_text(2)), cap);
      }
    }
    FERR_TRY(auto write, c.query("INSERT INTO telemetry_hourly (hour, event, count, orgs, users) "
                                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour, event) DO UPDATE SET "
                                 "count = excluded.count, orgs = excluded.orgs, users = "
                                 "excluded.users"));
    write->bind(1, delta.hour)
        .bind(2, delta.event)
        .bind(3, count)
        .bind(4, evidence_text(orgs))
        .bind(5, evidence_text(users));
    FERR_CHECK(write->run());
  }
  return {};
}

/// Inserts `rows` and counts the ones stored in their hourly cells; returns for each row whether
/// it was stored (false: a duplicate).
Result<std::vector<bool>> store_rows(Connection& c, std::span<const tel::EventRow* const> rows,
                                     int cap) {
  FERR_TRY(auto inserted, insert_rows(c, rows));
  std::vector<const tel::EventRow*> stored;
  stored.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (inserted[i]) stored.push_back(rows[i]);
  FERR_CHECK(count_rows(c, stored, cap));
  return inserted;
}

/// The `cap` smallest distinct values of `column` (org_hash or user_hash) among the stored rows
/// of one cell.
Result<tel::Evidence> cell_evidence(Connection& c, std::string_view column, std::int64_t hour,
                                    const std::string& event, int cap) {
  const std::string sql = "SELECT DISTINCT " + std::string(column) +
                          " FROM telemetry_events WHERE event = ? AND occurred_at >= ? AND "
                          "occurred_at < ? AND " +
                          std::string(column) + " IS NOT NULL ORDER BY 1 LIMIT ?";
  FERR_TRY(auto q, c.query(sql));
  q->bind(1, event).bind(2, hour).bind(3, hour + tel::kHourMs).bind(4, std::int64_t{cap});
  tel::Evidence out;
  for (;;) {
    FERR_TRY(bool row, q->step());
    if (!row) return out;
    out.push_back(q->column_text(0));
  }
}

/// Recomputes one hourly cell from the raw rows it counts (after an erasure).
Result<void> recount_cell(Connection& c, std::int64_t hour, const std::string& event, int cap) {
  FERR_TRY(auto count, c.query("SELECT count(*) FROM telemetry_events WHERE event = ? AND "
                               "occurred_at >= ? AND occurred_at < ?"));
  count->bind(1, event).bind(2, hour).bind(3, hour + tel::kHourMs);
  FERR_CHECK(count->step());
  const std::int64_t n = count->column_int(0);
  FERR_TRY(auto orgs, cell_evidence(c, "org_hash", hour, event, cap));
  FERR_TRY(auto users, cell_evidence(c, "user_hash", hour, event, cap));
  FERR_TRY(auto write, c.query("UPDATE telemetry_hourly SET count = ?, orgs = ?, users = ? WHERE "
                               "hour = ? AND event = ?"));
  write->bind(1, n).bind(2, evidence_text(orgs)).bind(3, evidence_text(users));
  write->bind(4, hour).bind(5, event);
  FERR_CHECK(write->run());
  return {};
}

/// Cells added together (a day's, or a window's): counts summed, evidence united.
struct CellSum {
  std::int64_t count = 0;
  tel::Evidence orgs;
  tel::Evidence users;

  /// Adds the cell read by `q`: its count, orgs and users in columns `first` on.
  void add(const Statement& q, int first, int cap) {
    count += q.column_int(first);
    tel::add_evidence(orgs, parse_evidence(q.column_text(first + 1)), cap);
    tel::add_evidence(users, parse_evidence(q.column_text(first + 2)), cap);
  }
  tel::DayCount as_day_count(std::string day, std::string event) const {
    return {std::move(day), std::move(event), count, static_cast<std::int64_t>(orgs.size()),
            static_cast<std::int64_t>(users.size())};
  }
};

}  // namespace

Task<Result<tel::ServerWrite>> SqliteTelemetryStore::write_server_events(
    std::span<const tel::ServerRow> batch) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<tel::ServerWrite> {
    // The states are read here, in the writing transaction: a change committed before it applies.
    tel::OptOutStates states;
    for (const tel::OptOutKey& key : tel::subjects_of(batch)) {
      FERR_TRY(auto state, opt_out_state(c, key));
      if (state) states.emplace(key, *state);
    }
    const std::vector<std::size_t> kept = tel::rows_to_store(batch, states);
    std::vector<const tel::EventRow*> rows;
    rows.reserve(kept.size());
    for (std::size_t i : kept) rows.push_back(&batch[i].row);
    FERR_CHECK(store_rows(c, rows, evidence_cap_));
    return tel::ServerWrite{kept.size(), batch.size() - kept.size()};
  });
}

Task<Result<std::vector<bool>>> SqliteTelemetryStore::write_ingested(
    std::span<const tel::EventRow> rows) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<std::vector<bool>> {
    std::vector<const tel::EventRow*> pointers;
    pointers.reserve(rows.size());
    for (const auto& row : rows) pointers.push_back(&row);
    return store_rows(c, pointers, evidence_cap_);
  });
}

Task<Result<std::int64_t>> SqliteTelemetryStore::delete_rows_of_pseudonym(
    const std::string& pseudonym) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<std::int64_t> {
    // The cells those rows counted in, recomputed from the rows that stay: counts drop, and no
    // evidence names a pseudonym whose events are gone.
    FERR_TRY(auto touched, c.query("SELECT DISTINCT occurred_at - occurred_at % 3600000, event "
                                   "FROM telemetry_events WHERE user_hash = ?1 OR "
                                   "json_extract(properties, '$.actor_hash') = ?1"));
    touched->bind(1, pseudonym);
    std::vector<std::pair<std::int64_t, std::string>> cells;
    for (;;) {
      FERR_TRY(bool row, touched->step());
      if (!row) break;
      cells.emplace_back(touched->column_int(0), touched->column_text(1));
    }
    FERR_TRY(auto q, c.query("DELETE FROM telemetry_events WHERE user_hash = ?1 OR "
                             "json_extract(properties, '$.actor_hash') = ?1"));
    q->bind(1, pseudonym);
    FERR_CHECK(q->run());
    const auto deleted = static_cast<std::int64_t>(c.changes());
    for (const auto& [hour, event] : cells) FERR_CHECK(recount_cell(c, hour, event, evidence_cap_));
    return deleted;
  });
}

Task<Result<std::vector<tel::EventRow>>> SqliteTelemetryStore::rows_of_pseudonym(
    const std::string& pseudonym) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<tel::EventRow>> {
    FERR_TRY(auto q, c.query("SELECT id, event_id, surface, event, org_hash, user_hash, "
                             "properties, schema_version, origin, key_id, occurred_at, received_at "
                             "FROM telemetry_events WHERE user_hash = ?1 OR "
                             "json_extract(properties, '$.actor_hash') = ?1 "
                             "ORDER BY occurred_at, id"));
    q->bind(1, pseudonym);
    std::vector<tel::EventRow> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      tel::EventRow r;
      auto id = core::Uuid::parse(q->column_text(0));
      if (!id) return core::fail(core::Error::database("sqlite: a stored event id is not a uuid"));
      r.id = *id;
      if (!q->column_is_null(1)) r.event_id = core::Uuid::parse(q->column_text(1));
      r.surface = q->column_text(2);
      r.event = q->column_text(3);
      if (!q->column_is_null(4)) r.org_hash = q->column_text(4);
      if (!q->column_is_null(5)) r.user_hash = q->column_text(5);
      r.properties = q->column_text(6);
      r.schema_version = static_cast<int>(q->column_int(7));
      const std::string origin = q->column_text(8);
      FERR_TRY(r.origin, core::known_stored_value(tel::parse_origin(origin),
                                                  "telemetry_events.origin", origin));
      if (!q->column_is_null(9)) r.key_id = q->column_text(9);
      r.occurred_at = from_ms(q->column_int(10));
      r.received_at = from_ms(q->column_int(11));
      out.push_back(std::move(r));
    }
  });
}

Task<Result<tel::Expiry>> SqliteTelemetryStore::expire_before(core::TimePoint before) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<tel::Expiry> {
    auto cutoff = to_ms(before);
    tel::Expiry expiry;
    FERR_TRY(auto days, c.query("SELECT count(DISTINCT occurred_at / 86400000) FROM "
                                "telemetry_events WHERE occurred_at < ?"));
    days->bind(1, cutoff);
    FERR_CHECK(days->step());
    expiry.days_rolled_up = static_cast<std::size_t>(days->column_int(0));
    if (expiry.days_rolled_up == 0) return expiry;

    // Whole days expire together, so a day is normally rolled up once; should rows of a rolled-up
    // day still appear, their counts are added (distinct counts then become lower bounds).
    FERR_TRY(auto rollup,
             c.query("INSERT INTO telemetry_daily (day, surface, event, count, distinct_orgs, "
                     "distinct_users) SELECT date(occurred_at / 1000, 'unixepoch'), surface, "
                     "event, count(*), count(DISTINCT org_hash), count(DISTINCT user_hash) FROM "
                     "telemetry_events WHERE occurred_at < ? GROUP BY 1, 2, 3 "
                     "ON CONFLICT (day, surface, event) DO UPDATE SET count = count + "
                     "excluded.count, distinct_orgs = max(distinct_orgs, excluded.distinct_orgs), "
                     "distinct_users = max(distinct_users, excluded.distinct_users)"));
    rollup->bind(1, cutoff);
    FERR_CHECK(rollup->run());

    FERR_TRY(auto purge, c.query("DELETE FROM telemetry_events WHERE occurred_at < ?"));
    purge->bind(1, cutoff);
    FERR_CHECK(purge->run());
    expiry.rows_deleted = static_cast<std::size_t>(c.changes());
    // Their hourly counts go with them: those days now live in telemetry_daily.
    FERR_TRY(auto cells, c.query("DELETE FROM telemetry_hourly WHERE hour < ?"));
    cells->bind(1, cutoff);
    FERR_CHECK(cells->run());
    return expiry;
  });
}

Task<Result<std::vector<tel::DayCount>>> SqliteTelemetryStore::daily_counts(core::TimePoint from,
                                                                            core::TimePoint to) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<tel::DayCount>> {
    // Days still raw come from the hourly cells, expired ones from their rollups; a late row of a
    // rolled-up day is added to its rollup (distinct counts then add up too).
    std::map<std::pair<std::string, std::string>, tel::DayCount> days;
    FERR_TRY(auto cells, c.query("SELECT date(hour / 1000, 'unixepoch'), event, count, orgs, users "
                                 "FROM telemetry_hourly WHERE hour >= ? AND hour < ?"));
    cells->bind(1, to_ms(from)).bind(2, to_ms(to));
    std::map<std::pair<std::string, std::string>, CellSum> raw;
    for (;;) {
      FERR_TRY(bool row, cells->step());
      if (!row) break;
      raw[{cells->column_text(0), cells->column_text(1)}].add(*cells, 2, evidence_cap_);
    }
    for (const auto& [key, cells_of_day] : raw) {
      if (cells_of_day.count == 0) continue;  // every event of the cells erased
      days[key] = cells_of_day.as_day_count(key.first, key.second);
    }
    FERR_TRY(auto rollups,
             c.query("SELECT day, event, sum(count), sum(distinct_orgs), sum(distinct_users) FROM "
                     "telemetry_daily WHERE day >= date(?1 / 1000, 'unixepoch') AND day < "
                     "date(?2 / 1000, 'unixepoch') GROUP BY day, event"));
    rollups->bind(1, to_ms(from)).bind(2, to_ms(to));
    for (;;) {
      FERR_TRY(bool row, rollups->step());
      if (!row) break;
      tel::DayCount& day = days[{rollups->column_text(0), rollups->column_text(1)}];
      day.day = rollups->column_text(0);
      day.event = rollups->column_text(1);
      day.count += rollups->column_int(2);
      day.distinct_orgs += rollups->column_int(3);
      day.distinct_users += rollups->column_int(4);
    }
    std::vector<tel::DayCount> out;
    out.reserve(days.size());
    for (auto& [key, day] : days) out.push_back(std::move(day));
    return out;
  });
}

Task<Result<std::vector<tel::EventCount>>> SqliteTelemetryStore::counts_since(
    core::TimePoint since) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<tel::EventCount>> {
    // Whole hours: from the start of the hour holding `since`.
    FERR_TRY(auto q, c.query("SELECT event, count, orgs, users FROM telemetry_hourly WHERE hour >= "
                             "? ORDER BY event"));
    q->bind(1, tel::hour_of(since));
    std::map<std::string, CellSum, std::less<>> events;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) break;
      events[q->column_text(0)].add(*q, 1, evidence_cap_);
    }
    std::vector<tel::EventCount> out;
    for (const auto& [event, cells] : events) {
      if (cells.count == 0) continue;  // every event of the cells erased
      const tel::DayCount sum = cells.as_day_count({}, event);
      out.push_back({event, sum.count, sum.distinct_orgs, sum.distinct_users});
    }
    return out;
  });
}

}  // namespace ferr::storage::sqlite
