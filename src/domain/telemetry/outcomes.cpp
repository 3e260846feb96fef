#include "domain/telemetry/outcomes.hpp"

#include <string>

namespace ferr::domain::telemetry {

core::Counter& outcome_counter(core::MetricsRegistry& metrics, std::string_view outcome) {
  return metrics.counter(
      "telemetry_events_total",
      "Telemetry events by outcome: written, opted_out, dropped_queue_full, failed, "
      "rejected_invalid, duplicate, rate_limited",
      {{"outcome", std::string(outcome)}});
}

}  // namespace ferr::domain::telemetry
