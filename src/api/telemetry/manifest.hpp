#pragma once
/// The catalog manifest of telemetry.md §6 (`GET /v1/telemetry/catalog`), generated from the
/// catalog and the disclosure texts — the same sources as the /telemetry pages.

#include <string>

namespace ferr::api {

/// The manifest as JSON text (English texts), with the running key's id and the retention window.
std::string manifest_json(const std::string& key_id, int retention_days);

}  // namespace ferr::api
