#include "domain/orgs/org_access.hpp"

#include "core/json_escape.hpp"

namespace ferr::domain::orgs {

core::Result<OrgView> org_as(OrgRepository& repository, const core::Uuid& actor,
                             const std::string& slug, Access access) {
  auto org = repository.org_for_member(slug, actor);
  if (!org) return core::fail(org.error());
  if (!*org)
    return core::fail(core::Error::make(core::ErrorCode::org_not_found, "organization not found"));
  if (access == Access::write && !is_admin_or_owner((*org)->role))
    return core::fail(
        core::Error::make(core::ErrorCode::auth_forbidden, "this needs the owner or admin role"));
  return **org;
}

AuditRecord audit_record(const core::Clock& clock, core::Random& random, const core::Uuid& actor,
                         std::string action, std::string target, std::string metadata) {
  return AuditRecord{
      core::Uuid::v7(clock, random), actor,      std::move(action), std::move(target),
      std::move(metadata),           clock.now()};
}

std::string json_string(std::string_view s) {
  std::string out;
  core::append_json_string(out, s);
  return out;
}

}  // namespace ferr::domain::orgs
