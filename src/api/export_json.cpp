#include "api/export_json.hpp"

#include <boost/json.hpp>

#include "api/account_json.hpp"
#include "api/org_json.hpp"
#include "api/token_json.hpp"
#include "core/time_format.hpp"

namespace ferr::api {

namespace {

namespace json = boost::json;

json::value text_or_null(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

/// A stored telemetry row with every column but the internal id.
json::object event_object(const domain::telemetry::EventRow& row) {
  json::object o;
  o["event_id"] = row.event_id ? json::value(row.event_id->to_string()) : json::value(nullptr);
  o["surface"] = row.surface;
  o["event"] = row.event;
  o["org_hash"] = text_or_null(row.org_hash);
  o["user_hash"] = text_or_null(row.user_hash);
  boost::system::error_code ec;
  auto properties = json::parse(row.properties, ec);  // stored as a JSON object
  o["properties"] = ec ? json::value(json::object{}) : properties;
  o["schema_version"] = row.schema_version;
  o["origin"] = domain::telemetry::origin_name(row.origin);
  o["key_id"] = text_or_null(row.key_id);
  o["occurred_at"] = core::format_rfc3339_ms(row.occurred_at);
  o["received_at"] = core::format_rfc3339_ms(row.received_at);
  return o;
}

}  // namespace

std::string account_export_json(const domain::privacy::AccountExport& data) {
  json::object out;
  out["exported_at"] = core::format_rfc3339_ms(data.exported_at);
  out["user"] = user_object(data.user);
  out["telemetry_prefs"] = json::object{{"telemetry_opt_out", data.telemetry_opt_out}};
  out["sessions"] = sessions_array(data.sessions, data.current_session);
  out["api_tokens"] = personal_tokens_array(data.api_tokens);
  json::array memberships;
  for (const auto& m : data.memberships) {
    memberships.push_back(json::object{{"org_id", m.org_id.to_string()},
                                       {"slug", m.slug},
                                       {"name", m.name},
                                       {"role", domain::orgs::role_name(m.role)},
                                       {"joined_at", core::format_rfc3339_ms(m.joined_at)}});
  }
  out["memberships"] = std::move(memberships);
  json::array audit;
  for (const auto& a : data.audit_entries_by_you) {
    json::object entry = audit_entry_object(a.entry);
    entry["org_id"] = a.org_id.to_string();
    audit.push_back(std::move(entry));
  }
  out["audit_entries_by_you"] = std::move(audit);
  json::array events;
  for (const auto& row : data.telemetry_events) events.push_back(event_object(row));
  out["telemetry"] = json::object{
      {"pseudonym", data.pseudonym}, {"key_id", data.key_id}, {"events", std::move(events)}};
  return json::serialize(out);
}

std::string export_file_name(const domain::privacy::AccountExport& data) {
  return "ferrlabs-export-" + data.user.id.to_string() + ".json";
}

}  // namespace ferr::api
