#pragma once
/// TelemetryStore on SQLite: every call is one transaction or one read, run on the database's
/// own threads in one hop (a whole batch in one transaction, its hourly counts included).

#include "domain/telemetry/telemetry_store.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

class SqliteTelemetryStore final : public domain::telemetry::TelemetryStore {
 public:
  /// `evidence_cap`: the k of the statistics, the most pseudonyms an hourly cell keeps
  /// (domain/telemetry/hourly_counts.hpp).
  SqliteTelemetryStore(Database& db, int evidence_cap) : db_(db), evidence_cap_(evidence_cap) {}

  core::Task<core::Result<domain::telemetry::ServerWrite>> write_server_events(
      std::span<const domain::telemetry::ServerRow> batch) override;
  core::Task<core::Result<std::vector<bool>>> write_ingested(
      std::span<const domain::telemetry::EventRow> rows) override;
  core::Task<core::Result<domain::telemetry::Expiry>> expire_before(
      core::TimePoint before) override;
  core::Task<core::Result<std::vector<domain::telemetry::DayCount>>> daily_counts(
      core::TimePoint from, core::TimePoint to) override;
  core::Task<core::Result<std::vector<domain::telemetry::EventRow>>> rows_of_pseudonym(
      const std::string& pseudonym) override;
  core::Task<core::Result<std::int64_t>> delete_rows_of_pseudonym(
      const std::string& pseudonym) override;
  core::Task<core::Result<std::vector<domain::telemetry::EventCount>>> counts_since(
      core::TimePoint since) override;

 private:
  Database& db_;
  int evidence_cap_;
};

}  // namespace ferr::storage::sqlite
