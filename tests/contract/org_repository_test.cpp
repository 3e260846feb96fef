// The OrgRepository contract, run on every storage backend.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <vector>

#include "contract/contract_test.hpp"
#include "contract/race.hpp"
#include "domain/orgs/audit.hpp"
#include "domain/orgs/role.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using core::AuditEntryId;
using core::ErrorCode;
using core::OrgId;
using core::UserId;
using domain::accounts::Principal;
using domain::orgs::AuditRecord;
using domain::orgs::Member;
using domain::orgs::OrgLookup;
using domain::orgs::OrgView;
using domain::orgs::Role;
using domain::orgs::StoredMember;
using domain::subscriptions::Product;
using domain::subscriptions::Tier;

/// How many of `results` succeeded; every failure must be `code`.
template <typename T>
int successes(const std::vector<core::Result<T>>& results, ErrorCode code) {
  int won = 0;
  for (const auto& r : results) {
    if (r) {
      ++won;
    } else {
      EXPECT_TRUE(fails_with(r, code));
    }
  }
  return won;
}

/// The message the role rule gives for this refusal: the repository passes on the rule's own
/// error, it does not make one of its own.
std::string role_change_refusal(Role actor, StoredMember target, Role wanted) {
  auto plan = domain::orgs::plan_role_change(actor, target, wanted);
  return plan ? "(allowed)" : plan.error().message;
}
std::string removal_refusal(Role actor, StoredMember target) {
  auto plan = domain::orgs::plan_removal(actor, target);
  return plan ? "(allowed)" : plan.error().message;
}

class OrgRepositoryContract : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    repo_ = &backend_->orgs();
    owner_ = active_user("owner@x.io", std::string("Owner"));
  }

  OrgView create(const std::string& slug, const UserId& owner) {
    auto org = run(repo_->create_org(next_id<OrgId>(), slug, "Name of " + slug, owner,
                                     audit(owner, "org.created", slug)));
    EXPECT_TRUE(org) << org.error().log_detail;
    return org.value_or(OrgView{});
  }
  Member add(const OrgView& org, const std::string& email, Role role) {
    auto member = run(repo_->add_member(
        org.id, email, role,
        audit(owner_, "org.member.added", "", domain::orgs::member_added_metadata(role))));
    EXPECT_TRUE(member) << email << ": " << member.error().log_detail;
    return member.value_or(Member{});
  }
  /// The whole audit log of `org`, newest first.
  std::vector<AuditRecord> log(const OrgId& org) {
    return run(repo_->audit_log(org, 200, std::nullopt)).value();
  }
  /// The ids of the whole audit log of `org`, newest first.
  std::vector<AuditEntryId> log_ids(const OrgId& org) {
    auto entries = log(org);
    std::vector<AuditEntryId> ids;
    ids.reserve(entries.size());
    for (const auto& entry : entries) ids.push_back(entry.id);
    return ids;
  }
  /// A live session of `user` (one per user, made on first use).
  Principal principal(const UserId& user) {
    auto known = principals_.find(user);
    if (known != principals_.end()) return known->second;
    return principals_.emplace(user, sign_in(user)).first->second;
  }
  /// The organization `slug` as `user` sees it, through a live session of the user.
  std::optional<OrgView> seen_by(const std::string& slug, const UserId& user) {
    auto lookup = run(repo_->org_for_member(slug, principal(user)));
    EXPECT_TRUE(lookup) << lookup.error().log_detail;
    if (!lookup) return std::nullopt;
    EXPECT_TRUE(lookup->session_live);
    return lookup->org;
  }

  domain::orgs::OrgRepository* repo_ = nullptr;
  UserId owner_;
  std::map<UserId, Principal> principals_;
};

TEST_P(OrgRepositoryContract, CreateMakesTheCreatorItsOnlyOwnerAndAuditsIt) {
  auto org_id = next_id<OrgId>();
  auto record =
      audit(owner_, "org.created", "acme", domain::orgs::org_created_metadata("acme", "Acme"));
  auto org = run(repo_->create_org(org_id, "acme", "Acme", owner_, record));
  ASSERT_TRUE(org) << org.error().log_detail;
  EXPECT_EQ(org->id, org_id);
  EXPECT_EQ(org->slug, "acme");
  EXPECT_EQ(org->name, "Acme");
  EXPECT_EQ(org->role, Role::owner);
  EXPECT_EQ(org->member_count, 1);
  EXPECT_EQ(org->plan, Tier::free);
  EXPECT_FALSE(org->telemetry_opt_out);
  EXPECT_EQ(org->created_at, now());
  EXPECT_EQ(org->updated_at, now());

  auto members = run(repo_->members(org_id)).value();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].user_id, owner_);
  EXPECT_EQ(members[0].email, "owner@x.io");
  EXPECT_EQ(members[0].display_name, "Owner");
  EXPECT_EQ(members[0].role, Role::owner);
  EXPECT_EQ(members[0].joined_at, now());

  auto entries = log(org_id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].actor_id, owner_);
  EXPECT_EQ(entries[0].action, "org.created");
  EXPECT_EQ(entries[0].target, "acme");
  EXPECT_EQ(entries[0].metadata, R"({"slug":"acme","name":"Acme"})");
  EXPECT_EQ(entries[0].created_at, now());
}

TEST_P(OrgRepositoryContract, CreateRefusesATakenSlug) {
  auto first = create("acme", owner_);
  auto other = active_user("other@x.io");
  auto refused_id = next_id<OrgId>();
  EXPECT_TRUE(fails_with(run(repo_->create_org(refused_id, "acme", "Other", other,
                                               audit(other, "org.created", "acme"))),
                         ErrorCode::org_slug_taken));
  EXPECT_TRUE(run(repo_->orgs_of(other)).value().empty()) << "no membership was made";
  EXPECT_TRUE(log(refused_id).empty()) << "no audit row for the refused org";
  EXPECT_EQ(log_ids(first.id).size(), 1u);
  EXPECT_EQ(seen_by("acme", owner_).value().name, "Name of acme");
  EXPECT_FALSE(seen_by("acme", other));

  auto retried = run(
      repo_->create_org(refused_id, "other", "Other", other, audit(other, "org.created", "other")));
  ASSERT_TRUE(retried) << "the refused id was not used: " << retried.error().log_detail;
  EXPECT_EQ(retried->role, Role::owner);
}

TEST_P(OrgRepositoryContract, OrgsOfListsTheCallersOrgsBySlug) {
  auto user = active_user("user@x.io");
  auto other = active_user("other@x.io");
  create("zeta", user);
  clock_.advance(1s);
  create("alpha", user);
  auto mid = create("mid", other);
  add(mid, "user@x.io", Role::viewer);

  auto orgs = run(repo_->orgs_of(user)).value();
  ASSERT_EQ(orgs.size(), 3u);
  EXPECT_EQ(orgs[0].slug, "alpha");
  EXPECT_EQ(orgs[1].slug, "mid");
  EXPECT_EQ(orgs[2].slug, "zeta");
  EXPECT_EQ(orgs[0].role, Role::owner);
  EXPECT_EQ(orgs[1].role, Role::viewer) << "the caller's own role";
  EXPECT_EQ(orgs[2].role, Role::owner);
  EXPECT_EQ(orgs[1].member_count, 2);
  EXPECT_EQ(orgs[1].id, mid.id);

  EXPECT_EQ(run(repo_->orgs_of(other)).value().size(), 1u);
  EXPECT_TRUE(run(repo_->orgs_of(owner_)).value().empty());
  EXPECT_TRUE(run(repo_->orgs_of(next_id<UserId>())).value().empty()) << "an unknown user has none";
}

TEST_P(OrgRepositoryContract, MembershipsOfTellEachOrgTheRoleAndWhenTheUserJoined) {
  auto user = active_user("user@x.io");
  auto other = active_user("other@x.io");
  const auto created_at = now();
  auto zeta = create("zeta", user);
  clock_.advance(1h);
  auto mid = create("mid", other);
  add(mid, "user@x.io", Role::member);
  create("alone", other);

  auto memberships = run(repo_->memberships_of(user)).value();
  ASSERT_EQ(memberships.size(), 2u) << "not the org the user is not in";
  EXPECT_EQ(memberships[0].slug, "mid");
  EXPECT_EQ(memberships[0].org_id, mid.id);
  EXPECT_EQ(memberships[0].name, "Name of mid");
  EXPECT_EQ(memberships[0].role, Role::member);
  EXPECT_EQ(memberships[0].joined_at, now());
  EXPECT_EQ(memberships[1].slug, "zeta");
  EXPECT_EQ(memberships[1].org_id, zeta.id);
  EXPECT_EQ(memberships[1].role, Role::owner);
  EXPECT_EQ(memberships[1].joined_at, created_at);
  EXPECT_TRUE(run(repo_->memberships_of(next_id<UserId>())).value().empty());
}

TEST_P(OrgRepositoryContract, AuditByActorGathersTheActorsEntriesOfEveryOrgNewestFirst) {
  auto user = active_user("user@x.io");
  auto mine = create("mine", user);  // org.created by user
  clock_.advance(1s);
  auto theirs = create("theirs", owner_);  // org.created by owner_
  add(theirs, "user@x.io", Role::admin);   // by owner_
  clock_.advance(1s);
  ASSERT_TRUE(run(repo_->set_telemetry_opt_out(theirs.id, true,
                                               audit(user, "telemetry.opt_out.update", "theirs"))));

  auto entries = run(repo_->audit_by_actor(user)).value();
  ASSERT_EQ(entries.size(), 2u) << "only the user's own entries";
  EXPECT_EQ(entries[0].org_id, theirs.id);
  EXPECT_EQ(entries[0].entry.action, "telemetry.opt_out.update");
  EXPECT_EQ(entries[0].entry.actor_id, user);
  EXPECT_EQ(entries[1].org_id, mine.id);
  EXPECT_EQ(entries[1].entry.action, "org.created");
  EXPECT_EQ(entries[1].entry.target, "mine");
  EXPECT_EQ(run(repo_->audit_by_actor(owner_)).value().size(), 2u);
  EXPECT_TRUE(run(repo_->audit_by_actor(next_id<UserId>())).value().empty());
}

TEST_P(OrgRepositoryContract, OrgForMemberIsEmptyForNonMembersAndMissingSlugs) {
  auto org = create("acme", owner_);
  auto outsider = active_user("outsider@x.io");

  auto seen = seen_by("acme", owner_);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->id, org.id);
  EXPECT_EQ(seen->slug, "acme");
  EXPECT_EQ(seen->name, "Name of acme");
  EXPECT_EQ(seen->role, Role::owner);
  EXPECT_EQ(seen->member_count, 1);
  EXPECT_EQ(seen->plan, Tier::free);
  EXPECT_EQ(seen->created_at, org.created_at);

  auto hidden = run(repo_->org_for_member("acme", principal(outsider)));
  ASSERT_TRUE(hidden) << "a non-member is not an error: " << hidden.error().log_detail;
  EXPECT_TRUE(hidden->session_live);
  EXPECT_FALSE(hidden->org);
  auto missing = run(repo_->org_for_member("nope", principal(owner_)));
  ASSERT_TRUE(missing) << missing.error().log_detail;
  EXPECT_TRUE(missing->session_live);
  EXPECT_FALSE(missing->org);

  add(org, "outsider@x.io", Role::viewer);
  auto joined = seen_by("acme", outsider);
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->role, Role::viewer);
  EXPECT_EQ(joined->member_count, 2);
}

TEST_P(OrgRepositoryContract, OrgForMemberChecksTheSessionInTheSameLookup) {
  create("acme", owner_);
  auto other = active_user("other@x.io");
  auto mine = sign_in(owner_);
  auto theirs = sign_in(other);

  auto live = run(repo_->org_for_member("acme", mine));
  ASSERT_TRUE(live) << live.error().log_detail;
  EXPECT_TRUE(live->session_live);
  ASSERT_TRUE(live->org);
  EXPECT_EQ(live->org->role, Role::owner);

  auto foreign = run(repo_->org_for_member("acme", Principal{owner_, theirs.session_id}));
  ASSERT_TRUE(foreign) << foreign.error().log_detail;
  EXPECT_FALSE(foreign->session_live) << "another user's session";
  EXPECT_FALSE(foreign->org) << "nothing is read for a dead session";

  auto unknown =
      run(repo_->org_for_member("acme", Principal{next_id<UserId>(), next_id<core::SessionId>()}));
  ASSERT_TRUE(unknown) << unknown.error().log_detail;
  EXPECT_FALSE(unknown->session_live) << "an unknown user and session";
  EXPECT_FALSE(unknown->org);

  ASSERT_TRUE(run(backend_->accounts().revoke_session(mine, now())).value());
  auto revoked = run(repo_->org_for_member("acme", mine));
  ASSERT_TRUE(revoked) << revoked.error().log_detail;
  EXPECT_FALSE(revoked->session_live) << "a revoked session of a member";
  EXPECT_FALSE(revoked->org);
  auto missing = run(repo_->org_for_member("nope", mine));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->session_live) << "whatever the slug";
  EXPECT_TRUE(run(repo_->org_for_member("acme", theirs)).value().session_live);
}

TEST_P(OrgRepositoryContract, UpdateCoalescesNameAndSlug) {
  auto org = create("acme", owner_);
  clock_.advance(1s);
  auto renamed = run(repo_->update_org(
      org.id, Role::owner, std::string("Acme Inc"), std::nullopt,
      audit(
          owner_, "org.updated", "acme",
          domain::orgs::org_updated_metadata(org, std::string("Acme Inc"), std::nullopt).value())));
  ASSERT_TRUE(renamed) << renamed.error().log_detail;
  EXPECT_EQ(renamed->name, "Acme Inc");
  EXPECT_EQ(renamed->slug, "acme") << "an absent slug is left alone";
  EXPECT_EQ(renamed->role, Role::owner);
  EXPECT_EQ(renamed->created_at, org.created_at);
  EXPECT_EQ(renamed->updated_at, now());

  clock_.advance(1s);
  auto moved = run(repo_->update_org(
      org.id, Role::owner, std::nullopt, std::string("acme-inc"),
      audit(owner_, "org.updated", "acme-inc",
            domain::orgs::org_updated_metadata(*renamed, std::nullopt, std::string("acme-inc"))
                .value())));
  ASSERT_TRUE(moved) << moved.error().log_detail;
  EXPECT_EQ(moved->slug, "acme-inc");
  EXPECT_EQ(moved->name, "Acme Inc") << "an absent name is left alone";
  EXPECT_EQ(moved->updated_at, now());
  EXPECT_FALSE(seen_by("acme", owner_));
  ASSERT_TRUE(seen_by("acme-inc", owner_));
  EXPECT_EQ(seen_by("acme-inc", owner_).value().name, "Acme Inc");

  auto entries = log(org.id);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, "org.updated");
  EXPECT_EQ(entries[0].metadata, R"({"slug":"acme-inc"})");
  EXPECT_EQ(entries[1].metadata, R"({"name":"Acme Inc"})");
}

TEST_P(OrgRepositoryContract, UpdateRefusesATakenSlugAndChangesNothing) {
  create("acme", owner_);
  auto beta = create("beta", owner_);
  clock_.advance(1s);
  EXPECT_TRUE(
      fails_with(run(repo_->update_org(beta.id, Role::owner, std::string("New"),
                                       std::string("acme"), audit(owner_, "org.updated", "acme"))),
                 ErrorCode::org_slug_taken));
  auto after = seen_by("beta", owner_);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->name, "Name of beta") << "the name is not changed either";
  EXPECT_EQ(after->updated_at, beta.updated_at);
  EXPECT_EQ(log_ids(beta.id).size(), 1u);

  auto same = run(repo_->update_org(beta.id, Role::owner, std::string("New"), std::string("beta"),
                                    audit(owner_, "org.updated", "beta")));
  ASSERT_TRUE(same) << "its own slug is not taken: " << same.error().log_detail;
  EXPECT_EQ(same->slug, "beta");
  EXPECT_EQ(same->name, "New");
}

TEST_P(OrgRepositoryContract, MembersAreListedByJoinedAt) {
  auto org = create("acme", owner_);
  active_user("c@x.io", std::string("Cee"));
  active_user("a@x.io");
  active_user("b@x.io");
  clock_.advance(1s);
  add(org, "c@x.io", Role::admin);
  clock_.advance(1s);
  add(org, "a@x.io", Role::viewer);
  clock_.advance(1s);
  add(org, "b@x.io", Role::member);

  auto members = run(repo_->members(org.id)).value();
  ASSERT_EQ(members.size(), 4u);
  EXPECT_EQ(members[0].email, "owner@x.io");
  EXPECT_EQ(members[1].email, "c@x.io");
  EXPECT_EQ(members[2].email, "a@x.io");
  EXPECT_EQ(members[3].email, "b@x.io");
  EXPECT_EQ(members[1].role, Role::admin);
  EXPECT_EQ(members[2].role, Role::viewer);
  EXPECT_EQ(members[3].role, Role::member);
  EXPECT_EQ(members[1].display_name, "Cee");
  EXPECT_FALSE(members[2].display_name);
  EXPECT_EQ(members[3].joined_at, now());
  EXPECT_EQ(members[1].joined_at, now() - 2s);
  EXPECT_TRUE(run(repo_->members(next_id<OrgId>())).value().empty())
      << "an unknown org has no members";
}

TEST_P(OrgRepositoryContract, AddMemberReturnsTheMemberAndAuditsWithTheUserAsTarget) {
  auto org = create("acme", owner_);
  auto user = active_user("new@x.io", std::string("New"));
  clock_.advance(1s);
  // The service leaves the target empty: only the repository knows the user id.
  auto record =
      audit(owner_, "org.member.added", "", domain::orgs::member_added_metadata(Role::admin));
  auto added = run(repo_->add_member(org.id, "new@x.io", Role::admin, record));
  ASSERT_TRUE(added) << added.error().log_detail;
  EXPECT_EQ(added->user_id, user);
  EXPECT_EQ(added->email, "new@x.io");
  EXPECT_EQ(added->display_name, "New");
  EXPECT_EQ(added->role, Role::admin);
  EXPECT_EQ(added->joined_at, now());

  auto seen = seen_by("acme", user);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->role, Role::admin);
  EXPECT_EQ(seen->member_count, 2);

  auto entries = log(org.id);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].actor_id, owner_);
  EXPECT_EQ(entries[0].action, "org.member.added");
  EXPECT_EQ(entries[0].target, user.to_string());
  EXPECT_EQ(entries[0].metadata, R"({"role":"admin"})");
  EXPECT_EQ(entries[0].created_at, now());
}

TEST_P(OrgRepositoryContract, AddMemberNeedsAnActiveAccount) {
  auto org = create("acme", owner_);
  pending_user("pending@x.io");
  auto before = log_ids(org.id);
  EXPECT_TRUE(fails_with(run(repo_->add_member(org.id, "nobody@x.io", Role::member,
                                               audit(owner_, "org.member.added", ""))),
                         ErrorCode::user_not_found));
  EXPECT_TRUE(fails_with(run(repo_->add_member(org.id, "pending@x.io", Role::member,
                                               audit(owner_, "org.member.added", ""))),
                         ErrorCode::user_not_found))
      << "an account that is not active yet";
  EXPECT_EQ(run(repo_->members(org.id)).value().size(), 1u);
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, AddMemberRefusesAnExistingMember) {
  auto org = create("acme", owner_);
  active_user("v@x.io");
  auto viewer = add(org, "v@x.io", Role::viewer);
  auto before = log_ids(org.id);
  EXPECT_TRUE(fails_with(
      run(repo_->add_member(org.id, "v@x.io", Role::admin, audit(owner_, "org.member.added", ""))),
      ErrorCode::org_member_already_exists));
  EXPECT_TRUE(fails_with(run(repo_->add_member(org.id, "owner@x.io", Role::member,
                                               audit(owner_, "org.member.added", ""))),
                         ErrorCode::org_member_already_exists));
  EXPECT_EQ(seen_by("acme", viewer.user_id).value().role, Role::viewer) << "the role is unchanged";
  EXPECT_EQ(seen_by("acme", owner_).value().role, Role::owner);
  EXPECT_EQ(seen_by("acme", owner_).value().member_count, 2);
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, ChangeRoleReadsTheCurrentRoleThenChangesAndAudits) {
  auto org = create("acme", owner_);
  active_user("m@x.io");
  auto member = add(org, "m@x.io", Role::member);
  clock_.advance(1s);
  // The service leaves the metadata empty: the rule that reads the role before writes it.
  auto record = audit(owner_, "org.member.role_changed", member.user_id.to_string());
  auto changed = run(repo_->change_role(org.id, member.user_id, Role::admin, Role::owner, record));
  ASSERT_TRUE(changed) << changed.error().log_detail;
  EXPECT_EQ(changed->user_id, member.user_id);
  EXPECT_EQ(changed->email, "m@x.io");
  EXPECT_EQ(changed->role, Role::admin);
  EXPECT_EQ(changed->joined_at, member.joined_at);
  EXPECT_EQ(seen_by("acme", member.user_id).value().role, Role::admin);

  auto entries = log(org.id);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].actor_id, owner_);
  EXPECT_EQ(entries[0].action, "org.member.role_changed");
  EXPECT_EQ(entries[0].target, member.user_id.to_string());
  EXPECT_EQ(entries[0].metadata, R"({"from":"member","to":"admin"})");
  EXPECT_EQ(entries[0].metadata, domain::orgs::role_changed_metadata(Role::member, Role::admin));
  EXPECT_EQ(entries[0].created_at, now());
}

TEST_P(OrgRepositoryContract, ChangeRoleRefusedByTheRuleChangesNothing) {
  auto org = create("acme", owner_);
  active_user("m@x.io");
  active_user("a@x.io");
  auto member = add(org, "m@x.io", Role::member);
  auto admin = add(org, "a@x.io", Role::admin);
  auto before = log_ids(org.id);

  // A member manages no one.
  auto by_member = run(repo_->change_role(org.id, member.user_id, Role::viewer, Role::member,
                                          audit(owner_, "org.member.role_changed", "x")));
  EXPECT_TRUE(fails_with(by_member, ErrorCode::auth_forbidden));
  if (!by_member) {
    EXPECT_EQ(by_member.error().message,
              role_change_refusal(Role::member, {Role::member, 1}, Role::viewer))
        << "the rule's own error";
  }
  // An admin may make a member a viewer, but not an admin one: only the stored role (admin)
  // can refuse this change, so the rule was shown what is stored.
  auto by_admin = run(repo_->change_role(org.id, admin.user_id, Role::member, Role::admin,
                                         audit(owner_, "org.member.role_changed", "x")));
  EXPECT_TRUE(fails_with(by_admin, ErrorCode::auth_forbidden));
  if (!by_admin) {
    EXPECT_EQ(by_admin.error().message,
              role_change_refusal(Role::admin, {Role::admin, 1}, Role::member));
  }
  EXPECT_EQ(seen_by("acme", member.user_id).value().role, Role::member);
  EXPECT_EQ(seen_by("acme", admin.user_id).value().role, Role::admin);
  EXPECT_EQ(log_ids(org.id), before);

  auto allowed = run(repo_->change_role(org.id, member.user_id, Role::viewer, Role::admin,
                                        audit(admin.user_id, "org.member.role_changed", "x")));
  ASSERT_TRUE(allowed) << "an admin manages members: " << allowed.error().log_detail;
  EXPECT_EQ(allowed->role, Role::viewer);
}

TEST_P(OrgRepositoryContract, ChangeRoleToTheSameRoleWritesNoAuditRow) {
  auto org = create("acme", owner_);
  active_user("m@x.io");
  auto member = add(org, "m@x.io", Role::member);
  auto before = log_ids(org.id);
  auto same = run(repo_->change_role(org.id, member.user_id, Role::member, Role::owner,
                                     audit(owner_, "org.member.role_changed", "x")));
  ASSERT_TRUE(same) << same.error().log_detail;
  EXPECT_EQ(same->role, Role::member);
  EXPECT_EQ(same->user_id, member.user_id);
  EXPECT_EQ(same->email, "m@x.io");
  EXPECT_EQ(same->joined_at, member.joined_at);
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, ChangeRoleNeverDemotesTheLastOwner) {
  auto org = create("acme", owner_);
  auto before = log_ids(org.id);
  EXPECT_TRUE(fails_with(run(repo_->change_role(org.id, owner_, Role::admin, Role::owner,
                                                audit(owner_, "org.member.role_changed", "x"))),
                         ErrorCode::org_last_owner));
  EXPECT_EQ(seen_by("acme", owner_).value().role, Role::owner);
  EXPECT_EQ(log_ids(org.id), before);

  active_user("second@x.io");
  auto second = add(org, "second@x.io", Role::admin);
  ASSERT_TRUE(run(repo_->change_role(org.id, second.user_id, Role::owner, Role::owner,
                                     audit(owner_, "org.member.role_changed", "x"))));
  auto demoted = run(repo_->change_role(org.id, owner_, Role::member, Role::owner,
                                        audit(owner_, "org.member.role_changed", "x")));
  ASSERT_TRUE(demoted) << "another owner remains: " << demoted.error().log_detail;
  EXPECT_EQ(demoted->role, Role::member);
  EXPECT_TRUE(fails_with(run(repo_->change_role(org.id, second.user_id, Role::viewer, Role::owner,
                                                audit(owner_, "org.member.role_changed", "x"))),
                         ErrorCode::org_last_owner));
  EXPECT_EQ(seen_by("acme", second.user_id).value().role, Role::owner);
}

TEST_P(OrgRepositoryContract, ChangeRoleOfANonMemberIsOrgMemberNotFound) {
  auto org = create("acme", owner_);
  auto outsider = active_user("outsider@x.io");
  auto before = log_ids(org.id);
  EXPECT_TRUE(fails_with(run(repo_->change_role(org.id, outsider, Role::member, Role::owner,
                                                audit(owner_, "org.member.role_changed", "x"))),
                         ErrorCode::org_member_not_found));
  EXPECT_TRUE(
      fails_with(run(repo_->change_role(org.id, next_id<UserId>(), Role::member, Role::owner,
                                        audit(owner_, "org.member.role_changed", "x"))),
                 ErrorCode::org_member_not_found))
      << "an unknown user";
  EXPECT_FALSE(seen_by("acme", outsider)) << "not added on the way";
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, RemoveMemberReadsTheCurrentRoleThenRemovesAndAudits) {
  auto org = create("acme", owner_);
  active_user("a@x.io");
  auto admin = add(org, "a@x.io", Role::admin);
  clock_.advance(1s);
  // The service leaves the metadata empty: the rule that reads the role removed writes it.
  auto record = audit(owner_, "org.member.removed", admin.user_id.to_string());
  auto removed = run(repo_->remove_member(org.id, admin.user_id, Role::owner, record));
  ASSERT_TRUE(removed) << removed.error().log_detail;
  EXPECT_FALSE(seen_by("acme", admin.user_id));
  EXPECT_EQ(run(repo_->members(org.id)).value().size(), 1u);
  EXPECT_EQ(seen_by("acme", owner_).value().member_count, 1);

  auto entries = log(org.id);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].action, "org.member.removed");
  EXPECT_EQ(entries[0].target, admin.user_id.to_string());
  EXPECT_EQ(entries[0].metadata, R"({"role":"admin"})");
  EXPECT_EQ(entries[0].metadata, domain::orgs::member_removed_metadata(Role::admin));
  EXPECT_EQ(entries[0].created_at, now());
}

TEST_P(OrgRepositoryContract, RemoveMemberRefusedByTheRuleChangesNothing) {
  auto org = create("acme", owner_);
  active_user("a@x.io");
  auto admin = add(org, "a@x.io", Role::admin);
  auto before = log_ids(org.id);
  // Only an owner removes an admin: refused for what is stored, not for the actor alone.
  auto refused = run(repo_->remove_member(org.id, admin.user_id, Role::admin,
                                          audit(owner_, "org.member.removed", "x")));
  EXPECT_TRUE(fails_with(refused, ErrorCode::auth_forbidden));
  if (!refused) {
    EXPECT_EQ(refused.error().message, removal_refusal(Role::admin, {Role::admin, 1}))
        << "the rule's own error";
  }
  EXPECT_TRUE(fails_with(run(repo_->remove_member(org.id, admin.user_id, Role::viewer,
                                                  audit(owner_, "org.member.removed", "x"))),
                         ErrorCode::auth_forbidden));
  EXPECT_EQ(seen_by("acme", admin.user_id).value().role, Role::admin) << "still a member";
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, RemoveMemberNeverRemovesTheLastOwner) {
  auto org = create("acme", owner_);
  auto before = log_ids(org.id);
  EXPECT_TRUE(fails_with(run(repo_->remove_member(org.id, owner_, Role::owner,
                                                  audit(owner_, "org.member.removed", "x"))),
                         ErrorCode::org_last_owner));
  EXPECT_EQ(seen_by("acme", owner_).value().role, Role::owner);
  EXPECT_EQ(log_ids(org.id), before);

  active_user("second@x.io");
  auto second = add(org, "second@x.io", Role::admin);
  ASSERT_TRUE(run(repo_->change_role(org.id, second.user_id, Role::owner, Role::owner,
                                     audit(owner_, "org.member.role_changed", "x"))));
  ASSERT_TRUE(run(
      repo_->remove_member(org.id, owner_, Role::owner, audit(owner_, "org.member.removed", "x"))));
  EXPECT_FALSE(seen_by("acme", owner_));
  EXPECT_TRUE(fails_with(run(repo_->remove_member(org.id, second.user_id, Role::owner,
                                                  audit(owner_, "org.member.removed", "x"))),
                         ErrorCode::org_last_owner));
}

TEST_P(OrgRepositoryContract, RemoveMemberOfANonMemberIsOrgMemberNotFound) {
  auto org = create("acme", owner_);
  auto outsider = active_user("outsider@x.io");
  auto before = log_ids(org.id);
  EXPECT_TRUE(fails_with(run(repo_->remove_member(org.id, outsider, Role::owner,
                                                  audit(owner_, "org.member.removed", "x"))),
                         ErrorCode::org_member_not_found));
  EXPECT_TRUE(fails_with(run(repo_->remove_member(org.id, next_id<UserId>(), Role::owner,
                                                  audit(owner_, "org.member.removed", "x"))),
                         ErrorCode::org_member_not_found));
  EXPECT_EQ(run(repo_->members(org.id)).value().size(), 1u);
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, TelemetryOptOutIsReflectedInTheView) {
  auto org = create("acme", owner_);
  EXPECT_FALSE(org.telemetry_opt_out);
  clock_.advance(1s);
  auto record = audit(owner_, "telemetry.opt_out.update", "acme",
                      domain::orgs::opt_out_metadata(false, true));
  ASSERT_TRUE(run(repo_->set_telemetry_opt_out(org.id, true, record)));
  EXPECT_TRUE(seen_by("acme", owner_).value().telemetry_opt_out);
  EXPECT_TRUE(run(repo_->orgs_of(owner_)).value().at(0).telemetry_opt_out);
  auto entries = log(org.id);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, record.id);
  EXPECT_EQ(entries[0].action, "telemetry.opt_out.update");
  EXPECT_EQ(entries[0].metadata, R"({"from":false,"to":true})");

  ASSERT_TRUE(
      run(repo_->set_telemetry_opt_out(org.id, false,
                                       audit(owner_, "telemetry.opt_out.update", "acme",
                                             domain::orgs::opt_out_metadata(true, false)))));
  EXPECT_FALSE(seen_by("acme", owner_).value().telemetry_opt_out);
  EXPECT_EQ(log_ids(org.id).size(), 3u);
  EXPECT_EQ(log(org.id).at(0).metadata, R"({"from":true,"to":false})");
}

TEST_P(OrgRepositoryContract, AuditLogIsNewestFirstInWriteOrderWithLimitAndBefore) {
  auto org = create("acme", owner_);
  auto other = create("other", owner_);
  // Five more rows in the same millisecond, whose ids sort neither in write order nor against it.
  std::vector<AuditEntryId> sorted;
  sorted.reserve(5);
  for (int i = 0; i < 5; ++i) sorted.push_back(next_id<AuditEntryId>());
  std::sort(sorted.begin(), sorted.end(), [](const AuditEntryId& a, const AuditEntryId& b) {
    return a.to_string() < b.to_string();  // the byte order
  });
  std::vector<AuditEntryId> written{log_ids(org.id).at(0)};
  written.reserve(6);
  for (int i : {2, 0, 4, 1, 3}) {
    AuditRecord record{sorted[i], owner_, "telemetry.opt_out.update", "acme", "{}", now()};
    ASSERT_TRUE(run(repo_->set_telemetry_opt_out(org.id, i % 2 == 0, record)));
    written.push_back(sorted[i]);
  }
  std::vector<AuditEntryId> newest_first(written.rbegin(), written.rend());
  EXPECT_EQ(log_ids(org.id), newest_first);

  auto page = [&](int limit, const std::optional<AuditEntryId>& before) {
    auto entries = run(repo_->audit_log(org.id, limit, before)).value();
    std::vector<AuditEntryId> ids;
    ids.reserve(entries.size());
    for (const auto& entry : entries) ids.push_back(entry.id);
    return ids;
  };
  auto first = page(2, std::nullopt);
  EXPECT_EQ(first, std::vector<AuditEntryId>(newest_first.begin(), newest_first.begin() + 2));
  ASSERT_EQ(first.size(), 2u);
  auto second = page(2, first.back());
  EXPECT_EQ(second, std::vector<AuditEntryId>(newest_first.begin() + 2, newest_first.begin() + 4));
  ASSERT_EQ(second.size(), 2u);
  auto third = page(3, second.back());
  EXPECT_EQ(third, std::vector<AuditEntryId>(newest_first.begin() + 4, newest_first.end()));
  ASSERT_EQ(third.size(), 2u);
  EXPECT_TRUE(page(3, third.back()).empty()) << "nothing is older than the first row";
  EXPECT_TRUE(page(50, next_id<AuditEntryId>()).empty())
      << "an unknown `before` gives an empty page";
  EXPECT_EQ(page(1, std::nullopt).size(), 1u);

  EXPECT_EQ(log_ids(other.id).size(), 1u) << "each org has its own log";
  EXPECT_TRUE(page(50, log_ids(other.id).front()).empty())
      << "another org's entry is an unknown `before` here";
}

TEST_P(OrgRepositoryContract, RefusedMutationsWriteNoAuditRow) {
  auto org = create("acme", owner_);
  create("beta", owner_);
  active_user("m@x.io");
  auto member = add(org, "m@x.io", Role::member);
  pending_user("pending@x.io");
  auto outsider = active_user("outsider@x.io");
  auto before = log_ids(org.id);
  clock_.advance(1s);

  EXPECT_FALSE(
      run(repo_->create_org(org.id, "beta", "B", owner_, audit(owner_, "org.created", "b"))));
  EXPECT_FALSE(run(repo_->update_org(org.id, Role::owner, std::string("N"), std::string("beta"),
                                     audit(owner_, "org.updated", "beta"))));
  for (const std::string email : {"nobody@x.io", "pending@x.io", "m@x.io"})
    EXPECT_FALSE(run(repo_->add_member(org.id, email, Role::viewer, audit(owner_, "o.m.a", ""))))
        << email;
  for (const auto& user : {member.user_id, owner_, outsider}) {
    // The member is refused by the rule (a viewer acts), the owner is the last one, the outsider
    // is not a member.
    Role actor = user == member.user_id ? Role::viewer : Role::owner;
    EXPECT_FALSE(
        run(repo_->change_role(org.id, user, Role::viewer, actor, audit(owner_, "o.m.rc", "x"))));
    EXPECT_FALSE(run(repo_->remove_member(org.id, user, actor, audit(owner_, "o.m.r", "x"))));
  }
  EXPECT_EQ(log_ids(org.id), before);
}

TEST_P(OrgRepositoryContract, PlanIsTheHighestLiveTier) {
  auto& subscriptions = backend_->subscriptions();
  auto org = create("acme", owner_);
  auto other = create("other", owner_);
  auto activate = [&](const OrgView& o, Product product, Tier tier) {
    ASSERT_TRUE(run(subscriptions.activate(o.id, next_id<core::SubscriptionId>(), product, tier,
                                           audit(owner_, "subscription.activated", "p"))));
  };
  auto cancel = [&](Product product) {
    ASSERT_TRUE(
        run(subscriptions.cancel(org.id, product, audit(owner_, "subscription.canceled", "p"))));
  };
  auto plan = [&] { return seen_by("acme", owner_).value().plan; };

  EXPECT_EQ(org.plan, Tier::free) << "no subscription";
  activate(other, Product::ferrfleet, Tier::enterprise);
  EXPECT_EQ(plan(), Tier::free) << "another org's subscriptions do not count";
  activate(org, Product::ferrflow, Tier::pro);
  EXPECT_EQ(plan(), Tier::pro);
  activate(org, Product::ferrvault, Tier::team);
  EXPECT_EQ(plan(), Tier::team);
  activate(org, Product::ferrtrack, Tier::free);
  EXPECT_EQ(plan(), Tier::team) << "the highest tier, not the latest";
  cancel(Product::ferrvault);
  EXPECT_EQ(plan(), Tier::pro) << "canceled rows are ignored";
  ASSERT_TRUE(
      run(subscriptions.change_tier(org.id, Product::ferrflow, Tier::enterprise,
                                    audit(owner_, "subscription.tier_changed", "ferrflow"))));
  EXPECT_EQ(plan(), Tier::enterprise);
  auto listed = run(repo_->orgs_of(owner_)).value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].plan, Tier::enterprise) << "acme";
  EXPECT_EQ(listed[1].plan, Tier::enterprise) << "other";
  cancel(Product::ferrflow);
  EXPECT_EQ(plan(), Tier::free) << "a live free subscription";
  cancel(Product::ferrtrack);
  EXPECT_EQ(plan(), Tier::free) << "only canceled rows";
  auto updated = run(repo_->update_org(org.id, Role::owner, std::string("Acme"), std::nullopt,
                                       audit(owner_, "org.updated", "acme")));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->plan, Tier::free);
}

TEST_P(OrgRepositoryContract, AnUnknownStoredRoleFailsLoudly) {
  auto org = create("acme", owner_);
  active_user("m@x.io");
  auto member = add(org, "m@x.io", Role::member);
  auto before = log_ids(org.id);
  backend_->force_stored_value("org_memberships", "role", "superuser");

  // Never read as some known role: every read of a membership refuses it.
  EXPECT_TRUE(
      fails_on_unknown_value(run(repo_->org_for_member("acme", principal(owner_))), "superuser"));
  EXPECT_TRUE(fails_on_unknown_value(run(repo_->orgs_of(owner_)), "superuser"));
  EXPECT_TRUE(fails_on_unknown_value(run(repo_->members(org.id)), "superuser"));
  EXPECT_TRUE(fails_on_unknown_value(
      run(repo_->change_role(org.id, member.user_id, Role::viewer, Role::owner,
                             audit(owner_, "org.member.role_changed", "x"))),
      "superuser"));
  EXPECT_TRUE(fails_on_unknown_value(
      run(repo_->remove_member(org.id, member.user_id, Role::owner, audit(owner_, "o.m.r", "x"))),
      "superuser"));
  EXPECT_EQ(log_ids(org.id), before) << "nothing was changed on the way";
}

TEST_P(OrgRepositoryContract, ConcurrentCreatesOfOneSlugMakeOneOrg) {
  for (int round = 0; round < 5; ++round) {
    std::string slug = "race-" + std::to_string(round);
    std::vector<OrgId> ids{next_id<OrgId>(), next_id<OrgId>(), next_id<OrgId>()};
    std::vector<AuditRecord> records{audit(owner_, "org.created", slug),
                                     audit(owner_, "org.created", slug),
                                     audit(owner_, "org.created", slug)};
    std::vector<std::function<core::Result<OrgView>()>> calls;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      calls.emplace_back(
          [&, i] { return run(repo_->create_org(ids[i], slug, slug, owner_, records[i])); });
    }
    auto results = race(calls);
    ASSERT_EQ(successes(results, ErrorCode::org_slug_taken), 1) << "round " << round;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      EXPECT_EQ(log_ids(ids[i]).size(), results[i] ? 1u : 0u) << "round " << round;
    }
  }
  auto orgs = run(repo_->orgs_of(owner_)).value();
  ASSERT_EQ(orgs.size(), 5u);
  for (const auto& org : orgs) EXPECT_EQ(org.member_count, 1) << org.slug;
}

TEST_P(OrgRepositoryContract, ConcurrentReSlugsToOneSlugMoveOneOrg) {
  auto a = create("alpha", owner_);
  auto b = create("beta", owner_);
  for (int round = 0; round < 5; ++round) {
    std::string slug = "taken-" + std::to_string(round);
    std::vector<OrgId> ids{a.id, b.id};
    std::vector<AuditRecord> records{audit(owner_, "org.updated", slug),
                                     audit(owner_, "org.updated", slug)};
    std::vector<std::function<core::Result<OrgView>()>> calls;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      calls.emplace_back([&, i] {
        return run(repo_->update_org(ids[i], Role::owner, std::nullopt, slug, records[i]));
      });
    }
    auto results = race(calls);
    ASSERT_EQ(successes(results, ErrorCode::org_slug_taken), 1) << "round " << round;
    auto moved = seen_by(slug, owner_);
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->id, results[0] ? a.id : b.id);
  }
  EXPECT_EQ(log_ids(a.id).size() + log_ids(b.id).size(), 2u + 5u) << "one entry per move";
}

TEST_P(OrgRepositoryContract, ConcurrentAdditionsOfOneUserMakeOneMembership) {
  auto org = create("acme", owner_);
  for (int round = 0; round < 5; ++round) {
    std::string email = "racer" + std::to_string(round) + "@x.io";
    active_user(email);
    std::vector<AuditRecord> records{audit(owner_, "org.member.added", ""),
                                     audit(owner_, "org.member.added", "")};
    std::vector<Role> roles{Role::admin, Role::viewer};
    std::vector<std::function<core::Result<Member>()>> calls;
    for (std::size_t i = 0; i < records.size(); ++i) {
      calls.emplace_back(
          [&, i] { return run(repo_->add_member(org.id, email, roles[i], records[i])); });
    }
    auto results = race(calls);
    ASSERT_EQ(successes(results, ErrorCode::org_member_already_exists), 1) << "round " << round;
  }
  EXPECT_EQ(run(repo_->members(org.id)).value().size(), 6u);
  EXPECT_EQ(log_ids(org.id).size(), 1u + 5u) << "one entry per addition";
}

TEST_P(OrgRepositoryContract, TwoOwnersDemotingEachOtherConcurrentlyLeaveAnOwner) {
  auto org = create("acme", owner_);
  active_user("second@x.io");
  auto second = add(org, "second@x.io", Role::owner);
  std::vector<UserId> owners{owner_, second.user_id};
  for (int round = 0; round < 20; ++round) {
    // Each demotes the other: both see two owners unless the org serialises them.
    std::vector<AuditRecord> records{audit(owner_, "org.member.role_changed", "x"),
                                     audit(second.user_id, "org.member.role_changed", "x")};
    std::vector<std::function<core::Result<Member>()>> calls;
    for (std::size_t i = 0; i < owners.size(); ++i) {
      calls.emplace_back([&, i] {
        return run(repo_->change_role(org.id, owners[1 - i], Role::admin, Role::owner, records[i]));
      });
    }
    auto results = race(calls);
    ASSERT_EQ(successes(results, ErrorCode::org_last_owner), 1) << "round " << round;
    auto members = run(repo_->members(org.id)).value();
    auto remaining = std::count_if(members.begin(), members.end(),
                                   [](const Member& m) { return m.role == Role::owner; });
    ASSERT_EQ(remaining, 1) << "round " << round;
    // Promote the demoted one again for the next round.
    const auto& demoted = results[0] ? owners[1] : owners[0];
    ASSERT_TRUE(run(repo_->change_role(org.id, demoted, Role::owner, Role::owner,
                                       audit(owner_, "org.member.role_changed", "x"))));
  }
  EXPECT_EQ(log_ids(org.id).size(), 2u + 40u) << "one entry per demotion and promotion";
}

TEST_P(OrgRepositoryContract, TwoOwnersRemovingEachOtherConcurrentlyLeaveAnOwner) {
  auto org = create("acme", owner_);
  for (int round = 0; round < 5; ++round) {
    auto email = "second" + std::to_string(round) + "@x.io";
    active_user(email);
    auto second = add(org, email, Role::owner);
    std::vector<UserId> owners{owner_, second.user_id};
    std::vector<AuditRecord> records{audit(owner_, "org.member.removed", "x"),
                                     audit(second.user_id, "org.member.removed", "x")};
    std::vector<std::function<core::Result<void>()>> calls;
    for (std::size_t i = 0; i < owners.size(); ++i) {
      calls.emplace_back([&, i] {
        return run(repo_->remove_member(org.id, owners[1 - i], Role::owner, records[i]));
      });
    }
    auto results = race(calls);
    ASSERT_EQ(successes(results, ErrorCode::org_last_owner), 1) << "round " << round;
    auto members = run(repo_->members(org.id)).value();
    ASSERT_EQ(members.size(), 1u) << "round " << round;
    EXPECT_EQ(members[0].role, Role::owner);
    if (results[1]) {
      // The second owner removed the first: it is the one left, and the next round's owner.
      EXPECT_EQ(members[0].user_id, second.user_id);
      owner_ = second.user_id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgRepositoryContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
