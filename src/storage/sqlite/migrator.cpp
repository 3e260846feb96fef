#include "storage/sqlite/migrator.hpp"

#include "core/time_format.hpp"
#include "core/try.hpp"

namespace ferr::storage::sqlite {

core::Result<int> current_version(Connection& c) {
  FERR_TRY(auto probe, c.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                               "name = 'schema_migrations'"));
  FERR_CHECK(probe->step());
  if (probe->column_int(0) == 0) return 0;

  FERR_TRY(auto query, c.query("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  FERR_CHECK(query->step());
  return static_cast<int>(query->column_int(0));
}

core::Result<MigrationReport> migrate(Connection& c, const std::vector<Migration>& migrations,
                                      const core::Clock& clock) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1)
      return core::fail(core::Error::internal("migrations are not numbered 1..n without gaps"));
  }
  FERR_TRY(auto tx, Transaction::begin(c));
  FERR_TRY(int version, current_version(c));

  MigrationReport report{version, version, 0};
  int latest = static_cast<int>(migrations.size());
  if (version > latest) {
    return core::fail(core::Error::internal(
        "the database schema (version " + std::to_string(version) +
        ") is newer than this binary (version " + std::to_string(latest) + ")"));
  }
  for (const Migration& m : migrations) {
    if (m.version <= version) continue;
    if (auto r = c.exec(m.sql); !r) {
      core::Error e = r.error();
      e.log_detail =
          "migration " + std::to_string(m.version) + " (" + m.name + "): " + e.log_detail;
      return core::fail(std::move(e));
    }
    FERR_TRY(auto insert, c.query("INSERT INTO schema_migrations (version, name, applied_at) "
                                  "VALUES (?, ?, ?)"));
    insert->bind(1, static_cast<std::int64_t>(m.version))
        .bind(2, m.name)
        .bind(3, core::format_rfc3339_ms(clock.now()));
    FERR_CHECK(insert->run());
    report.to_version = m.version;
    ++report.applied;
  }
  FERR_CHECK(tx.commit());
  return report;
}

}  // namespace ferr::storage::sqlite
