#include "support/stored_events.hpp"

#include <stdexcept>

#include "core/hex.hpp"
#include "core/uuid.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/database.hpp"
#include "support/b3sum.hpp"

namespace ferr::testing {

namespace {
std::optional<std::string> text_or_null(const storage::sqlite::Statement& row, int column) {
  if (row.column_is_null(column)) return std::nullopt;
  return row.column_text(column);
}
}  // namespace

std::vector<StoredEvent> stored_events(app::Application& app, const std::string& event) {
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

}  // namespace ferr::testing
