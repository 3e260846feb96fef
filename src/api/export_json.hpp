#pragma once
/// The body of `GET /auth/me/export` (api.md "Export (right of access)").

#include <string>

#include "domain/privacy/personal_data.hpp"

namespace ferr::api {

/// `{"exported_at", "user", "telemetry_prefs", "sessions", "api_tokens", "memberships",
/// "audit_entries_by_you", "telemetry": {"pseudonym", "key_id", "events"}}`.
std::string account_export_json(const domain::privacy::AccountExport& data);

/// `ferrlabs-export-<user id>.json`, the attachment's file name.
std::string export_file_name(const domain::privacy::AccountExport& data);

}  // namespace ferr::api
