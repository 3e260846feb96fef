#include "domain/orgs/role.hpp"

#include "domain/orgs/audit.hpp"

namespace ferr::domain::orgs {

namespace {
core::Error forbidden(std::string message) {
  return core::Error::make(core::ErrorCode::auth_forbidden, std::move(message));
}
bool privileged(Role role) { return role == Role::owner || role == Role::admin; }
core::Error last_owner() {
  return core::Error::make(core::ErrorCode::org_last_owner,
                           "the organization would be left without an owner");
}
}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::owner: return "owner";
    case Role::admin: return "admin";
    case Role::member: return "member";
    case Role::viewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : {Role::owner, Role::admin, Role::member, Role::viewer})
    if (role_name(r) == name) return r;
  return std::nullopt;
}

core::Result<void> may_assign(Role actor, std::optional<Role> current, Role wanted) {
  if (!is_admin_or_owner(actor))
    return core::fail(forbidden("only owners and admins manage members"));
  bool touches_privilege = privileged(wanted) || (current && privileged(*current));
  if (touches_privilege && actor != Role::owner)
    return core::fail(forbidden("only an owner grants or removes the owner and admin roles"));
  return {};
}

core::Result<void> may_remove(Role actor, Role current) {
  if (!is_admin_or_owner(actor))
    return core::fail(forbidden("only owners and admins manage members"));
  if (privileged(current) && actor != Role::owner)
    return core::fail(forbidden("only an owner removes an owner or an admin"));
  return {};
}

core::Error member_not_found() {
  return core::Error::make(core::ErrorCode::org_member_not_found,
                           "no such member in this organization");
}

core::Result<RoleChangePlan> plan_role_change(Role actor, const std::optional<StoredMember>& target,
                                              Role wanted) {
  if (!target) return core::fail(member_not_found());
  if (auto allowed = may_assign(actor, target->role, wanted); !allowed)
    return core::fail(allowed.error());
  if (target->role == wanted) return RoleChangePlan{};
  if (target->role == Role::owner && target->owners <= 1) return core::fail(last_owner());
  return RoleChangePlan{true, role_changed_metadata(target->role, wanted)};
}

core::Result<std::string> plan_removal(Role actor, const std::optional<StoredMember>& target) {
  if (!target) return core::fail(member_not_found());
  if (auto allowed = may_remove(actor, target->role); !allowed) return core::fail(allowed.error());
  if (target->role == Role::owner && target->owners <= 1) return core::fail(last_owner());
  return member_removed_metadata(target->role);
}

}  // namespace ferr::domain::orgs
