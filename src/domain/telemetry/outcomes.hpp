#pragma once
/// `telemetry_events_total{outcome}` (api.md, operator routes), shared by the emitter and
/// ingestion so both count into one family with one help text.

#include <string_view>

#include "core/metrics.hpp"

namespace ferr::domain::telemetry {

/// The counter of one outcome: `written`, `opted_out`, `dropped_queue_full`, `failed`,
/// `rejected_invalid`, `duplicate` or `rate_limited`.
core::Counter& outcome_counter(core::MetricsRegistry& metrics, std::string_view outcome);

}  // namespace ferr::domain::telemetry
