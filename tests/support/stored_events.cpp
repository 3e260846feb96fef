#include "support/stored_events.hpp"

#include <stdexcept>
#include <string_view>

#include <boost/json.hpp>

#include "core/hex.hpp"
#include "core/uuid.hpp"
#include "postgres/pg_test_support.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/database.hpp"
#include "support/b3sum.hpp"

namespace ferr::testing {

namespace {
std::optional<std::string> text_or_null(const storage::sqlite::Statement& row, int column) {
  if (row.column_is_null(column)) return std::nullopt;
  return row.column_text(column);
}

long long integer(const std::optional<std::string>& text) { return std::stoll(text.value()); }

/// The same read on PostgreSQL, over a connection of the test's own.
std::vector<StoredEvent> postgres_events(const std::string& url, const std::string& event) {
  auto rows = pgtest::admin_rows(
      url,
      "SELECT id::text, surface, event, event_id::text, org_hash, user_hash, key_id, "
      "properties::text, origin, schema_version::text, "
      "(extract(epoch FROM occurred_at) * 1000)::bigint::text, "
      "(extract(epoch FROM received_at) * 1000)::bigint::text "
      "FROM telemetry_events WHERE $1 = '' OR event = $1 "
      // Rows of one instant share a day's partition: in the order they were written there, by
      // transaction, then by their place in the table (the tests neither update nor delete
      // before they read).
      "ORDER BY occurred_at, xmin::text::bigint, ctid",
      {event});
  std::vector<StoredEvent> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back(StoredEvent{r[0].value(), r[1].value(), r[2].value(), r[3], r[4], r[5], r[6],
                              r[7].value(), r[8].value(), static_cast<int>(integer(r[9])),
                              integer(r[10]), integer(r[11]), /*properties_as_jsonb=*/true});
  }
  return out;
}

}  // namespace

std::vector<StoredEvent> stored_events(app::Application& app, const std::string& event) {
  const auto& database = app.config().database;
  if (database.kind == app::DatabaseTarget::Kind::postgres)
    return postgres_events(database.location, event);
  auto rows = app.database().read(
      [&](storage::sqlite::Connection& c) -> core::Result<std::vector<StoredEvent>> {
        auto q = c.query(
            "SELECT id, event_id, surface, event, org_hash, user_hash, properties, schema_version, "
            "origin, key_id, occurred_at, received_at FROM telemetry_events "
            "WHERE ?1 = '' OR event = ?1 ORDER BY occurred_at, rowid");
        if (!q) return core::fail(q.error());
        (*q)->bind(1, event);
        std::vector<StoredEvent> out;
        for (;;) {
          auto row = (*q)->step();
          if (!row) return core::fail(row.error());
          if (!*row) return out;
          auto& s = **q;
          out.push_back(StoredEvent{s.column_text(0), s.column_text(2), s.column_text(3),
                                    text_or_null(s, 1), text_or_null(s, 4), text_or_null(s, 5),
                                    text_or_null(s, 9), s.column_text(6), s.column_text(8),
                                    static_cast<int>(s.column_int(7)), s.column_int(10),
                                    s.column_int(11)});
        }
      });
  if (!rows) throw std::runtime_error(rows.error().log_detail);
  return *rows;
}

std::string b3sum_pseudonym(const std::string& uuid) {
  std::array<std::uint8_t, 32> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  auto id = core::Uuid::parse(uuid);
  if (!id) throw std::runtime_error("not a uuid: " + uuid);
  auto hex = b3sum_keyed(key, std::string(id->bytes.begin(), id->bytes.end()));
  if (!hex) throw std::runtime_error("b3sum could not run");
  return hex->substr(0, 32);
}

std::vector<StoredDay> stored_days(app::Application& app) {
  const auto& database = app.config().database;
  std::vector<StoredDay> out;
  if (database.kind == app::DatabaseTarget::Kind::postgres) {
    for (auto& r : pgtest::admin_rows(database.location,
                                      "SELECT to_char(day, 'YYYY-MM-DD'), surface, event, "
                                      "count::text, distinct_orgs::text, distinct_users::text "
                                      "FROM telemetry_daily ORDER BY day, event"))
      out.push_back(
          {r[0].value(), r[1].value(), r[2].value(), integer(r[3]), integer(r[4]), integer(r[5])});
    return out;
  }
  auto rows = app.database().read(
      [&](storage::sqlite::Connection& c) -> core::Result<std::vector<StoredDay>> {
        auto q = c.query(
            "SELECT day, surface, event, count, distinct_orgs, distinct_users FROM "
            "telemetry_daily ORDER BY day, event");
        if (!q) return core::fail(q.error());
        for (;;) {
          auto row = (*q)->step();
          if (!row) return core::fail(row.error());
          if (!*row) return out;
          auto& s = **q;
          out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_int(3),
                         s.column_int(4), s.column_int(5)});
        }
      });
  if (!rows) throw std::runtime_error(rows.error().log_detail);
  return *rows;
}

::testing::AssertionResult properties_are(const StoredEvent& row, std::string_view expected) {
  bool same = row.properties == expected;
  if (row.properties_as_jsonb) {
    boost::system::error_code stored_error;
    boost::system::error_code expected_error;
    auto stored = boost::json::parse(row.properties, stored_error);
    auto wanted = boost::json::parse(expected, expected_error);
    if (expected_error) return ::testing::AssertionFailure() << "not JSON: " << expected;
    same = !stored_error && stored == wanted;
  }
  if (same) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "stored properties " << row.properties << ", expected " << expected;
}

}  // namespace ferr::testing
