#pragma once
// TelemetryStore in memory, with the contract of the real ones: server events are checked
// against the opt-out flags of the organizations and user preferences of the shared database,
// ingested rows are de-duplicated by event_id, and retention rolls whole UTC days up before
// deleting them. It also keeps what the tests look at: the size of every batch written and the
// range of the last daily query.

#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "domain/telemetry/telemetry_store.hpp"
#include "fakes/database.hpp"
#include "fakes/hooks.hpp"

namespace ferr::fakes {

class FakeTelemetryStore final : public domain::telemetry::TelemetryStore {
 public:
  explicit FakeTelemetryStore(Database& db) : db_(db) {}

  /// Counts, fails and holds calls; method names are those of the interface.
  Hooks hooks;

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

  /// Rows stored so far.
  std::size_t rows() const;
  /// The size of each batch written by write_server_events (that reached the store), in order.
  std::vector<std::size_t> server_batches() const;
  /// The size of each batch written by write_ingested (that reached the store), in order.
  std::vector<std::size_t> ingest_batches() const;
  /// [from, to) of the last daily_counts call.
  std::optional<std::pair<core::TimePoint, core::TimePoint>> last_daily_range() const;

 private:
  Database& db_;
  std::vector<std::size_t> server_batches_;
  std::vector<std::size_t> ingest_batches_;
  std::optional<std::pair<core::TimePoint, core::TimePoint>> last_daily_range_;
};

}  // namespace ferr::fakes
