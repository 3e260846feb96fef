#pragma once
/// JSON shapes of "Organizations and members" (api.md): org, member and audit entry.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "domain/orgs/organization.hpp"

namespace ferr::api {

std::string org_json(const domain::orgs::OrgView& org);
std::string orgs_json(const std::vector<domain::orgs::OrgView>& orgs);
std::string member_json(const domain::orgs::Member& member);
std::string members_json(const std::vector<domain::orgs::Member>& members);
/// `{"id", "actor_id", "action", "target", "metadata", "created_at"}`.
boost::json::object audit_entry_object(const domain::orgs::AuditRecord& entry);
std::string audit_json(const std::vector<domain::orgs::AuditRecord>& entries);

}  // namespace ferr::api
