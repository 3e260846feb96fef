// The organization use cases over the in-memory repositories: the session check of every method,
// the org lookup that hides an org from non-members, who may write, the role rules as the
// repository applies them, the audit rows and the events after commit.

#include "domain/orgs/org_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/tokens/api_token.hpp"
#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/org_repository.hpp"
#include "fakes/recorders.hpp"

namespace ferr::domain::orgs {
namespace {

using accounts::Principal;
using core::ErrorCode;

template <typename T>
T run(core::Task<T> task) {
  return core::run_to_completion(std::move(task));
}

template <typename T>
::testing::AssertionResult fails_with(const core::Result<T>& result, ErrorCode code) {
  if (result)
    return ::testing::AssertionFailure() << "succeeded, expected " << core::wire_name(code);
  if (result.error().code != code)
    return ::testing::AssertionFailure() << "failed with " << core::wire_name(result.error().code)
                                         << " (" << result.error().message << ")";
  return ::testing::AssertionSuccess();
}

class OrgServiceTest : public ::testing::Test {
 protected:
  /// A member of acme with `role`, signed in.
  Principal member_with(Role role) {
    auto user = db_.add_user(std::string(role_name(role)) + "@example.com");
    db_.add_member(org_id_, user, role);
    return db_.sign_in(user);
  }
  std::vector<AuditRecord> audits() { return db_.audit_of(org_id_); }
  std::optional<Role> role_of(const Principal& who) {
    auto* membership = db_.membership(org_id_, who.user_id);
    if (membership == nullptr) return std::nullopt;
    return membership->role;
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{5};
  fakes::Database db_;
  fakes::FakeOrgRepository orgs_{db_};
  fakes::FakeAccountRepository accounts_{db_};
  fakes::RecordingOrgEvents events_;
  OrgService service_{orgs_, accounts_, events_, clock_, random_};

  const core::OrgId org_id_ = db_.add_org("acme", "Acme");
  const Principal owner_ = member_with(Role::owner);
  const Principal admin_ = member_with(Role::admin);
  const Principal member_ = member_with(Role::member);
  const Principal viewer_ = member_with(Role::viewer);
  const Principal outsider_ = db_.sign_in(db_.add_user("outsider@example.com"));
};

// --- the session check ---------------------------------------------------------------------

TEST_F(OrgServiceTest, ARevokedSessionIsUnauthorizedOnEveryMethod) {
  db_.revoke(owner_);
  auto id = member_.user_id.to_string();
  EXPECT_TRUE(
      fails_with(run(service_.create(owner_, "new-org", "New")), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.list(owner_)), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.get(owner_, "acme")), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.update(owner_, "acme", "Acme 2", std::nullopt)),
                         ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.members(owner_, "acme")), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(
      fails_with(run(service_.add_member(owner_, "acme", {"outsider@example.com", Role::member})),
                 ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.change_role(owner_, "acme", id, Role::viewer)),
                         ErrorCode::auth_unauthorized));
  EXPECT_TRUE(
      fails_with(run(service_.remove_member(owner_, "acme", id)), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(
      fails_with(run(service_.telemetry_opt_out(owner_, "acme")), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.set_telemetry_opt_out(owner_, "acme", true)),
                         ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.audit(owner_, "acme", 10, std::nullopt)),
                         ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.get(owner_, "no-such-org")), ErrorCode::auth_unauthorized))
      << "the session is checked before the org is looked for";

  EXPECT_EQ(db_.orgs.size(), 1u) << "nothing was created";
  EXPECT_EQ(role_of(member_), Role::member) << "nothing was changed";
  EXPECT_TRUE(audits().empty());
  EXPECT_TRUE(events_.events().empty());
}

TEST_F(OrgServiceTest, AnotherUsersLiveSessionIsUnauthorizedToo) {
  Principal forged{owner_.user_id, viewer_.session_id};
  EXPECT_TRUE(fails_with(run(service_.get(forged, "acme")), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(fails_with(run(service_.list(forged)), ErrorCode::auth_unauthorized));
  EXPECT_TRUE(
      fails_with(run(service_.create(forged, "mine", "Mine")), ErrorCode::auth_unauthorized));
}

// --- org_as: the lookup every org route starts with ----------------------------------------

TEST_F(OrgServiceTest, NonMembersAndMissingOrgsAreNotFoundAlike) {
  auto hidden = run(service_.get(outsider_, "acme"));
  auto missing = run(service_.get(owner_, "no-such-org"));
  ASSERT_TRUE(fails_with(hidden, ErrorCode::org_not_found));
  ASSERT_TRUE(fails_with(missing, ErrorCode::org_not_found));
  EXPECT_EQ(hidden.error().message, missing.error().message) << "the same sentence";
  EXPECT_TRUE(fails_with(run(service_.members(outsider_, "acme")), ErrorCode::org_not_found));
  EXPECT_TRUE(fails_with(run(service_.set_telemetry_opt_out(outsider_, "acme", true)),
                         ErrorCode::org_not_found))
      << "not found comes before forbidden";
}

TEST_F(OrgServiceTest, MembersReadAndOnlyAdminsAndOwnersWrite) {
  for (const auto& reader : {owner_, admin_, member_, viewer_}) {
    auto org = run(service_.get(reader, "acme"));
    ASSERT_TRUE(org);
    EXPECT_EQ(org->member_count, 4);
    EXPECT_TRUE(run(service_.members(reader, "acme")));
    EXPECT_TRUE(run(service_.telemetry_opt_out(reader, "acme")));
  }
  EXPECT_EQ(run(service_.get(viewer_, "acme"))->role, Role::viewer) << "the caller's own role";
  for (const auto& reader : {member_, viewer_}) {
    EXPECT_TRUE(fails_with(run(service_.update(reader, "acme", "Renamed", std::nullopt)),
                           ErrorCode::auth_forbidden));
    EXPECT_TRUE(fails_with(run(service_.set_telemetry_opt_out(reader, "acme", true)),
                           ErrorCode::auth_forbidden));
    EXPECT_TRUE(fails_with(run(service_.audit(reader, "acme", 10, std::nullopt)),
                           ErrorCode::auth_forbidden))
        << "the audit log is for admins";
    EXPECT_TRUE(
        fails_with(run(service_.add_member(reader, "acme", {"outsider@example.com", Role::viewer})),
                   ErrorCode::auth_forbidden));
  }
  EXPECT_TRUE(audits().empty());
}

TEST_F(OrgServiceTest, LookupErrorsPropagate) {
  orgs_.hooks.fail_next(core::Error::database("no reader"), "org_for_member");
  auto failed = run(service_.get(owner_, "acme"));
  ASSERT_TRUE(fails_with(failed, ErrorCode::internal_database));
  EXPECT_EQ(failed.error().log_detail, "no reader");
  accounts_.hooks.fail_next(core::Error::database("no reader"), "session_active");
  EXPECT_TRUE(fails_with(run(service_.list(owner_)), ErrorCode::internal_database));
}

// --- create, list, update ------------------------------------------------------------------

TEST_F(OrgServiceTest, CreateMakesTheCallerOwnerAuditsAndEmits) {
  auto org = run(service_.create(outsider_, "beta-2", R"(Beta "two")"));
  ASSERT_TRUE(org) << org.error().message;
  EXPECT_EQ(org->slug, "beta-2");
  EXPECT_EQ(org->role, Role::owner);
  EXPECT_EQ(org->member_count, 1);
  auto audit = db_.audit_of(org->id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "org.created");
  EXPECT_EQ(audit[0].target, "beta-2");
  EXPECT_EQ(audit[0].actor_id, outsider_.user_id);
  EXPECT_EQ(audit[0].metadata, R"({"slug":"beta-2","name":"Beta \"two\""})");
  EXPECT_EQ(audit[0].created_at, clock_.now());
  EXPECT_EQ(events_.events(),
            std::vector<std::string>{"org.created " + outsider_.user_id.to_string()});
  EXPECT_EQ(events_.org_ids(), std::vector<core::OrgId>{org->id});

  auto listed = run(service_.list(outsider_));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).slug, "beta-2");
}

TEST_F(OrgServiceTest, CreateValidatesAndRefusesATakenSlug) {
  for (const char* slug : {"a", "-acme", "acme-", "Acme", "ac me", ""}) {
    auto refused = run(service_.create(outsider_, slug, "Name"));
    ASSERT_TRUE(fails_with(refused, ErrorCode::validation_failed)) << slug;
    EXPECT_EQ(refused.error().field, "slug") << slug;
  }
  auto no_name = run(service_.create(outsider_, "fine", ""));
  ASSERT_TRUE(fails_with(no_name, ErrorCode::validation_failed));
  EXPECT_EQ(no_name.error().field, "name");
  EXPECT_TRUE(fails_with(run(service_.create(outsider_, "acme", "Another Acme")),
                         ErrorCode::org_slug_taken));
  EXPECT_EQ(orgs_.hooks.calls("create_org"), 1) << "only the valid request reached storage";
  EXPECT_TRUE(events_.events().empty());
}

TEST_F(OrgServiceTest, UpdateAuditsWhatChangesAndNothingWhenNothingDoes) {
  auto same = run(service_.update(admin_, "acme", "Acme", "acme"));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->name, "Acme");
  EXPECT_EQ(orgs_.hooks.calls("update_org"), 0) << "a no-op writes nothing";
  EXPECT_TRUE(audits().empty());

  auto renamed = run(service_.update(admin_, "acme", "Acme Two", "acme-2"));
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->slug, "acme-2");
  EXPECT_EQ(renamed->name, "Acme Two");
  ASSERT_EQ(audits().size(), 1u);
  EXPECT_EQ(audits()[0].action, "org.updated");
  EXPECT_EQ(audits()[0].target, "acme-2");
  EXPECT_EQ(audits()[0].metadata, R"({"name":"Acme Two","slug":"acme-2"})");
  EXPECT_TRUE(fails_with(run(service_.get(admin_, "acme")), ErrorCode::org_not_found));

  auto bad = run(service_.update(admin_, "acme-2", std::nullopt, "Bad Slug"));
  ASSERT_TRUE(fails_with(bad, ErrorCode::validation_failed));
  EXPECT_EQ(bad.error().field, "slug");
  db_.add_org("taken", "Taken");
  EXPECT_TRUE(fails_with(run(service_.update(admin_, "acme-2", std::nullopt, "taken")),
                         ErrorCode::org_slug_taken));
  EXPECT_EQ(audits().size(), 1u);
}

// --- members -------------------------------------------------------------------------------

TEST_F(OrgServiceTest, AddMemberAuditsWithTheNewMemberAsTargetAndEmits) {
  auto added = run(service_.add_member(admin_, "acme", {" Outsider@Example.com ", Role::viewer}));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->user_id, outsider_.user_id);
  EXPECT_EQ(added->role, Role::viewer);
  ASSERT_EQ(audits().size(), 1u);
  EXPECT_EQ(audits()[0].action, "org.member.added");
  EXPECT_EQ(audits()[0].target, outsider_.user_id.to_string());
  EXPECT_EQ(audits()[0].metadata, R"({"role":"viewer"})");
  EXPECT_EQ(events_.events(),
            std::vector<std::string>{"org.member.added " + admin_.user_id.to_string() + " viewer"});
  EXPECT_TRUE(
      fails_with(run(service_.add_member(admin_, "acme", {"outsider@example.com", Role::member})),
                 ErrorCode::org_member_already_exists));
}

TEST_F(OrgServiceTest, AddMemberChecksRoleAddressAndAccount) {
  auto owner_role = run(service_.add_member(owner_, "acme", {"outsider@example.com", Role::owner}));
  ASSERT_TRUE(fails_with(owner_role, ErrorCode::validation_failed)) << "nobody is added as owner";
  EXPECT_EQ(owner_role.error().field, "role");
  EXPECT_TRUE(
      fails_with(run(service_.add_member(admin_, "acme", {"outsider@example.com", Role::admin})),
                 ErrorCode::auth_forbidden))
      << "only an owner adds an admin";
  EXPECT_TRUE(run(service_.add_member(owner_, "acme", {"outsider@example.com", Role::admin})));
  auto bad_address = run(service_.add_member(owner_, "acme", {"not an address", Role::member}));
  ASSERT_TRUE(fails_with(bad_address, ErrorCode::validation_failed));
  EXPECT_EQ(bad_address.error().field, "email");
  db_.add_user("pending@example.com", false);
  EXPECT_TRUE(
      fails_with(run(service_.add_member(owner_, "acme", {"pending@example.com", Role::member})),
                 ErrorCode::user_not_found));
  EXPECT_TRUE(
      fails_with(run(service_.add_member(owner_, "acme", {"nobody@example.com", Role::member})),
                 ErrorCode::user_not_found));
  EXPECT_EQ(events_.events().size(), 1u) << "only the one addition that happened";
}

TEST_F(OrgServiceTest, ChangeRoleAppliesThePlanInTheRepository) {
  auto id = member_.user_id.to_string();
  auto demoted = run(service_.change_role(admin_, "acme", id, Role::viewer));
  ASSERT_TRUE(demoted) << demoted.error().message;
  EXPECT_EQ(demoted->role, Role::viewer);
  EXPECT_EQ(role_of(member_), Role::viewer);
  ASSERT_EQ(audits().size(), 1u);
  EXPECT_EQ(audits()[0].action, "org.member.role_changed");
  EXPECT_EQ(audits()[0].target, id);
  EXPECT_EQ(audits()[0].actor_id, admin_.user_id);
  EXPECT_EQ(audits()[0].metadata, R"({"from":"member","to":"viewer"})");

  auto same = run(service_.change_role(admin_, "acme", id, Role::viewer));
  ASSERT_TRUE(same);
  EXPECT_EQ(audits().size(), 1u) << "the same role: no audit row";

  EXPECT_TRUE(fails_with(run(service_.change_role(admin_, "acme", id, Role::admin)),
                         ErrorCode::auth_forbidden));
  EXPECT_TRUE(
      fails_with(run(service_.change_role(owner_, "acme", owner_.user_id.to_string(), Role::admin)),
                 ErrorCode::org_last_owner));
  EXPECT_EQ(role_of(owner_), Role::owner);
  EXPECT_TRUE(fails_with(
      run(service_.change_role(owner_, "acme", outsider_.user_id.to_string(), Role::member)),
      ErrorCode::org_member_not_found));
  EXPECT_EQ(audits().size(), 1u) << "refusals write nothing";
}

TEST_F(OrgServiceTest, AnUnparsableUserIdIsAMemberThatDoesNotExist) {
  for (const char* user : {"", "not-a-uuid", "12345"}) {
    EXPECT_TRUE(fails_with(run(service_.change_role(owner_, "acme", user, Role::viewer)),
                           ErrorCode::org_member_not_found))
        << user;
    EXPECT_TRUE(fails_with(run(service_.remove_member(owner_, "acme", user)),
                           ErrorCode::org_member_not_found))
        << user;
  }
  EXPECT_EQ(orgs_.hooks.calls("change_role") + orgs_.hooks.calls("remove_member"), 0);
}

TEST_F(OrgServiceTest, RemoveMemberFollowsTheRulesAndNeverTheCallerThemself) {
  EXPECT_TRUE(fails_with(run(service_.remove_member(admin_, "acme", admin_.user_id.to_string())),
                         ErrorCode::org_cannot_remove_self));
  EXPECT_TRUE(fails_with(run(service_.remove_member(admin_, "acme", owner_.user_id.to_string())),
                         ErrorCode::auth_forbidden));
  ASSERT_TRUE(run(service_.remove_member(admin_, "acme", viewer_.user_id.to_string())));
  EXPECT_FALSE(role_of(viewer_));
  ASSERT_EQ(audits().size(), 1u);
  EXPECT_EQ(audits()[0].action, "org.member.removed");
  EXPECT_EQ(audits()[0].target, viewer_.user_id.to_string());
  EXPECT_EQ(audits()[0].metadata, R"({"role":"viewer"})");
  EXPECT_TRUE(fails_with(run(service_.remove_member(admin_, "acme", viewer_.user_id.to_string())),
                         ErrorCode::org_member_not_found));
  EXPECT_TRUE(fails_with(run(service_.get(viewer_, "acme")), ErrorCode::org_not_found))
      << "a removed member no longer sees the org";
}

TEST_F(OrgServiceTest, AnOwnerMayGoWhileAnotherOwnerStays) {
  auto second = member_with(Role::owner);
  ASSERT_TRUE(run(service_.remove_member(owner_, "acme", second.user_id.to_string())));
  // The first owner is now the last one: promote the admin, who may then remove the first.
  ASSERT_TRUE(run(service_.change_role(owner_, "acme", admin_.user_id.to_string(), Role::owner)));
  ASSERT_TRUE(run(service_.remove_member(admin_, "acme", owner_.user_id.to_string())));
  EXPECT_TRUE(fails_with(
      run(service_.change_role(admin_, "acme", admin_.user_id.to_string(), Role::member)),
      ErrorCode::org_last_owner));
}

// --- telemetry preference and audit log ----------------------------------------------------

TEST_F(OrgServiceTest, TheTelemetryOptOutIsAuditedFromAndTo) {
  EXPECT_EQ(run(service_.telemetry_opt_out(viewer_, "acme")).value(), false);
  EXPECT_EQ(run(service_.set_telemetry_opt_out(admin_, "acme", true)).value(), true);
  EXPECT_EQ(run(service_.telemetry_opt_out(viewer_, "acme")).value(), true);
  ASSERT_EQ(audits().size(), 1u);
  EXPECT_EQ(audits()[0].action, "telemetry.opt_out.update");
  EXPECT_EQ(audits()[0].target, "acme");
  EXPECT_EQ(audits()[0].metadata, R"({"from":false,"to":true})");
}

TEST_F(OrgServiceTest, TheAuditLogIsNewestFirstWithLimitAndBefore) {
  for (auto* who : {&member_, &viewer_}) {
    clock_.advance(std::chrono::milliseconds(1));
    ASSERT_TRUE(run(service_.change_role(owner_, "acme", who->user_id.to_string(), Role::admin)));
  }
  ASSERT_TRUE(run(service_.set_telemetry_opt_out(owner_, "acme", true)));
  auto all = run(service_.audit(admin_, "acme", 10, std::nullopt));
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(0).action, "telemetry.opt_out.update");
  EXPECT_EQ(all->at(2).target, member_.user_id.to_string());
  auto page = run(service_.audit(admin_, "acme", 1, all->at(0).id));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->at(0).id, all->at(1).id);
}

// --- organization tokens --------------------------------------------------------------------

/// A principal presenting a new org token of acme made by `creator`, stored in the fake database.
Principal org_token_of(fakes::Database& db, core::ManualClock& clock, core::SeededRandom& random,
                       const core::OrgId& org, const core::UserId& creator, tokens::Owner owner) {
  auto issued = tokens::issue_token(clock, random, "bot", tokens::Scopes{true, false}, std::nullopt,
                                    creator, org, owner);
  db.api_tokens.push_back(fakes::TokenRow{issued.stored});
  const auto& t = issued.stored.token;
  tokens::PresentedToken presented{t.id,     std::nullopt, t.org_id,     t.owner, t.created_by,
                                   t.scopes, std::nullopt, std::nullopt, false};
  return tokens::principal_of(presented, clock.now(), tokens::RequestKind::write).value();
}

TEST_F(OrgServiceTest, AnOrgTokenActsInItsOrgAloneWithAnAdminsRights) {
  auto other = db_.add_org("beta", "Beta");
  db_.add_member(other, owner_.user_id, Role::owner);
  auto token = org_token_of(db_, clock_, random_, org_id_, owner_.user_id, tokens::Owner::creator);

  auto listed = run(service_.list(token));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u) << "its org alone";
  EXPECT_EQ((*listed)[0].role, Role::admin) << "an owner's token has an admin's rights";
  EXPECT_TRUE(fails_with(run(service_.get(token, "beta")), ErrorCode::org_not_found));
  EXPECT_TRUE(fails_with(run(service_.create(token, "gamma", "G")), ErrorCode::auth_forbidden));
  EXPECT_TRUE(
      fails_with(run(service_.change_role(token, "acme", admin_.user_id.to_string(), Role::owner)),
                 ErrorCode::auth_forbidden));
  ASSERT_TRUE(run(service_.update(token, "acme", std::string("Acme 2"), std::nullopt)));
  auto audit = audits().back();
  EXPECT_EQ(audit.actor_id, owner_.user_id);
  EXPECT_EQ(audit.via_token->value, token.token->id.value);
}

TEST_F(OrgServiceTest, ACreatorTokenDiesWithItsCreatorsAdminRoleAnOrgTokenDoesNot) {
  auto creator =
      org_token_of(db_, clock_, random_, org_id_, admin_.user_id, tokens::Owner::creator);
  auto org_owned = org_token_of(db_, clock_, random_, org_id_, admin_.user_id, tokens::Owner::org);
  ASSERT_TRUE(run(service_.get(creator, "acme")));
  db_.membership(org_id_, admin_.user_id)->role = Role::member;
  EXPECT_TRUE(fails_with(run(service_.get(creator, "acme")), ErrorCode::auth_unauthorized));
  ASSERT_TRUE(run(service_.get(org_owned, "acme")));

  auto added = run(service_.add_member(org_owned, "acme", {"outsider@example.com", Role::viewer}));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_FALSE(audits().back().actor_id) << "no person acted";
  EXPECT_EQ(events_.events().back(), "org.member.added null viewer");

  db_.api_tokens.back().stored.token.revoked_at = clock_.now();
  EXPECT_TRUE(fails_with(run(service_.get(org_owned, "acme")), ErrorCode::auth_unauthorized));
}

}  // namespace
}  // namespace ferr::domain::orgs
