#pragma once
/// TelemetryStore on PostgreSQL: one statement per batch (de-duplication and the hourly counts
/// inside it), day partitions, retention by dropping whole partitions after their rollup.

#include <string>

#include "core/clock.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

/// Two counts that must not trade places, named.
struct PgTelemetrySizes {
  int retention_days;  ///< how long raw events are kept, which sizes the partition window
  /// The k of the statistics: the most pseudonyms an hourly cell keeps
  /// (domain/telemetry/hourly_counts.hpp).
  int evidence_cap;
};

class PgTelemetryStore final : public domain::telemetry::TelemetryStore {
 public:
  PgTelemetryStore(Database& db, PgTelemetrySizes sizes)
      : db_(db), retention_days_(sizes.retention_days), evidence_cap_(sizes.evidence_cap) {}

  core::Task<core::Result<domain::telemetry::ServerWrite>> write_server_events(
      std::span<const domain::telemetry::ServerRow> batch) override;
  core::Task<core::Result<std::vector<bool>>> write_ingested(
      std::span<const domain::telemetry::EventRow> rows) override;
  /// Also makes sure the day partitions of the window starting at the cutoff's day exist (so the
  /// periodic retention pass creates the coming days' partitions), before expiring.
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

  /// Creates the missing day partitions of the window [today - retention days, today + 2] (UTC
  /// days of `now`); returns how many it created. Idempotent; the app awaits it at start-up.
  core::Task<core::Result<int>> ensure_partitions(core::TimePoint now);

 private:
  /// `telemetry_ensure_partitions(from_day, retention days + 3)`; `from_day` is `YYYY-MM-DD`.
  core::Task<core::Result<int>> ensure_partitions_from(std::string from_day);

  Database& db_;
  int retention_days_;
  int evidence_cap_;
};

}  // namespace ferr::storage::postgres
