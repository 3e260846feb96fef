#include "storage/postgres/telemetry_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/stored_value.hpp"
#include "core/time_format.hpp"
#include "core/try.hpp"
#include "domain/telemetry/opt_out.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

using core::fail;
using core::Result;
using core::Task;
namespace json = boost::json;
namespace tel = domain::telemetry;

namespace {

/// The order in which insert_batch sends rows: by event_id (the registry's uuid order, bytewise
/// like core::Uuid's), rows without one last, ties in batch order. Every batch then takes its
/// registry locks in one global order, so two concurrent batches sharing ids in different orders
/// wait for each other instead of deadlocking (issue 14, item 12), and the first row of a
/// repeated id still comes first.
std::vector<std::size_t> send_order(std::span<const tel::EventRow* const> rows) {
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) order[i] = i;
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
    const auto& x = rows[a]->event_id;
    const auto& y = rows[b]->event_id;
    if (!x || !y) return x.has_value() && !y.has_value();
    return *x < *y;
  });
  return order;
}

/// `rows` as one statements/insert_batch.sql statement, in send_order. One statement whatever the
/// batch's size: its hourly cells must be locked after every registry id of the batch, which a
/// batch split into several statements could not promise (a later statement's ids would come
/// after an earlier one's cells), and one statement is one round trip and one transaction.
struct BatchInsert {
  std::vector<std::size_t> order;  ///< the row sent at position i is rows[order[i]]
  std::vector<Statement> statements;
};
BatchInsert batch_insert(std::span<const tel::EventRow* const> rows, int evidence_cap) {
  BatchInsert insert{send_order(rows), {}};
  if (rows.empty()) return insert;
  // One array per column, in PostgreSQL's binary format (README layout): the server copies each
  // element, where a JSON document was lexed twice (validated as json, then taken apart by
  // json_to_recordset), a third of its time for a batch.
  using Of = BinaryArray::Of;
  BinaryArray ids(Of::uuid), event_ids(Of::uuid), surfaces(Of::text), events(Of::text),
      org_hashes(Of::text), user_hashes(Of::text), properties(Of::text), schema_versions(Of::int4),
      origins(Of::text), key_ids(Of::text), occurred_at(Of::int8), received_at(Of::int8);
  for (std::size_t i : insert.order) {
    const tel::EventRow& row = *rows[i];
    ids.add(row.id);
    event_ids.add(row.event_id);
    surfaces.add(row.surface);
    events.add(row.event);
    org_hashes.add(row.org_hash);
    user_hashes.add(row.user_hash);
    properties.add(row.properties);
    schema_versions.add(std::int64_t{row.schema_version});
    origins.add(tel::origin_name(row.origin));
    key_ids.add(row.key_id);
    occurred_at.add(to_ms(row.occurred_at));
    received_at.add(to_ms(row.received_at));
  }
  insert.statements.push_back(Statement{
      sql::insert_batch,
      {ids.param(), event_ids.param(), surfaces.param(), events.param(), org_hashes.param(),
       user_hashes.param(), properties.param(), schema_versions.param(), origins.param(),
       key_ids.param(), occurred_at.param(), received_at.param(), Param(evidence_cap)}});
  return insert;
}

/// Whether each row of a batch_insert was written (false: a duplicate), in the order of `rows`,
/// from the answers of its statements.
Result<std::vector<bool>> written_rows(const BatchInsert& insert,
                                       std::span<const QueryResult> results) {
  std::size_t answered = 0;
  for (const QueryResult& rows : results) answered += static_cast<std::size_t>(rows.rows());
  if (answered != insert.order.size()) {
    return fail(core::Error::database("postgres telemetry insert: one answer per row expected"));
  }
  std::vector<bool> written(insert.order.size());
  std::size_t sent = 0;
  for (const QueryResult& rows : results) {
    for (int r = 0; r < rows.rows(); ++r, ++sent) {
      FERR_TRY(const bool stored, rows.boolean(r, 1));
      written[insert.order[sent]] = stored;
    }
  }
  return written;
}

/// The opt_out_states parameters: the batch's org ids and user ids, as JSON arrays.
std::pair<std::string, std::string> subject_ids(std::span<const tel::OptOutKey> subjects) {
  json::array orgs;
  json::array users;
  for (const auto& [subject, id] : subjects) {
    (subject == tel::OptOutSubject::org ? orgs : users).emplace_back(id.to_string());
  }
  return {json::serialize(orgs), json::serialize(users)};
}

/// The opt_out_states answer, keyed by subject.
Result<tel::OptOutStates> opt_out_states(const QueryResult& rows) {
  tel::OptOutStates states;
  for (int r = 0; r < rows.rows(); ++r) {
    FERR_TRY(const std::string subject, rows.string(r, 0));
    if (subject != "org" && subject != "user") {
      return fail(core::Error::database("postgres opt_out_states: unknown subject"));
    }
    FERR_TRY(const core::Uuid id, read_uuid(rows, r, 1));
    tel::OptOutState state;
    FERR_TRY(state.opted_out, rows.boolean(r, 2));
    FERR_TRY(const auto changed_at, rows.optional_int64(r, 3));
    if (changed_at) state.changed_at = from_ms(*changed_at);
    states.emplace(
        tel::OptOutKey{subject == "org" ? tel::OptOutSubject::org : tel::OptOutSubject::user, id},
        state);
  }
  return states;
}

}  // namespace

Task<Result<tel::ServerWrite>> PgTelemetryStore::write_server_events(
    std::span<const tel::ServerRow> batch) {
  // Two round trips: BEGIN and the subjects' opt-out states, then the rows the domain keeps and
  // COMMIT. A change committed before the first applies to the batch.
  auto body = [&](Transaction& tx) -> Task<Result<tel::ServerWrite>> {
    const auto [orgs, users] = subject_ids(tel::subjects_of(batch));
    FERR_CO_TRY(auto read, co_await tx.query(sql::opt_out_states, orgs, users));
    FERR_CO_TRY(const tel::OptOutStates states, opt_out_states(read));
    std::vector<const tel::EventRow*> kept;
    for (std::size_t i : tel::rows_to_store(batch, states)) kept.push_back(&batch[i].row);
    BatchInsert insert = batch_insert(kept, evidence_cap_);
    FERR_CO_TRY(auto results, co_await tx.commit_with(std::move(insert.statements)));
    FERR_CO_TRY(auto written, written_rows(insert, results));
    co_return tel::ServerWrite{static_cast<std::size_t>(std::ranges::count(written, true)),
                               batch.size() - kept.size()};
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::vector<bool>>> PgTelemetryStore::write_ingested(
    std::span<const tel::EventRow> rows) {
  std::vector<const tel::EventRow*> all;
  all.reserve(rows.size());
  for (const tel::EventRow& row : rows) all.push_back(&row);
  BatchInsert insert = batch_insert(all, evidence_cap_);
  if (insert.statements.empty()) co_return std::vector<bool>{};
  FERR_CO_TRY(auto results, co_await db_.pool().pipeline(std::move(insert.statements)));
  co_return written_rows(insert, results);
}

Task<Result<std::int64_t>> PgTelemetryStore::delete_rows_of_pseudonym(
    const std::string& pseudonym) {
  FERR_CO_TRY(auto done,
              co_await db_.pool().query(sql::delete_rows_of_pseudonym, pseudonym, evidence_cap_));
  co_return done.int64(0, 0);
}

Task<Result<std::vector<tel::EventRow>>> PgTelemetryStore::rows_of_pseudonym(
    const std::string& pseudonym) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::rows_of_pseudonym, pseudonym));
  std::vector<tel::EventRow> out;
  out.reserve(static_cast<std::size_t>(rows.rows()));
  for (int i = 0; i < rows.rows(); ++i) {
    tel::EventRow r;
    FERR_CO_TRY(r.id, read_uuid(rows, i, 0));
    if (!rows.is_null(i, 1)) {
      FERR_CO_TRY(r.event_id, read_uuid(rows, i, 1));
    }
    FERR_CO_TRY(r.surface, rows.string(i, 2));
    FERR_CO_TRY(r.event, rows.string(i, 3));
    FERR_CO_TRY(r.org_hash, rows.optional_string(i, 4));
    FERR_CO_TRY(r.user_hash, rows.optional_string(i, 5));
    FERR_CO_TRY(r.properties, rows.string(i, 6));
    FERR_CO_TRY(const std::int64_t version, rows.int64(i, 7));
    r.schema_version = static_cast<int>(version);
    FERR_CO_TRY(const std::string origin, rows.string(i, 8));
    FERR_CO_TRY(r.origin, core::known_stored_value(tel::parse_origin(origin),
                                                   "telemetry_events.origin", origin));
    FERR_CO_TRY(r.key_id, rows.optional_string(i, 9));
    FERR_CO_TRY(r.occurred_at, read_time(rows, i, 10));
    FERR_CO_TRY(r.received_at, read_time(rows, i, 11));
    out.push_back(std::move(r));
  }
  co_return out;
}

Task<Result<int>> PgTelemetryStore::ensure_partitions(core::TimePoint now) {
  co_return co_await ensure_partitions_from(core::format_date(
      std::chrono::floor<std::chrono::days>(now - std::chrono::days(retention_days_))));
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
  FERR_CO_CHECK(co_await ensure_partitions_from(
      core::format_date(std::chrono::floor<std::chrono::days>(before))));
  auto body = [&](Transaction& tx) -> Task<Result<tel::Expiry>> {
    std::vector<Statement> call;
    call.push_back({sql::expire_telemetry, {to_ms(before)}});
    call.push_back({sql::expire_hourly, {to_ms(before)}});
    FERR_CO_TRY(auto results, co_await tx.commit_with(std::move(call)));
    FERR_CO_TRY(const std::int64_t days, results[0].int64(0, 0));
    FERR_CO_TRY(const std::int64_t deleted, results[0].int64(0, 1));
    co_return tel::Expiry{static_cast<std::size_t>(days), static_cast<std::size_t>(deleted)};
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::vector<tel::DayCount>>> PgTelemetryStore::daily_counts(core::TimePoint from,
                                                                        core::TimePoint to) {
  FERR_CO_TRY(auto rows,
              co_await db_.pool().query(sql::daily_counts, to_ms(from), to_ms(to), evidence_cap_));
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
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::counts_since, to_ms(since), evidence_cap_));
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
