// The role rules, over the whole matrix: every actor, every current role of the target (or none),
// every wanted role, with one owner and with two. The expectations come from the rules as the
// spec words them (organizations.md, "Authorization"), written out again below.

#include "domain/orgs/role.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace ferr::domain::orgs {
namespace {

using core::ErrorCode;

const Role kRoles[] = {Role::owner, Role::admin, Role::member, Role::viewer};
const std::optional<Role> kTargets[] = {Role::owner, Role::admin, Role::member, Role::viewer,
                                        std::nullopt};

constexpr const char* kNotAManager = "only owners and admins manage members";
constexpr const char* kNeedsOwnerToAssign =
    "only an owner grants or removes the owner and admin roles";
constexpr const char* kNeedsOwnerToRemove = "only an owner removes an owner or an admin";

bool privileged(Role role) { return role == Role::owner || role == Role::admin; }
std::string name(Role role) { return std::string(role_name(role)); }
std::string describe(Role actor, std::optional<Role> current, Role wanted, int owners) {
  return name(actor) + " sets " + (current ? name(*current) : "non-member") + " to " +
         name(wanted) + " with " + std::to_string(owners) + " owner(s)";
}

/// What a role change must do, as the rules say it.
struct Expected {
  std::optional<ErrorCode> error;
  std::string message;   ///< of the error
  bool changes = false;  ///< when allowed
};

Expected expected_change(Role actor, std::optional<Role> current, Role wanted, int owners) {
  // The target must be a member, whoever asks.
  if (!current) return {ErrorCode::org_member_not_found, "no such member in this organization"};
  // Members and viewers manage nobody.
  if (!privileged(actor)) return {ErrorCode::auth_forbidden, kNotAManager};
  // Owner or admin, on either side of the change, needs an owner.
  if (actor != Role::owner && (privileged(*current) || privileged(wanted)))
    return {ErrorCode::auth_forbidden, kNeedsOwnerToAssign};
  // The same role changes nothing (not even for the last owner).
  if (*current == wanted) return {std::nullopt, "", false};
  // The last owner keeps the role.
  if (*current == Role::owner && owners == 1)
    return {ErrorCode::org_last_owner, "the organization would be left without an owner"};
  return {std::nullopt, "", true};
}

TEST(PlanRoleChange, FollowsTheRulesOverTheWholeMatrix) {
  int cases = 0;
  for (Role actor : kRoles) {
    for (auto current : kTargets) {
      for (Role wanted : kRoles) {
        for (int owners : {1, 2}) {
          ++cases;
          auto what = describe(actor, current, wanted, owners);
          std::optional<StoredMember> stored;
          if (current) stored = StoredMember{*current, owners};
          auto plan = plan_role_change(actor, stored, wanted);
          auto expected = expected_change(actor, current, wanted, owners);
          if (expected.error) {
            ASSERT_FALSE(plan) << what;
            EXPECT_EQ(plan.error().code, *expected.error) << what;
            EXPECT_EQ(plan.error().message, expected.message) << what;
            continue;
          }
          ASSERT_TRUE(plan) << what << ": " << plan.error().message;
          EXPECT_EQ(plan->changes, expected.changes) << what;
          if (expected.changes) {
            EXPECT_EQ(plan->audit_metadata,
                      "{\"from\":\"" + name(*current) + "\",\"to\":\"" + name(wanted) + "\"}")
                << what;
          } else {
            EXPECT_EQ(plan->audit_metadata, "") << what << ": a no-op is not audited";
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 4 * 5 * 4 * 2);
}

TEST(PlanRoleChange, SpotChecksInPlainWords) {
  auto change = [](Role actor, Role current, Role wanted, int owners) {
    return plan_role_change(actor, StoredMember{current, owners}, wanted);
  };
  EXPECT_EQ(change(Role::admin, Role::member, Role::viewer, 1)->audit_metadata,
            R"({"from":"member","to":"viewer"})")
      << "an admin moves members and viewers";
  EXPECT_EQ(change(Role::admin, Role::member, Role::admin, 1).error().code,
            ErrorCode::auth_forbidden)
      << "an admin does not make admins";
  EXPECT_EQ(change(Role::admin, Role::admin, Role::member, 1).error().code,
            ErrorCode::auth_forbidden)
      << "nor demotes them";
  EXPECT_EQ(change(Role::owner, Role::member, Role::owner, 1)->audit_metadata,
            R"({"from":"member","to":"owner"})")
      << "an owner makes owners";
  EXPECT_EQ(change(Role::owner, Role::owner, Role::admin, 1).error().code,
            ErrorCode::org_last_owner);
  EXPECT_EQ(change(Role::owner, Role::owner, Role::viewer, 2)->audit_metadata,
            R"({"from":"owner","to":"viewer"})")
      << "with a second owner the demotion is fine";
  auto same = change(Role::owner, Role::owner, Role::owner, 1);
  ASSERT_TRUE(same) << "the last owner staying owner is a no-op, not a refusal";
  EXPECT_FALSE(same->changes);
  EXPECT_EQ(change(Role::viewer, Role::viewer, Role::viewer, 1).error().code,
            ErrorCode::auth_forbidden)
      << "a viewer may not even no-op";
}

/// What removing a member must do, as the rules say it.
std::optional<ErrorCode> expected_removal(Role actor, std::optional<Role> current, int owners,
                                          std::string& message) {
  if (!current) {
    message = "no such member in this organization";
    return ErrorCode::org_member_not_found;
  }
  if (!privileged(actor)) {
    message = kNotAManager;
    return ErrorCode::auth_forbidden;
  }
  if (privileged(*current) && actor != Role::owner) {
    message = kNeedsOwnerToRemove;
    return ErrorCode::auth_forbidden;
  }
  if (*current == Role::owner && owners == 1) {
    message = "the organization would be left without an owner";
    return ErrorCode::org_last_owner;
  }
  return std::nullopt;
}

TEST(PlanRemoval, FollowsTheRulesOverTheWholeMatrix) {
  for (Role actor : kRoles) {
    for (auto current : kTargets) {
      for (int owners : {1, 2}) {
        auto what = name(actor) + " removes " + (current ? name(*current) : "non-member") +
                    " with " + std::to_string(owners) + " owner(s)";
        std::optional<StoredMember> stored;
        if (current) stored = StoredMember{*current, owners};
        auto plan = plan_removal(actor, stored);
        std::string message;
        if (auto error = expected_removal(actor, current, owners, message)) {
          ASSERT_FALSE(plan) << what;
          EXPECT_EQ(plan.error().code, *error) << what;
          EXPECT_EQ(plan.error().message, message) << what;
        } else {
          ASSERT_TRUE(plan) << what << ": " << plan.error().message;
          EXPECT_EQ(*plan, "{\"role\":\"" + name(*current) + "\"}") << what;
        }
      }
    }
  }
}

TEST(MayAssign, GivesANewMemberARoleAsTheRulesSay) {
  // A new member has no current role: only the wanted one counts.
  for (Role actor : kRoles) {
    for (Role wanted : kRoles) {
      auto allowed = may_assign(actor, std::nullopt, wanted);
      bool expected = privileged(actor) && (actor == Role::owner || !privileged(wanted));
      EXPECT_EQ(allowed.has_value(), expected) << name(actor) << " adds a " << name(wanted);
      if (!allowed) {
        EXPECT_EQ(allowed.error().code, ErrorCode::auth_forbidden);
      }
    }
  }
}

TEST(MayRemove, AgreesWithPlanRemovalOnMembers) {
  for (Role actor : kRoles)
    for (Role current : kRoles)
      EXPECT_EQ(may_remove(actor, current).has_value(),
                plan_removal(actor, StoredMember{current, 2}).has_value())
          << name(actor) << " removes " << name(current);
}

TEST(Role, NamesRoundTripAndUnknownNamesAreNotRoles) {
  for (Role role : kRoles) EXPECT_EQ(parse_role(role_name(role)), role);
  EXPECT_EQ(role_name(Role::owner), "owner");
  EXPECT_EQ(role_name(Role::viewer), "viewer");
  for (const char* unknown : {"", "Owner", "superuser", "admin ", "viewers"})
    EXPECT_FALSE(parse_role(unknown)) << unknown;
  EXPECT_TRUE(is_admin_or_owner(Role::owner));
  EXPECT_TRUE(is_admin_or_owner(Role::admin));
  EXPECT_FALSE(is_admin_or_owner(Role::member));
  EXPECT_FALSE(is_admin_or_owner(Role::viewer));
}

}  // namespace
}  // namespace ferr::domain::orgs
