#include "domain/orgs/role.hpp"

namespace ferr::domain::orgs {

namespace {
core::Error forbidden(std::string message) {
  return core::Error::make(core::ErrorCode::auth_forbidden, std::move(message));
}
bool privileged(Role role) { return role == Role::owner || role == Role::admin; }
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

}  // namespace ferr::domain::orgs
