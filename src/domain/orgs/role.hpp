#pragma once
/// Organization roles, highest first, and the rules of who may change whom (api.md).

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace ferr::domain::orgs {

/// Enumerators are the wire names.
enum class Role { owner, admin, member, viewer };

/// `owner`, `admin`, `member`, `viewer`.
std::string_view role_name(Role role);
/// The role for a wire name.
std::optional<Role> parse_role(std::string_view name);
/// Owner or admin ("admin+").
inline bool is_admin_or_owner(Role role) { return role == Role::owner || role == Role::admin; }

/// Whether `actor` may give `target` (currently `current`, nullopt for a new member) the role
/// `wanted`: admin+ changes members and viewers; owner or admin on either side needs an owner.
core::Result<void> may_assign(Role actor, std::optional<Role> current, Role wanted);
/// Whether `actor` may remove a member whose role is `current`.
core::Result<void> may_remove(Role actor, Role current);

/// ORG_MEMBER_NOT_FOUND: the user is not a member of the organization.
core::Error member_not_found();

/// A member as stored, with what the owner rule needs; read inside the changing transaction.
struct StoredMember {
  Role role = Role::viewer;
  int owners = 0;  ///< owners of the org, this member included
};

/// What changing a member's role does.
struct RoleChangePlan {
  bool changes = false;        ///< false: the same role, nothing is written or audited
  std::string audit_metadata;  ///< `{"from", "to"}` when it changes
};

/// The rules of a role change (api.md): the target must be a member (`target` nullopt: it is
/// not), the actor may make it (may_assign), the same role changes nothing, and the last owner
/// keeps the role.
core::Result<RoleChangePlan> plan_role_change(Role actor, const std::optional<StoredMember>& target,
                                              Role wanted);
/// The rules of a removal: a member, may_remove, never the last owner. The audit metadata.
core::Result<std::string> plan_removal(Role actor, const std::optional<StoredMember>& target);

}  // namespace ferr::domain::orgs
