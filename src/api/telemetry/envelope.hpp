#pragma once
/// The validator of ingested envelopes (telemetry.md §4). It reads the catalog and nothing else:
/// an event, field or value the catalog does not declare is refused.

#include <cstddef>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "domain/telemetry/event_row.hpp"

namespace ferr::api {

/// Largest `properties` object, in bytes as received.
inline constexpr std::size_t kMaxPropertiesBytes = 4096;
/// The one schema version ingestion accepts today.
inline constexpr std::int64_t kSchemaVersion = 1;
/// How far in the future `occurred_at` may lie (clock skew on the client).
inline constexpr auto kMaxFutureSkew = std::chrono::hours(24);

/// What an envelope is judged against.
struct EnvelopeContext {
  core::TimePoint received_at;  ///< also the `occurred_at` of an envelope without one
  int retention_days;           ///< an older `occurred_at` is refused
};

/// Validates one envelope: `value` is the parsed JSON, `text` the bytes it was parsed from (only
/// read to measure `properties` as received). Returns the row to store, with every hash
/// lower-cased, the event name dotted, `properties` re-serialized compactly and `origin` ingest;
/// `id` is left for the caller. Fails with VALIDATION_FAILED whose `field` names the member
/// (`properties.<name>` for one property); members are checked in the order of telemetry.md §4,
/// unknown members last.
core::Result<domain::telemetry::EventRow> read_envelope(const boost::json::value& value,
                                                        std::string_view text,
                                                        const EnvelopeContext& context);

}  // namespace ferr::api
