#include "storage/sqlite/migrator.hpp"

#include "core/time_format.hpp"

namespace ferr::storage::sqlite {

core::Result<int> current_version(Connection& c) {
  auto exists = c.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return core::fail(exists.error());
  StatementScope probe(**exists);
  if (auto row = probe->step(); !row) return core::fail(row.error());
  if (probe->column_int(0) == 0) return 0;

  auto max = c.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max) return core::fail(max.error());
  StatementScope query(**max);
  if (auto row = query->step(); !row) return core::fail(row.error());
  return static_cast<int>(query->column_int(0));
}

core::Result<MigrationReport> migrate(Connection& c, const std::vector<Migration>& migrations,
                                      const core::Clock& clock) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1)
      return core::fail(core::Error::internal("migrations are not numbered 1..n without gaps"));
  }
  auto tx = Transaction::begin(c);
  if (!tx) return core::fail(tx.error());
  auto version = current_version(c);
  if (!version) return core::fail(version.error());

  MigrationReport report{*version, *version, 0};
  int latest = static_cast<int>(migrations.size());
  if (*version > latest) {
    return core::fail(core::Error::internal(
        "the database schema (version " + std::to_string(*version) +
        ") is newer than this binary (version " + std::to_string(latest) + ")"));
  }
  for (const Migration& m : migrations) {
    if (m.version <= *version) continue;
    if (auto r = c.exec(m.sql); !r) {
      core::Error e = r.error();
      e.log_detail =
          "migration " + std::to_string(m.version) + " (" + m.name + "): " + e.log_detail;
      return core::fail(std::move(e));
    }
    auto record =
        c.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
    if (!record) return core::fail(record.error());
    StatementScope insert(**record);
    insert->bind(1, static_cast<std::int64_t>(m.version))
        .bind(2, m.name)
        .bind(3, core::format_rfc3339_ms(clock.now()));
    if (auto r = insert->run(); !r) return core::fail(r.error());
    report.to_version = m.version;
    ++report.applied;
  }
  if (auto r = tx->commit(); !r) return core::fail(r.error());
  return report;
}

}  // namespace ferr::storage::sqlite
