#include "domain/orgs/org_service.hpp"

#include "domain/accounts/validation.hpp"
#include "domain/orgs/org_access.hpp"

namespace ferr::domain::orgs {

namespace {

using core::Error;
using core::ErrorCode;
using core::fail;

core::Result<void> check_name(const std::string& name) {
  // Same rule as a display name: 1–100 printable characters.
  if (!accounts::is_valid_display_name(name))
    return fail(Error::validation("name", "name must be 1 to 100 characters"));
  return {};
}

core::Result<void> check_slug(const std::string& slug) {
  if (!is_valid_slug(slug))
    return fail(Error::validation(
        "slug", "slug must be 2 to 40 of a-z, 0-9 and -, not starting or ending with -"));
  return {};
}

}  // namespace

bool is_valid_slug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 40 || slug.front() == '-' || slug.back() == '-')
    return false;
  for (char c : slug)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

OrgService::OrgService(OrgRepository& repository, OrgEvents& events, const core::Clock& clock,
                       core::Random& random)
    : repository_(repository), events_(events), clock_(clock), random_(random) {}

AuditRecord OrgService::stamp(const core::Uuid& actor, std::string action, std::string target,
                              std::string metadata) {
  return audit_record(clock_, random_, actor, std::move(action), std::move(target),
                      std::move(metadata));
}

core::Result<OrgView> OrgService::create(const core::Uuid& actor, const std::string& slug,
                                         const std::string& name) {
  if (auto r = check_slug(slug); !r) return fail(r.error());
  if (auto r = check_name(name); !r) return fail(r.error());
  auto id = core::Uuid::v7(clock_, random_);
  auto org = repository_.create_org(
      id, slug, name, actor,
      stamp(actor, "org.created", slug,
            "{\"slug\":" + json_string(slug) + ",\"name\":" + json_string(name) + "}"));
  if (org) events_.org_created(org->id, actor);
  return org;
}

core::Result<std::vector<OrgView>> OrgService::list(const core::Uuid& actor) {
  return repository_.orgs_of(actor);
}

core::Result<OrgView> OrgService::get(const core::Uuid& actor, const std::string& slug) {
  return org_as(repository_, actor, slug, Access::read);
}

core::Result<OrgView> OrgService::update(const core::Uuid& actor, const std::string& slug,
                                         const std::optional<std::string>& name,
                                         const std::optional<std::string>& new_slug) {
  auto org = org_as(repository_, actor, slug, Access::write);
  if (!org) return fail(org.error());
  if (new_slug) {
    if (auto r = check_slug(*new_slug); !r) return fail(r.error());
  }
  if (name) {
    if (auto r = check_name(*name); !r) return fail(r.error());
  }
  std::string changed;
  if (name && *name != org->name) changed += "\"name\":" + json_string(*name);
  if (new_slug && *new_slug != org->slug) {
    if (!changed.empty()) changed += ',';
    changed += "\"slug\":";
    changed += json_string(*new_slug);
  }
  if (changed.empty()) return *org;  // nothing changes, nothing to audit
  return repository_.update_org(
      org->id, actor, name, new_slug,
      stamp(actor, "org.updated", new_slug.value_or(org->slug), "{" + changed + "}"));
}

core::Result<std::vector<Member>> OrgService::members(const core::Uuid& actor,
                                                      const std::string& slug) {
  auto org = org_as(repository_, actor, slug, Access::read);
  if (!org) return fail(org.error());
  return repository_.members(org->id);
}

core::Result<Member> OrgService::add_member(const core::Uuid& actor, const std::string& slug,
                                            const std::string& email, Role role) {
  auto org = org_as(repository_, actor, slug, Access::write);
  if (!org) return fail(org.error());
  if (role == Role::owner)
    return fail(Error::validation("role", "role must be admin, member or viewer"));
  if (auto allowed = may_assign(org->role, std::nullopt, role); !allowed)
    return fail(allowed.error());
  auto normalized = accounts::normalize_email(email);
  if (!normalized) return fail(Error::validation("email", "email must be a valid e-mail address"));
  auto member = repository_.add_member(
      org->id, *normalized, role,
      stamp(actor, "org.member.added", "", "{\"role\":\"" + std::string(role_name(role)) + "\"}"));
  if (member) events_.member_added(org->id, actor, role);
  return member;
}

core::Result<Member> OrgService::change_role(const core::Uuid& actor, const std::string& slug,
                                             const core::Uuid& user, Role role) {
  auto org = org_as(repository_, actor, slug, Access::write);
  if (!org) return fail(org.error());
  Role actor_role = org->role;
  return repository_.change_role(
      org->id, user, role, [&](Role current) { return may_assign(actor_role, current, role); },
      stamp(actor, "org.member.role_changed", user.to_string()));
}

core::Result<void> OrgService::remove_member(const core::Uuid& actor, const std::string& slug,
                                             const core::Uuid& user) {
  auto org = org_as(repository_, actor, slug, Access::write);
  if (!org) return fail(org.error());
  if (user == actor)
    return fail(Error::make(ErrorCode::org_cannot_remove_self,
                            "you cannot remove yourself through this route"));
  Role actor_role = org->role;
  return repository_.remove_member(
      org->id, user, [&](Role current) { return may_remove(actor_role, current); },
      stamp(actor, "org.member.removed", user.to_string()));
}

core::Result<bool> OrgService::telemetry_opt_out(const core::Uuid& actor, const std::string& slug) {
  auto org = org_as(repository_, actor, slug, Access::read);
  if (!org) return fail(org.error());
  return org->telemetry_opt_out;
}

core::Result<bool> OrgService::set_telemetry_opt_out(const core::Uuid& actor,
                                                     const std::string& slug, bool opt_out) {
  auto org = org_as(repository_, actor, slug, Access::write);
  if (!org) return fail(org.error());
  auto metadata = std::string("{\"from\":") + (org->telemetry_opt_out ? "true" : "false") +
                  ",\"to\":" + (opt_out ? "true" : "false") + "}";
  if (auto saved = repository_.set_telemetry_opt_out(
          org->id, opt_out, stamp(actor, "telemetry.opt_out.update", org->slug, metadata));
      !saved)
    return fail(saved.error());
  return opt_out;
}

core::Result<std::vector<AuditRecord>> OrgService::audit(const core::Uuid& actor,
                                                         const std::string& slug, int limit,
                                                         const std::optional<core::Uuid>& before) {
  auto org = org_as(repository_, actor, slug, Access::write);
  if (!org) return fail(org.error());
  return repository_.audit_log(org->id, limit, before);
}

}  // namespace ferr::domain::orgs
