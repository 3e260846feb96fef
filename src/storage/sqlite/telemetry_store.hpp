#pragma once
/// TelemetryStore on SQLite.

#include "domain/telemetry/telemetry_store.hpp"
#include "storage/sqlite/database.hpp"

namespace ferr::storage::sqlite {

class SqliteTelemetryStore final : public domain::telemetry::TelemetryStore {
 public:
  explicit SqliteTelemetryStore(Database& db) : db_(db) {}

  core::Result<domain::telemetry::ServerWrite> write_server_events(
      std::span<const domain::telemetry::ServerRow> batch) override;
  core::Result<std::vector<bool>> write_ingested(
      std::span<const domain::telemetry::EventRow> rows) override;
  core::Result<domain::telemetry::Expiry> expire_before(core::TimePoint before) override;
  core::Result<std::vector<domain::telemetry::DayCount>> daily_counts(core::TimePoint from,
                                                                      core::TimePoint to) override;
  core::Result<std::vector<domain::telemetry::EventCount>> counts_since(
      core::TimePoint since) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::sqlite
