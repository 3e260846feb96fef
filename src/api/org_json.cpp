#include "api/org_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/time_format.hpp"

namespace ferr::api {

namespace {
using boost::json::array;
using boost::json::object;

object org_object(const domain::orgs::OrgView& o) {
  return object{{"id", o.id.to_string()},
                {"slug", o.slug},
                {"name", o.name},
                {"plan", domain::subscriptions::tier_name(o.plan)},
                {"role", domain::orgs::role_name(o.role)},
                {"member_count", o.member_count},
                {"telemetry_opt_out", o.telemetry_opt_out},
                {"created_at", core::format_rfc3339_ms(o.created_at)},
                {"updated_at", core::format_rfc3339_ms(o.updated_at)}};
}

object member_object(const domain::orgs::Member& m) {
  object o{{"user_id", m.user_id.to_string()},
           {"email", m.email},
           {"display_name", nullptr},
           {"role", domain::orgs::role_name(m.role)},
           {"joined_at", core::format_rfc3339_ms(m.joined_at)}};
  if (m.display_name) o["display_name"] = *m.display_name;
  return o;
}
}  // namespace

std::string org_json(const domain::orgs::OrgView& org) {
  return boost::json::serialize(org_object(org));
}

std::string orgs_json(const std::vector<domain::orgs::OrgView>& orgs) {
  array a;
  for (const auto& o : orgs) a.push_back(org_object(o));
  return boost::json::serialize(a);
}

std::string member_json(const domain::orgs::Member& member) {
  return boost::json::serialize(member_object(member));
}

std::string members_json(const std::vector<domain::orgs::Member>& members) {
  array a;
  for (const auto& m : members) a.push_back(member_object(m));
  return boost::json::serialize(a);
}

object audit_entry_object(const domain::orgs::AuditRecord& e) {
  boost::system::error_code ec;
  auto metadata = boost::json::parse(e.metadata, ec);  // written by us: always an object
  return object{{"id", e.id.to_string()},
                {"actor_id", e.actor_id ? boost::json::value(e.actor_id->to_string())
                                        : boost::json::value(nullptr)},
                {"action", e.action},
                {"target", e.target},
                {"metadata", ec ? boost::json::value(object{}) : metadata},
                {"created_at", core::format_rfc3339_ms(e.created_at)}};
}

std::string audit_json(const std::vector<domain::orgs::AuditRecord>& entries) {
  array a;
  for (const auto& e : entries) a.push_back(audit_entry_object(e));
  return boost::json::serialize(a);
}

}  // namespace ferr::api
