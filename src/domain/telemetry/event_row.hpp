#pragma once
/// One row of `telemetry_events` (telemetry.md §5). There is no field for an IP address, a user
/// agent, a cookie, an e-mail or a raw id: what is not here cannot be stored.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/uuid.hpp"

namespace ferr::domain::telemetry {

/// Who wrote a row: the server-side emitter or the public ingestion endpoint.
enum class Origin { server, ingest };

/// `server` or `ingest`.
inline const char* origin_name(Origin origin) {
  return origin == Origin::server ? "server" : "ingest";
}

/// The origin named `name`; nullopt for any other text.
inline std::optional<Origin> parse_origin(std::string_view name) {
  if (name == "server") return Origin::server;
  if (name == "ingest") return Origin::ingest;
  return std::nullopt;
}

struct EventRow {
  core::Uuid id;                         ///< UUIDv7
  std::optional<core::Uuid> event_id;    ///< client-chosen, unique when present
  std::string surface;                   ///< slug
  std::string event;                     ///< dotted name
  std::optional<std::string> org_hash;   ///< 32 lowercase hex
  std::optional<std::string> user_hash;  ///< 32 lowercase hex
  std::string properties = "{}";         ///< a JSON object, as text
  int schema_version = 1;
  Origin origin = Origin::ingest;
  std::optional<std::string> key_id;  ///< 8 hex for server rows
  core::TimePoint occurred_at;
  core::TimePoint received_at;
};

}  // namespace ferr::domain::telemetry
