#pragma once
/// Organization roles, highest first, and the rules of who may change whom (api.md).

#include <optional>
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

}  // namespace ferr::domain::orgs
