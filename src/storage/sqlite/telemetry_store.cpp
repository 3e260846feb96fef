#include "storage/sqlite/telemetry_store.hpp"

#include <optional>
#include <utility>

#include "core/stored_value.hpp"
#include "core/try.hpp"
#include "domain/telemetry/opt_out.hpp"
#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::Result;
using core::Task;
namespace tel = domain::telemetry;

namespace {

/// Inserts `row` unless its `event_id` is already stored; returns whether it was inserted.
Result<bool> insert_row(Connection& c, const tel::EventRow& row) {
  FERR_TRY(auto q, c.query("INSERT INTO telemetry_events (id, event_id, surface, event, "
                           "org_hash, user_hash, properties, schema_version, origin, key_id, "
                           "occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?) ON CONFLICT (event_id) DO NOTHING"));
  q->bind(1, row.id.to_string());
  bind_optional(*q, 2, row.event_id ? std::optional(row.event_id->to_string()) : std::nullopt);
  q->bind(3, row.surface).bind(4, row.event);
  bind_optional(*q, 5, row.org_hash);
  bind_optional(*q, 6, row.user_hash);
  q->bind(7, row.properties)
      .bind(8, std::int64_t{row.schema_version})
      .bind(9, tel::origin_name(row.origin));
  bind_optional(*q, 10, row.key_id);
  q->bind(11, to_ms(row.occurred_at)).bind(12, to_ms(row.received_at));
  FERR_CHECK(q->run());
  return c.changes() == 1;
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
    for (std::size_t i : kept) FERR_CHECK(insert_row(c, batch[i].row));
    return tel::ServerWrite{kept.size(), batch.size() - kept.size()};
  });
}

Task<Result<std::vector<bool>>> SqliteTelemetryStore::write_ingested(
    std::span<const tel::EventRow> rows) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<std::vector<bool>> {
    std::vector<bool> inserted;
    inserted.reserve(rows.size());
    for (const auto& row : rows) {
      FERR_TRY(bool added, insert_row(c, row));
      inserted.push_back(added);
    }
    return inserted;
  });
}

Task<Result<std::int64_t>> SqliteTelemetryStore::delete_rows_of_pseudonym(
    const std::string& pseudonym) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<std::int64_t> {
    FERR_TRY(auto q, c.query("DELETE FROM telemetry_events WHERE user_hash = ?1 OR "
                             "json_extract(properties, '$.actor_hash') = ?1"));
    q->bind(1, pseudonym);
    FERR_CHECK(q->run());
    return static_cast<std::int64_t>(c.changes());
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
    return expiry;
  });
}

Task<Result<std::vector<tel::DayCount>>> SqliteTelemetryStore::daily_counts(core::TimePoint from,
                                                                            core::TimePoint to) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<tel::DayCount>> {
    // A day is either still raw or rolled up (whole days expire together), never both.
    FERR_TRY(auto q,
             c.query("SELECT day, event, sum(n), sum(orgs), sum(users) FROM ("
                     " SELECT date(occurred_at / 1000, 'unixepoch') AS day, event, count(*) AS n,"
                     "  count(DISTINCT org_hash) AS orgs, count(DISTINCT user_hash) AS users"
                     " FROM telemetry_events WHERE occurred_at >= ?1 AND occurred_at < ?2"
                     " GROUP BY 1, 2"
                     " UNION ALL"
                     " SELECT day, event, count, distinct_orgs, distinct_users FROM telemetry_daily"
                     " WHERE day >= date(?1 / 1000, 'unixepoch') AND day < date(?2 / 1000, "
                     "'unixepoch')) GROUP BY day, event ORDER BY day, event"));
    q->bind(1, to_ms(from)).bind(2, to_ms(to));
    std::vector<tel::DayCount> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      out.push_back({q->column_text(0), q->column_text(1), q->column_int(2), q->column_int(3),
                     q->column_int(4)});
    }
  });
}

Task<Result<std::vector<tel::EventCount>>> SqliteTelemetryStore::counts_since(
    core::TimePoint since) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<tel::EventCount>> {
    FERR_TRY(auto q, c.query("SELECT event, count(*), count(DISTINCT org_hash), count(DISTINCT "
                             "user_hash) FROM telemetry_events WHERE occurred_at >= ? GROUP BY "
                             "event"));
    q->bind(1, to_ms(since));
    std::vector<tel::EventCount> out;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return out;
      out.push_back({q->column_text(0), q->column_int(1), q->column_int(2), q->column_int(3)});
    }
  });
}

}  // namespace ferr::storage::sqlite
