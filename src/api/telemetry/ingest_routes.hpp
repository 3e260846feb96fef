#pragma once
/// Public ingestion (telemetry.md §4): `POST /v1/telemetry` and `POST /v1/telemetry/batch`.
///
/// No credentials, a per-client rate limit, strict validation against the catalog, and group
/// commit: an answer is sent only once its rows are durable. The client's address is used for
/// the rate limit only (as a keyed pseudonym, in memory): it reaches no row and no log line.

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/random.hpp"
#include "domain/telemetry/ingest_writer.hpp"
#include "http/middleware/rate_limiter.hpp"
#include "http/router.hpp"

namespace ferr::api {

/// Body limits of the two routes.
inline constexpr std::size_t kEnvelopeBodyLimit = std::size_t{64} << 10;
inline constexpr std::size_t kBatchBodyLimit = std::size_t{1} << 20;
/// Envelopes one batch may carry.
inline constexpr std::size_t kMaxBatchEvents = 500;

struct TelemetryIngestDeps {
  domain::telemetry::IngestWriter& writer;
  http::RateLimiter& limiter;
  core::MetricsRegistry& metrics;
  const core::Clock& clock;
  core::Random& random;  ///< for the rows' UUIDv7 ids
  int retention_days;
};

/// Registers the two ingestion routes.
void add_telemetry_ingest_routes(http::Router& router, const TelemetryIngestDeps& deps);

}  // namespace ferr::api
