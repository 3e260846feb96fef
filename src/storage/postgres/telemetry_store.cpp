#include "storage/postgres/telemetry_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/try.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

using core::fail;
using core::Result;
using core::Task;
namespace json = boost::json;
namespace tel = domain::telemetry;

namespace {

// Rows per insert-batch statement: bounds the size of one JSON parameter and of one statement's
// work; a larger batch becomes several statements of one pipeline.
constexpr std::size_t kChunkRows = 256;

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

/// The order in which insert_batch sends rows: by event_id (the registry's uuid order, bytewise
/// like core::Uuid's), rows without one last, ties in batch order. Every batch then takes its
/// registry locks in one global order, so two concurrent batches sharing ids in different orders
/// wait for each other instead of deadlocking (issue 14, item 12), and the first row of a
/// repeated id still comes first.
std::vector<std::size_t> send_order(
    std::size_t count, const std::function<const std::optional<core::Uuid>&(std::size_t)>& id) {
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
    const auto& x = id(a);
    const auto& y = id(b);
    if (!x || !y) return x.has_value() && !y.has_value();
    return *x < *y;
  });
  return order;
}

/// Writes `count` rows (element i made by `element(i)`, event_id `id(i)`) with
/// statements/insert_batch.sql, in send_order, in chunks of kChunkRows sent as one pipeline: one
/// round trip, and one implicit transaction, so the batch is stored whole or not at all, and an
/// event_id repeated in a later chunk meets the registry row of the earlier one. Returns each
/// row's outcome, in batch order.
Task<Result<std::vector<RowOutcome>>> insert_batch(
    Pool& pool, std::size_t count, const std::function<json::object(std::size_t)>& element,
    const std::function<const std::optional<core::Uuid>&(std::size_t)>& id) {
  const std::vector<std::size_t> order = send_order(count, id);
  std::vector<Statement> statements;
  for (std::size_t start = 0; start < count; start += kChunkRows) {
    const std::size_t end = std::min(count, start + kChunkRows);
    json::array chunk;
    chunk.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) chunk.emplace_back(element(order[i]));
    statements.push_back(Statement{sql::insert_batch, {Param(json::serialize(chunk))}});
  }
  if (statements.empty()) co_return std::vector<RowOutcome>{};
  FERR_CO_TRY(auto results, co_await pool.pipeline(std::move(statements)));

  std::size_t answered = 0;
  for (const QueryResult& rows : results) answered += static_cast<std::size_t>(rows.rows());
  if (answered != count) {
    co_return fail(core::Error::database("postgres telemetry insert: one answer per row expected"));
  }
  std::vector<RowOutcome> outcomes(count);
  std::size_t sent = 0;
  for (const QueryResult& rows : results) {
    for (int r = 0; r < rows.rows(); ++r, ++sent) {
      RowOutcome& outcome = outcomes[order[sent]];
      FERR_CO_TRY(outcome.opted_out, rows.boolean(r, 1));
      FERR_CO_TRY(outcome.written, rows.boolean(r, 2));
    }
  }
  co_return outcomes;
}

}  // namespace

Task<Result<tel::ServerWrite>> PgTelemetryStore::write_server_events(
    std::span<const tel::ServerRow> batch) {
  FERR_CO_TRY(auto outcomes,
              co_await insert_batch(
                  db_.pool(), batch.size(),
                  [&](std::size_t i) { return batch_element(batch[i].row, &batch[i]); },
                  [&](std::size_t i) -> const std::optional<core::Uuid>& {
                    return batch[i].row.event_id;
                  }));
  tel::ServerWrite result;
  for (const RowOutcome& o : outcomes) {
    if (o.opted_out) ++result.opted_out;
    if (o.written) ++result.written;
  }
  co_return result;
}

Task<Result<std::vector<bool>>> PgTelemetryStore::write_ingested(
    std::span<const tel::EventRow> rows) {
  FERR_CO_TRY(
      auto outcomes,
      co_await insert_batch(
          db_.pool(), rows.size(), [&](std::size_t i) { return batch_element(rows[i], nullptr); },
          [&](std::size_t i) -> const std::optional<core::Uuid>& { return rows[i].event_id; }));
  std::vector<bool> inserted;
  inserted.reserve(outcomes.size());
  for (const RowOutcome& o : outcomes) inserted.push_back(o.written);
  co_return inserted;
}

Task<Result<int>> PgTelemetryStore::ensure_partitions(core::TimePoint now) {
  co_return co_await ensure_partitions_from(utc_day(now - std::chrono::days(retention_days_)));
}

Task<Result<int>> PgTelemetryStore::ensure_partitions_from(std::string from_day) {
  // Its own READ COMMITTED transaction (the function refuses any other level), BEGIN, the call
  // and COMMIT in one round trip: partitions made stay made even when the expiry that follows
  // fails.
  auto body = [&](Transaction& tx) -> Task<Result<int>> {
    std::vector<Statement> call;
    call.push_back({sql::ensure_partitions, {from_day, retention_days_ + 3}});
    FERR_CO_TRY(auto results, co_await tx.commit_with(std::move(call)));
    FERR_CO_TRY(const std::int64_t created, results[0].int64(0, 0));
    co_return static_cast<int>(created);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<tel::Expiry>> PgTelemetryStore::expire_before(core::TimePoint before) {
  // The window starting at the cutoff's day reaches two days past today, so the periodic
  // retention pass also prepares the coming days' partitions.
  FERR_CO_CHECK(co_await ensure_partitions_from(utc_day(before)));
  auto body = [&](Transaction& tx) -> Task<Result<tel::Expiry>> {
    std::vector<Statement> call;
    call.push_back({sql::expire_telemetry, {to_ms(before)}});
    FERR_CO_TRY(auto results, co_await tx.commit_with(std::move(call)));
    FERR_CO_TRY(const std::int64_t days, results[0].int64(0, 0));
    FERR_CO_TRY(const std::int64_t deleted, results[0].int64(0, 1));
    co_return tel::Expiry{static_cast<std::size_t>(days), static_cast<std::size_t>(deleted)};
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::vector<tel::DayCount>>> PgTelemetryStore::daily_counts(core::TimePoint from,
                                                                        core::TimePoint to) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::daily_counts, to_ms(from), to_ms(to)));
  std::vector<tel::DayCount> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    tel::DayCount c;
    FERR_CO_TRY(c.day, rows.string(r, 0));
    FERR_CO_TRY(c.event, rows.string(r, 1));
    FERR_CO_TRY(c.count, rows.int64(r, 2));
    FERR_CO_TRY(c.distinct_orgs, rows.int64(r, 3));
    FERR_CO_TRY(c.distinct_users, rows.int64(r, 4));
    out.push_back(std::move(c));
  }
  co_return out;
}

Task<Result<std::vector<tel::EventCount>>> PgTelemetryStore::counts_since(core::TimePoint since) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::counts_since, to_ms(since)));
  std::vector<tel::EventCount> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    tel::EventCount c;
    FERR_CO_TRY(c.event, rows.string(r, 0));
    FERR_CO_TRY(c.count, rows.int64(r, 1));
    FERR_CO_TRY(c.distinct_orgs, rows.int64(r, 2));
    FERR_CO_TRY(c.distinct_users, rows.int64(r, 3));
    out.push_back(std::move(c));
  }
  co_return out;
}

}  // namespace ferr::storage::postgres
