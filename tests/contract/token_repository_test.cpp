// The TokenRepository contract, on every backend: tokens found by their hash only, the caller's
// credential checked in the same step, the live-token limit under concurrent creations, the
// conditional last use, org tokens with their audit rows, and the erasure of an account with its
// tokens and its memberships.

#include <algorithm>

#include "contract/contract_test.hpp"
#include "contract/race.hpp"
#include "domain/orgs/audit.hpp"
#include "domain/tokens/api_token.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using core::OrgId;
using core::UserId;
using domain::tokens::Owner;
using domain::tokens::Scopes;
using domain::tokens::TokenOutcome;

class TokenRepositoryContract : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    repo_ = &backend_->tokens();
  }
  domain::tokens::IssuedToken issue(const UserId& creator, std::optional<OrgId> org = std::nullopt,
                                    std::optional<core::TimePoint> expires = std::nullopt,
                                    std::optional<Owner> owner = std::nullopt) {
    return domain::tokens::issue_token(clock_, random_, "token", Scopes{true, false}, expires,
                                       creator, org, owner);
  }
  OrgId org_of(const UserId& owner, const std::string& slug) {
    auto org = run(backend_->orgs().create_org(next_id<OrgId>(), slug, slug, owner,
                                               audit(owner, "org.created", slug)));
    EXPECT_TRUE(org) << org.error().log_detail;
    return org ? org->id : OrgId{};
  }

  core::SeededRandom random_{7};
  domain::tokens::TokenRepository* repo_ = nullptr;
};

TEST_P(TokenRepositoryContract, APersonalTokenIsFoundByItsHashOnly) {
  auto ada = active_user("ada@example.com");
  auto caller = sign_in(ada);
  auto issued = issue(ada, std::nullopt, now() + 1h);
  ASSERT_EQ(run(repo_->create_personal(caller, issued.stored, now())).value(), TokenOutcome::done);

  EXPECT_FALSE(run(repo_->find_by_hash(issued.plaintext)).value()) << "never the plaintext";
  auto found = run(repo_->find_by_hash(issued.stored.token_hash)).value();
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, issued.stored.token.id);
  EXPECT_EQ(found->user_id, ada);
  EXPECT_FALSE(found->org_id);
  EXPECT_EQ(found->created_by, ada);
  EXPECT_EQ(found->scopes.stored(), "*");
  EXPECT_EQ(found->expires_at, now() + 1h);
  EXPECT_FALSE(found->last_used_at);
  EXPECT_FALSE(found->revoked);

  auto listed = run(repo_->personal_tokens(caller, now())).value();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].token_prefix, issued.plaintext.substr(0, 12));
  clock_.advance(1h);
  EXPECT_TRUE(run(repo_->personal_tokens(caller, now())).value()->empty()) << "expired";
}

TEST_P(TokenRepositoryContract, TheCallersCredentialIsCheckedInTheSameStep) {
  auto ada = active_user("ada@example.com");
  auto caller = sign_in(ada);
  ASSERT_TRUE(run(backend_->accounts().revoke_session(caller, now())).value());
  auto issued = issue(ada);
  EXPECT_EQ(run(repo_->create_personal(caller, issued.stored, now())).value(),
            TokenOutcome::caller_not_live);
  EXPECT_FALSE(run(repo_->find_by_hash(issued.stored.token_hash)).value()) << "nothing stored";
  EXPECT_FALSE(run(repo_->personal_tokens(caller, now())).value());

  // A personal token is itself a live credential (the live_credentials view) until revoked.
  auto live = sign_in(ada);
  ASSERT_EQ(run(repo_->create_personal(live, issued.stored, now())).value(), TokenOutcome::done);
  domain::accounts::Principal as_token{ada, core::SessionId{issued.stored.token.id.value}};
  EXPECT_TRUE(run(backend_->accounts().session_active(as_token)).value());
  EXPECT_EQ(run(repo_->revoke_personal(as_token, issued.stored.token.id, now())).value(),
            TokenOutcome::done);
  EXPECT_FALSE(run(backend_->accounts().session_active(as_token)).value());
  EXPECT_TRUE(run(repo_->find_by_hash(issued.stored.token_hash)).value()->revoked);
}

TEST_P(TokenRepositoryContract, OnlyTheOwnerRevokesAPersonalToken) {
  auto ada = active_user("ada@example.com");
  auto bob = active_user("bob@example.com");
  auto issued = issue(ada);
  ASSERT_EQ(run(repo_->create_personal(sign_in(ada), issued.stored, now())).value(),
            TokenOutcome::done);
  EXPECT_EQ(run(repo_->revoke_personal(sign_in(bob), issued.stored.token.id, now())).value(),
            TokenOutcome::not_found);
  EXPECT_FALSE(run(repo_->find_by_hash(issued.stored.token_hash)).value()->revoked);
}

TEST_P(TokenRepositoryContract, ConcurrentCreationsNeverPassTheLimit) {
  auto ada = active_user("ada@example.com");
  auto caller = sign_in(ada);
  for (int i = 0; i < domain::tokens::kMaxLiveTokens - 2; ++i)
    ASSERT_EQ(run(repo_->create_personal(caller, issue(ada).stored, now())).value(),
              TokenOutcome::done);
  std::vector<domain::tokens::IssuedToken> tokens;
  for (int i = 0; i < 6; ++i) tokens.push_back(issue(ada));
  auto results = race(6, [&](int i) {
    return run(repo_->create_personal(caller, tokens[static_cast<std::size_t>(i)].stored, now()));
  });
  auto created = std::ranges::count_if(results, [](const auto& r) { return r.has_value(); });
  EXPECT_EQ(created, 2) << "exactly the two that fit";
  for (const auto& r : results) {
    if (!r) {
      EXPECT_TRUE(fails_with(r, core::ErrorCode::validation_failed));
    }
  }
  EXPECT_EQ(run(repo_->personal_tokens(caller, now())).value()->size(),
            static_cast<std::size_t>(domain::tokens::kMaxLiveTokens));
}

TEST_P(TokenRepositoryContract, AUseIsRecordedOnlyWhenTheLastIsOldEnough) {
  auto ada = active_user("ada@example.com");
  auto issued = issue(ada);
  ASSERT_TRUE(run(repo_->create_personal(sign_in(ada), issued.stored, now())));
  const auto first = now();
  ASSERT_TRUE(run(repo_->record_use(issued.stored.token.id, first, first - 60s)));
  clock_.advance(30s);
  ASSERT_TRUE(run(repo_->record_use(issued.stored.token.id, now(), now() - 60s)));
  EXPECT_EQ(run(repo_->find_by_hash(issued.stored.token_hash)).value()->last_used_at, first);
  clock_.advance(30s);
  ASSERT_TRUE(run(repo_->record_use(issued.stored.token.id, now(), now() - 60s)));
  EXPECT_EQ(run(repo_->find_by_hash(issued.stored.token_hash)).value()->last_used_at, now());
}

TEST_P(TokenRepositoryContract, OrgTokensAreAuditedListedAndRevoked) {
  auto ada = active_user("ada@example.com");
  auto acme = org_of(ada, "acme");
  auto issued = issue(ada, acme, std::nullopt, Owner::org);
  auto stored =
      run(repo_->create_for_org(acme, issued.stored, audit(ada, "org.token.created", "t"), now()));
  ASSERT_TRUE(stored) << stored.error().log_detail;
  EXPECT_EQ(stored->owner, Owner::org);
  EXPECT_EQ(stored->created_by_email, "ada@example.com");
  auto found = run(repo_->find_by_hash(issued.stored.token_hash)).value();
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->user_id);
  EXPECT_EQ(found->org_id, acme);
  EXPECT_EQ(found->owner, Owner::org);

  // The org lookup of the token: its org, whatever slug is asked, and the creator's role.
  auto lookup = run(backend_->orgs().org_for_token(issued.stored.token.id, std::nullopt)).value();
  EXPECT_TRUE(lookup.token_live);
  EXPECT_TRUE(lookup.org_owned);
  EXPECT_EQ(lookup.creator_role, domain::orgs::Role::owner);
  ASSERT_TRUE(lookup.org);
  EXPECT_EQ(lookup.org->slug, "acme");
  EXPECT_FALSE(
      run(backend_->orgs().org_for_token(issued.stored.token.id, std::string("beta"))).value().org);

  EXPECT_FALSE(run(repo_->revoke_for_org(org_of(ada, "beta"), issued.stored.token.id,
                                         audit(ada, "org.token.revoked", "t"), now()))
                   .value())
      << "another org's token";
  EXPECT_TRUE(run(repo_->revoke_for_org(acme, issued.stored.token.id,
                                        audit(ada, "org.token.revoked", "t"), now()))
                  .value());
  EXPECT_FALSE(run(repo_->revoke_for_org(acme, issued.stored.token.id,
                                         audit(ada, "org.token.revoked", "t"), now()))
                   .value())
      << "revoked already";
  EXPECT_FALSE(
      run(backend_->orgs().org_for_token(issued.stored.token.id, std::nullopt)).value().token_live);
  auto listed = run(repo_->org_tokens(acme)).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].revoked_at, now());
  auto log = run(backend_->orgs().audit_log(acme, 10, std::nullopt)).value();
  auto actions =
      std::ranges::count_if(log, [](const auto& a) { return a.action.starts_with("org.token."); });
  EXPECT_EQ(actions, 2) << "created and revoked, each in its own transaction";
}

TEST_P(TokenRepositoryContract, ErasureTakesTheAccountsTokensAndRevokesItsCreatorTokens) {
  auto ada = active_user("ada@example.com");
  auto bob = active_user("bob@example.com");
  auto acme = org_of(bob, "acme");
  ASSERT_TRUE(run(backend_->orgs().add_member(acme, "ada@example.com", domain::orgs::Role::admin,
                                              audit(bob, "org.member.added", ""))));
  auto personal = issue(ada);
  ASSERT_TRUE(run(repo_->create_personal(sign_in(ada), personal.stored, now())));
  auto creator = issue(ada, acme, std::nullopt, Owner::creator);
  auto org_owned = issue(ada, acme, std::nullopt, Owner::org);
  ASSERT_TRUE(
      run(repo_->create_for_org(acme, creator.stored, audit(ada, "org.token.created", ""), now())));
  ASSERT_TRUE(run(
      repo_->create_for_org(acme, org_owned.stored, audit(ada, "org.token.created", ""), now())));

  domain::accounts::RemovalAudit removal = [&](const domain::accounts::ErasedMembership& m) {
    return audit(ada, "org.member.removed", ada.to_string(),
                 domain::orgs::member_removed_metadata(m.role));
  };
  auto erased = run(backend_->accounts().erase_account(ada, "ada@example.com", removal, now()));
  ASSERT_TRUE(erased) << erased.error().log_detail;
  EXPECT_TRUE(erased->sole_owner_of.empty());
  EXPECT_FALSE(run(repo_->find_by_hash(personal.stored.token_hash)).value()) << "gone";
  EXPECT_TRUE(run(repo_->find_by_hash(creator.stored.token_hash)).value()->revoked);
  EXPECT_FALSE(run(repo_->find_by_hash(org_owned.stored.token_hash)).value()->revoked);
  EXPECT_FALSE(run(backend_->accounts().find_by_id(ada)).value());
  auto members = run(backend_->orgs().members(acme)).value();
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].user_id, bob);
  auto log = run(backend_->orgs().audit_log(acme, 1, std::nullopt)).value();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "org.member.removed");
  EXPECT_EQ(log[0].actor_id, ada);
  EXPECT_EQ(log[0].metadata, R"({"role":"admin"})");

  // The only owner of an org is refused, and nothing changes.
  auto refused = run(backend_->accounts().erase_account(bob, "bob@example.com", removal, now()));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->sole_owner_of, (std::vector<std::string>{"acme"}));
  EXPECT_TRUE(run(backend_->accounts().find_by_id(bob)).value());
}

INSTANTIATE_TEST_SUITE_P(Backends, TokenRepositoryContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
