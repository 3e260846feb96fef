#pragma once
// A telemetry store that passes every call to a real one: the base of the test stores that
// inject faults into, or watch, some of the calls.

#include <span>
#include <vector>

#include "domain/telemetry/telemetry_store.hpp"

namespace ferr::testing {

class ForwardingStore : public domain::telemetry::TelemetryStore {
 public:
  explicit ForwardingStore(domain::telemetry::TelemetryStore& real) : real_(real) {}

  core::Task<core::Result<domain::telemetry::ServerWrite>> write_server_events(
      std::span<const domain::telemetry::ServerRow> batch) override {
    co_return co_await real_.write_server_events(batch);
  }
  core::Task<core::Result<std::vector<bool>>> write_ingested(
      std::span<const domain::telemetry::EventRow> rows) override {
    co_return co_await real_.write_ingested(rows);
  }
  core::Task<core::Result<domain::telemetry::Expiry>> expire_before(
      core::TimePoint before) override {
    co_return co_await real_.expire_before(before);
  }
  core::Task<core::Result<std::vector<domain::telemetry::DayCount>>> daily_counts(
      core::TimePoint from, core::TimePoint to) override {
    co_return co_await real_.daily_counts(from, to);
  }
  core::Task<core::Result<std::vector<domain::telemetry::EventRow>>> rows_of_pseudonym(
      const std::string& pseudonym) override {
    co_return co_await real_.rows_of_pseudonym(pseudonym);
  }
  core::Task<core::Result<std::int64_t>> delete_rows_of_pseudonym(
      const std::string& pseudonym) override {
    co_return co_await real_.delete_rows_of_pseudonym(pseudonym);
  }
  core::Task<core::Result<std::vector<domain::telemetry::EventCount>>> counts_since(
      core::TimePoint since) override {
    co_return co_await real_.counts_since(since);
  }

 protected:
  domain::telemetry::TelemetryStore& real_;
};

}  // namespace ferr::testing
