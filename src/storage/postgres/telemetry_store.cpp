#include "storage/postgres/telemetry_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string_view>
#include <utility>

#include "storage/postgres/codec.hpp"

namespace ferr::storage::postgres {

using boost::asio::awaitable;
using core::fail;
using core::Result;
namespace json = boost::json;
namespace tel = domain::telemetry;

namespace {

// Rows per insert-batch statement: bounds the size of one JSON parameter and of one statement's
// work; a larger batch becomes several statements of one pipeline.
constexpr std::size_t kChunkRows = 256;

// Statement `insert-batch` of migrations/README.md: de-duplication (telemetry_event_ids) and the
// opt-out check of server rows in one statement; one answer row (ord, opted_out, written) per
// input row, in batch order.
constexpr std::string_view kInsertBatch =
    R"sql(-- The batch, numbered from 1 in the order it was given.
WITH batch AS (
  SELECT *
  FROM ROWS FROM (
    json_to_recordset($1::json) AS (
      id uuid, event_id uuid, surface text, event text, org_hash text, user_hash text,
      properties text, schema_version integer, origin text, key_id text,
      occurred_at bigint, received_at bigint, subject text, subject_id uuid)
  ) WITH ORDINALITY AS b (
    id, event_id, surface, event, org_hash, user_hash,
    properties, schema_version, origin, key_id,
    occurred_at, received_at, subject, subject_id, ord)
),
-- Server rows: the subject's opt-out flag, read when the event is written (telemetry.md §3). No
-- organizations or user_prefs row means opted in. One index probe per server row; none for
-- ingested rows.
flagged AS (
  SELECT b.*,
         coalesce(
           CASE b.subject
             WHEN 'org' THEN (SELECT o.telemetry_opt_out
                              FROM organizations o
                              WHERE o.id = b.subject_id)
             WHEN 'user' THEN (SELECT p.telemetry_opt_out
                               FROM user_prefs p
                               WHERE p.user_id = b.subject_id)
           END,
           false) AS opted_out
  FROM batch b
),
-- The first row of the batch carrying each event_id: later ones repeat it.
firsts AS (
  SELECT DISTINCT ON (event_id) event_id, ord, occurred_at
  FROM flagged
  WHERE event_id IS NOT NULL
    AND NOT opted_out
  ORDER BY event_id, ord
),
-- The ids nobody stored before. A concurrent transaction inserting the same id makes this wait
-- for its outcome: committed, ours is a duplicate; rolled back, ours is new.
claimed AS (
  INSERT INTO telemetry_event_ids (event_id, occurred_at)
  SELECT event_id, ms_to_ts(occurred_at)
  FROM firsts
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id
),
-- Rows to write: not opted out, and either without event_id or the first holder of a new one.
fresh AS (
  SELECT f.*
  FROM flagged f
  WHERE NOT f.opted_out
    AND (f.event_id IS NULL
         OR f.ord IN (SELECT firsts.ord FROM firsts JOIN claimed USING (event_id)))
),
-- Each row lands in the partition of its UTC day (or the default partition).
written AS (
  INSERT INTO telemetry_events (id, event_id, surface, event, org_hash, user_hash, properties,
                                schema_version, origin, key_id, occurred_at, received_at)
  SELECT id, event_id, surface, event, org_hash, user_hash, properties::jsonb,
         schema_version, origin, key_id, ms_to_ts(occurred_at), ms_to_ts(received_at)
  FROM fresh
  ORDER BY ord
  RETURNING 1
)
-- One answer row per input row, in batch order.
SELECT f.ord,
       f.opted_out,
       w.ord IS NOT NULL AS written
FROM flagged f
LEFT JOIN fresh w ON w.ord = f.ord
ORDER BY f.ord)sql";

// Statement `ensure-partitions`.
constexpr std::string_view kEnsurePartitions = "SELECT telemetry_ensure_partitions($1, $2)";

// Statement `expire`: rolls up, then drops whole day partitions (and trims the rest).
constexpr std::string_view kExpire =
    "SELECT days_rolled_up, rows_deleted\n"
    "FROM telemetry_expire_before(ms_to_ts($1))";

// Statement `daily-counts`.
constexpr std::string_view kDailyCounts =
    R"sql(-- Per UTC day and event: raw rows and rollups together (a day is one or the other).
SELECT to_char(day, 'YYYY-MM-DD') AS day,
       event,
       sum(n)::bigint,
       sum(orgs)::bigint,
       sum(users)::bigint
FROM (
  SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day,
         event,
         count(*) AS n,
         count(DISTINCT org_hash) AS orgs,
         count(DISTINCT user_hash) AS users
  FROM telemetry_events
  WHERE occurred_at >= ms_to_ts($1)
    AND occurred_at < ms_to_ts($2)
  GROUP BY 1, 2
  UNION ALL
  SELECT day, event, count, distinct_orgs, distinct_users
  FROM telemetry_daily
  WHERE day >= (ms_to_ts($1) AT TIME ZONE 'UTC')::date
    AND day < (ms_to_ts($2) AT TIME ZONE 'UTC')::date
) AS t
GROUP BY t.day, t.event
ORDER BY t.day, t.event)sql";

// Statement `counts-since`.
constexpr std::string_view kCountsSince =
    "SELECT event, count(*), count(DISTINCT org_hash), count(DISTINCT user_hash)\n"
    "FROM telemetry_events\n"
    "WHERE occurred_at >= ms_to_ts($1)\n"
    "GROUP BY event";

json::value string_or_null(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

/// One element of the insert-batch `$1` array (README layout). `server` is null for ingested
/// rows: their subject is null, so no opt-out flag is read for them.
json::object batch_element(const tel::EventRow& row, const tel::ServerRow* server) {
  json::object o;
  o["id"] = row.id.to_string();
  o["event_id"] = row.event_id ? json::value(row.event_id->to_string()) : json::value(nullptr);
  o["surface"] = row.surface;
  o["event"] = row.event;
  o["org_hash"] = string_or_null(row.org_hash);
  o["user_hash"] = string_or_null(row.user_hash);
  // A JSON string holding the object's text: no re-encoding on the way in.
  o["properties"] = row.properties;
  o["schema_version"] = row.schema_version;
  o["origin"] = tel::origin_name(row.origin);
  o["key_id"] = string_or_null(row.key_id);
  o["occurred_at"] = to_ms(row.occurred_at);
  o["received_at"] = to_ms(row.received_at);
  if (server) {
    o["subject"] = server->subject == tel::OptOutSubject::org ? "org" : "user";
    o["subject_id"] = server->subject_id.to_string();
  } else {
    o["subject"] = nullptr;
    o["subject_id"] = nullptr;
  }
  return o;
}

/// What the insert-batch statement answered for one input row.
struct RowOutcome {
  bool opted_out = false;
  bool written = false;
};

/// The UTC day of `t` as `YYYY-MM-DD`.
std::string utc_day(core::TimePoint t) {
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

/// Writes `count` rows (element i made by `element(i)`) with the insert-batch statement, in
/// chunks of kChunkRows sent as one pipeline: one round trip, and one implicit transaction, so
/// the batch is stored whole or not at all, and an event_id repeated in a later chunk meets the
/// registry row of the earlier one. Returns each row's outcome, in order.
Result<std::vector<RowOutcome>> insert_batch(
    Database& db, std::size_t count, const std::function<json::object(std::size_t)>& element) {
  std::vector<Statement> statements;
  for (std::size_t start = 0; start < count; start += kChunkRows) {
    const std::size_t end = std::min(count, start + kChunkRows);
    json::array chunk;
    chunk.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) chunk.emplace_back(element(i));
    statements.push_back(Statement{std::string(kInsertBatch), {Param(json::serialize(chunk))}});
  }
  if (statements.empty()) return std::vector<RowOutcome>{};

  auto results =
      db.run<std::vector<QueryResult>>([&db, statements = std::move(statements)]() mutable {
        return db.pool().pipeline(std::move(statements));
      });
  if (!results) return fail(std::move(results.error()));

  std::vector<RowOutcome> outcomes;
  outcomes.reserve(count);
  for (const QueryResult& rows : *results) {
    for (int r = 0; r < rows.rows(); ++r) {
      auto opted_out = rows.boolean(r, 1);
      if (!opted_out) return fail(std::move(opted_out.error()));
      auto written = rows.boolean(r, 2);
      if (!written) return fail(std::move(written.error()));
      outcomes.push_back(RowOutcome{*opted_out, *written});
    }
  }
  if (outcomes.size() != count) {
    return fail(core::Error::database("postgres telemetry insert: one answer per row expected"));
  }
  return outcomes;
}

}  // namespace

Result<tel::ServerWrite> PgTelemetryStore::write_server_events(
    std::span<const tel::ServerRow> batch) {
  auto outcomes = insert_batch(
      db_, batch.size(), [&](std::size_t i) { return batch_element(batch[i].row, &batch[i]); });
  if (!outcomes) return fail(std::move(outcomes.error()));
  tel::ServerWrite result;
  for (const RowOutcome& o : *outcomes) {
    if (o.opted_out) ++result.opted_out;
    if (o.written) ++result.written;
  }
  return result;
}

Result<std::vector<bool>> PgTelemetryStore::write_ingested(std::span<const tel::EventRow> rows) {
  auto outcomes = insert_batch(db_, rows.size(),
                               [&](std::size_t i) { return batch_element(rows[i], nullptr); });
  if (!outcomes) return fail(std::move(outcomes.error()));
  std::vector<bool> inserted;
  inserted.reserve(outcomes->size());
  for (const RowOutcome& o : *outcomes) inserted.push_back(o.written);
  return inserted;
}

Result<int> PgTelemetryStore::ensure_partitions(core::TimePoint now) {
  return ensure_partitions_from(utc_day(now - std::chrono::days(retention_days_)));
}

Result<int> PgTelemetryStore::ensure_partitions_from(const std::string& from_day) {
  // Its own READ COMMITTED transaction (the function refuses any other level): partitions made
  // stay made even when the expiry that follows fails.
  return db_.transaction<int>([&](Connection& c) -> awaitable<Result<int>> {
    FERR_PG_TRY(rows, co_await c.query(kEnsurePartitions, from_day, retention_days_ + 3));
    FERR_PG_TRY(created, rows.int64(0, 0));
    co_return static_cast<int>(created);
  });
}

Result<tel::Expiry> PgTelemetryStore::expire_before(core::TimePoint before) {
  // The window starting at the cutoff's day reaches two days past today, so the periodic
  // retention pass also prepares the coming days' partitions.
  if (auto ensured = ensure_partitions_from(utc_day(before)); !ensured) {
    return fail(std::move(ensured.error()));
  }
  return db_.transaction<tel::Expiry>([&](Connection& c) -> awaitable<Result<tel::Expiry>> {
    FERR_PG_TRY(rows, co_await c.query(kExpire, to_ms(before)));
    FERR_PG_TRY(days, rows.int64(0, 0));
    FERR_PG_TRY(deleted, rows.int64(0, 1));
    co_return tel::Expiry{static_cast<std::size_t>(days), static_cast<std::size_t>(deleted)};
  });
}

Result<std::vector<tel::DayCount>> PgTelemetryStore::daily_counts(core::TimePoint from,
                                                                  core::TimePoint to) {
  return db_.run<std::vector<tel::DayCount>>(
      [&]() -> awaitable<Result<std::vector<tel::DayCount>>> {
        FERR_PG_TRY(rows, co_await db_.pool().query(kDailyCounts, to_ms(from), to_ms(to)));
        std::vector<tel::DayCount> out;
        out.reserve(static_cast<std::size_t>(rows.rows()));
        for (int r = 0; r < rows.rows(); ++r) {
          FERR_PG_TRY(day, rows.string(r, 0));
          FERR_PG_TRY(event, rows.string(r, 1));
          FERR_PG_TRY(count, rows.int64(r, 2));
          FERR_PG_TRY(orgs, rows.int64(r, 3));
          FERR_PG_TRY(users, rows.int64(r, 4));
          out.push_back({std::move(day), std::move(event), count, orgs, users});
        }
        co_return out;
      });
}

Result<std::vector<tel::EventCount>> PgTelemetryStore::counts_since(core::TimePoint since) {
  return db_.run<std::vector<tel::EventCount>>(
      [&]() -> awaitable<Result<std::vector<tel::EventCount>>> {
        FERR_PG_TRY(rows, co_await db_.pool().query(kCountsSince, to_ms(since)));
        std::vector<tel::EventCount> out;
        out.reserve(static_cast<std::size_t>(rows.rows()));
        for (int r = 0; r < rows.rows(); ++r) {
          FERR_PG_TRY(event, rows.string(r, 0));
          FERR_PG_TRY(count, rows.int64(r, 1));
          FERR_PG_TRY(orgs, rows.int64(r, 2));
          FERR_PG_TRY(users, rows.int64(r, 3));
          out.push_back({std::move(event), count, orgs, users});
        }
        co_return out;
      });
}

}  // namespace ferr::storage::postgres
