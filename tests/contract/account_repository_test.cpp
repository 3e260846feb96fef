// The AccountRepository contract, run on every storage backend.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "contract/contract_test.hpp"
#include "contract/race.hpp"
#include "domain/accounts/account_rules.hpp"
#include "domain/accounts/housekeeping.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using core::SessionId;
using core::UserId;
using domain::accounts::HousekeepingAges;
using domain::accounts::HousekeepingCutoffs;
using domain::accounts::HousekeepingRemoved;
using domain::accounts::Principal;
using domain::accounts::RefreshOutcome;
using domain::accounts::RegisterOutcome;

/// Every member of two accounts, as one comparable value.
auto fields(const domain::accounts::User& u) {
  return std::tie(u.id, u.email, u.active, u.display_name, u.timezone, u.locale, u.created_at,
                  u.updated_at);
}

class AccountRepositoryContract : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    repo_ = &backend_->accounts();
    // The tests name their own ids by small seeds; the helpers' ids stay clear of them.
    next_seed_ = 100000;
  }

  bool session_active(const Principal& principal) {
    return run(repo_->session_active(principal)).value();
  }

  /// A housekeeping pass with the domain's cut-offs at the clock's time.
  HousekeepingRemoved housekeep() {
    return housekeep(domain::accounts::housekeeping_cutoffs(now()));
  }
  HousekeepingRemoved housekeep(const HousekeepingCutoffs& cutoffs) {
    auto removed = run(repo_->delete_expired(cutoffs));
    EXPECT_TRUE(removed) << removed.error().log_detail;
    if (!removed) return {};
    EXPECT_TRUE(removed->ran);
    return *removed;
  }
  /// Whether a refresh token is stored (presenting it would not come back `unknown`). Presenting
  /// revokes the family of a spent one: call it last for those.
  bool refresh_token_stored(const std::string& hash) {
    return run(repo_->rotate_refresh_token({hash, hash + "-next", now() + 1h}, now()))->kind !=
           RefreshOutcome::Kind::unknown;
  }

  domain::accounts::AccountRepository* repo_ = nullptr;
};

TEST_P(AccountRepositoryContract, RegisterCreatesThenUpdatesPendingThenLeavesActiveAlone) {
  auto first = run(repo_->register_account("a@x.io", "h1", std::string("A"), id<UserId>(1), now()));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->first, RegisterOutcome::created);
  EXPECT_EQ(first->second, id<UserId>(1));

  auto second = run(repo_->register_account("a@x.io", "h2", std::nullopt, id<UserId>(2), now()));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, RegisterOutcome::pending_updated);
  EXPECT_EQ(second->second, id<UserId>(1));
  auto stored = run(repo_->find_by_email("a@x.io"));
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->password_hash, "h2");
  EXPECT_EQ((*stored)->user.display_name, "A") << "a missing display name keeps the old one";
  EXPECT_FALSE((*stored)->user.active);

  ASSERT_TRUE(run(repo_->activate(id<UserId>(1), now())).value_or(false));
  EXPECT_FALSE(run(repo_->activate(id<UserId>(1), now())).value_or(true))
      << "activation happens once";
  auto third = run(repo_->register_account("a@x.io", "h3", std::nullopt, id<UserId>(3), now()));
  EXPECT_EQ(third->first, RegisterOutcome::already_active);
  EXPECT_EQ(third->second, id<UserId>(1));
  EXPECT_EQ((*run(repo_->find_by_email("a@x.io")))->password_hash, "h2");
}

TEST_P(AccountRepositoryContract, ConcurrentRegistrationsOfOneAddressMakeOneAccount) {
  auto results = race(8, [&](int i) {
    return run(repo_->register_account("same@x.io", "h", std::nullopt, id<UserId>(100 + i), now()));
  });
  int created = 0;
  std::optional<UserId> user;
  for (auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    created += r->first == RegisterOutcome::created;
    if (user) {
      EXPECT_EQ(*user, r->second);
    }
    user = r->second;
  }
  EXPECT_EQ(created, 1);
}

TEST_P(AccountRepositoryContract, MailSlotsAreClaimedOncePerInterval) {
  EXPECT_TRUE(run(repo_->claim_mail_slot("m@x.io", now(), now() - 60s)).value());
  clock_.advance(59s);
  EXPECT_FALSE(run(repo_->claim_mail_slot("m@x.io", now(), now() - 60s)).value());
  EXPECT_TRUE(run(repo_->claim_mail_slot("other@x.io", now(), now() - 60s)).value());
  clock_.advance(1s);
  EXPECT_TRUE(run(repo_->claim_mail_slot("m@x.io", now(), now() - 60s)).value());
}

TEST_P(AccountRepositoryContract, VerificationCodesCountFailuresAndVanishOnActivation) {
  auto user =
      run(repo_->register_account("c@x.io", "h", std::nullopt, id<UserId>(7), now()))->second;
  auto none = run(repo_->find_verification_code("c@x.io"));
  ASSERT_TRUE(none && *none);
  EXPECT_FALSE((*none)->code_hash);
  EXPECT_FALSE(run(repo_->find_verification_code("nobody@x.io")).value());

  ASSERT_TRUE(run(repo_->store_verification_code(user, "code-hash", now() + 15min)));
  EXPECT_EQ(run(repo_->record_code_failure(user)).value(), 1);
  EXPECT_EQ(run(repo_->record_code_failure(user)).value(), 2);
  auto code = run(repo_->find_verification_code("c@x.io")).value();
  EXPECT_EQ(code->code_hash, "code-hash");
  EXPECT_EQ(code->failed_attempts, 2);
  EXPECT_EQ(code->expires_at, now() + 15min);

  ASSERT_TRUE(run(repo_->store_verification_code(user, "new-hash", now() + 15min)));
  EXPECT_EQ(run(repo_->find_verification_code("c@x.io")).value()->failed_attempts, 0)
      << "a new code starts afresh";
  ASSERT_TRUE(run(repo_->activate(user, now())).value());
  auto after = run(repo_->find_verification_code("c@x.io")).value();
  EXPECT_TRUE(after->user_active);
  EXPECT_FALSE(after->code_hash);
}

TEST_P(AccountRepositoryContract, LoginFailuresLockByTheDomainsTiersAndReset) {
  // domain::accounts::login_lock_for: no lock below 5, 60 s from 5, 5 min from 10, 1 h from 20.
  for (int i = 1; i <= 4; ++i) {
    auto t = run(repo_->record_login_failure("l@x.io", now()));
    EXPECT_EQ(t->consecutive_failures, i);
    EXPECT_FALSE(t->locked_until);
  }
  auto locked = run(repo_->record_login_failure("l@x.io", now()));
  EXPECT_EQ(locked->consecutive_failures, 5);
  EXPECT_EQ(locked->locked_until, now() + 60s);
  EXPECT_EQ(run(repo_->login_throttle("l@x.io"))->locked_until, now() + 60s);
  for (int i = 6; i <= 10; ++i) ASSERT_TRUE(run(repo_->record_login_failure("l@x.io", now())));
  EXPECT_EQ(run(repo_->login_throttle("l@x.io"))->locked_until, now() + 5min) << "10 failures";
  for (int i = 11; i <= 20; ++i) ASSERT_TRUE(run(repo_->record_login_failure("l@x.io", now())));
  EXPECT_EQ(run(repo_->login_throttle("l@x.io"))->locked_until, now() + 1h) << "20 failures";
  ASSERT_TRUE(run(repo_->reset_login_failures("l@x.io")));
  EXPECT_EQ(run(repo_->login_throttle("l@x.io"))->consecutive_failures, 0);
  EXPECT_FALSE(run(repo_->login_throttle("l@x.io"))->locked_until);
}

TEST_P(AccountRepositoryContract, ConcurrentLoginFailuresAreAllCounted) {
  auto results = race(10, [&](int) { return run(repo_->record_login_failure("c@x.io", now())); });
  for (const auto& r : results) ASSERT_TRUE(r) << r.error().log_detail;
  EXPECT_EQ(run(repo_->login_throttle("c@x.io"))->consecutive_failures, 10);
}

TEST_P(AccountRepositoryContract, RefreshTokensRotateAndReuseRevokesTheFamily) {
  auto user = active_user("s@x.io");
  auto session = id<SessionId>(50);
  ASSERT_TRUE(
      run(repo_->create_session({session, user, "r1", now() + 14 * 24h, std::nullopt}, now())));
  EXPECT_TRUE(session_active({user, session}));

  auto rotated = run(repo_->rotate_refresh_token({"r1", "r2", now() + 14 * 24h}, now()));
  EXPECT_EQ(rotated->kind, RefreshOutcome::Kind::rotated);
  EXPECT_EQ(rotated->session_id, session);
  EXPECT_EQ(rotated->user_id, user);
  EXPECT_EQ(run(repo_->rotate_refresh_token({"nope", "x", now()}, now()))->kind,
            RefreshOutcome::Kind::unknown);

  // Within the grace window a spent token is reissued: nothing is written, so the successor
  // stays the one its rotation stored.
  clock_.advance(domain::accounts::kRefreshGrace);
  EXPECT_EQ(run(repo_->rotate_refresh_token({"r1", "r2", now() + 14 * 24h}, now()))->kind,
            RefreshOutcome::Kind::reissued);
  EXPECT_TRUE(session_active({user, session}));
  clock_.advance(1ms);
  EXPECT_EQ(run(repo_->rotate_refresh_token({"r1", "r2", now() + 14 * 24h}, now()))->kind,
            RefreshOutcome::Kind::reused)
      << "after the window, a reuse";
  EXPECT_FALSE(session_active({user, session}));
  EXPECT_EQ(run(repo_->rotate_refresh_token({"r2", "r4", now() + 14 * 24h}, now()))->kind,
            RefreshOutcome::Kind::expired)
      << "the live token of a revoked family is dead too";
}

TEST_P(AccountRepositoryContract, RefreshTokensExpire) {
  auto user = active_user("e@x.io");
  ASSERT_TRUE(
      run(repo_->create_session({id<SessionId>(60), user, "r1", now() + 1h, std::nullopt}, now())));
  clock_.advance(1h);
  EXPECT_EQ(run(repo_->rotate_refresh_token({"r1", "r2", now() + 1h}, now()))->kind,
            RefreshOutcome::Kind::expired);
}

TEST_P(AccountRepositoryContract, RevokeEndsOneSession) {
  auto user = active_user("r@x.io");
  ASSERT_TRUE(
      run(repo_->create_session({id<SessionId>(70), user, "a", now() + 1h, std::nullopt}, now())));
  ASSERT_TRUE(
      run(repo_->create_session({id<SessionId>(71), user, "b", now() + 1h, std::nullopt}, now())));
  EXPECT_TRUE(run(repo_->revoke_session({user, id<SessionId>(70)}, now())).value());
  EXPECT_FALSE(session_active({user, id<SessionId>(70)}));
  EXPECT_TRUE(session_active({user, id<SessionId>(71)}));
  EXPECT_FALSE(session_active({user, id<SessionId>(72)})) << "unknown sessions are not active";
}

TEST_P(AccountRepositoryContract, RevokeSessionSaysWhetherItEndedALiveSessionOfThePrincipal) {
  auto user = active_user("rv@x.io");
  auto other = active_user("other@x.io");
  auto mine = sign_in(user);
  auto theirs = sign_in(other);

  EXPECT_FALSE(run(repo_->revoke_session({user, theirs.session_id}, now())).value())
      << "another user's session is not the principal's";
  EXPECT_TRUE(session_active(theirs)) << "and stays live";
  EXPECT_FALSE(run(repo_->revoke_session({user, id<SessionId>(73)}, now())).value())
      << "an unknown session";

  EXPECT_TRUE(run(repo_->revoke_session(mine, now())).value());
  EXPECT_FALSE(session_active(mine));
  EXPECT_FALSE(run(repo_->revoke_session(mine, now())).value()) << "revoked already";
  EXPECT_TRUE(session_active(theirs));
}

TEST_P(AccountRepositoryContract, SessionActiveNeedsTheSessionToBelongToThePrincipalsUser) {
  auto user = active_user("sa@x.io");
  auto other = active_user("other@x.io");
  auto theirs = sign_in(other);
  EXPECT_TRUE(session_active(theirs));
  EXPECT_FALSE(session_active({user, theirs.session_id}))
      << "another user's live session id does not authenticate this user";
  EXPECT_FALSE(session_active({id<UserId>(74), theirs.session_id})) << "an unknown user";
}

TEST_P(AccountRepositoryContract, FindBySessionReadsTheUserOfALiveSessionOfItsOwn) {
  auto user = active_user("fs@x.io", std::string("Eff"));
  auto other = active_user("other@x.io");
  auto mine = sign_in(user);
  auto theirs = sign_in(other);

  auto found = run(repo_->find_by_session(mine));
  ASSERT_TRUE(found) << found.error().log_detail;
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->id, user);
  EXPECT_EQ((*found)->email, "fs@x.io");
  EXPECT_EQ((*found)->display_name, "Eff");
  EXPECT_TRUE((*found)->active);
  EXPECT_EQ(fields(**found), fields(*run(repo_->find_by_id(user)).value()))
      << "the same account as find_by_id";

  EXPECT_FALSE(run(repo_->find_by_session({user, theirs.session_id})).value())
      << "another user's session";
  EXPECT_FALSE(run(repo_->find_by_session({user, id<SessionId>(75)})).value())
      << "an unknown session";
  ASSERT_TRUE(run(repo_->revoke_session(mine, now())).value());
  EXPECT_FALSE(run(repo_->find_by_session(mine)).value()) << "a revoked session";
  EXPECT_TRUE(run(repo_->find_by_session(theirs)).value());
}

TEST_P(AccountRepositoryContract, PasswordResetIsSingleUseAndRevokesEverything) {
  auto user = active_user("p@x.io");
  ASSERT_TRUE(
      run(repo_->create_session({id<SessionId>(80), user, "a", now() + 1h, std::nullopt}, now())));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(run(repo_->record_login_failure("p@x.io", now())));
  ASSERT_TRUE(run(repo_->login_throttle("p@x.io"))->locked_until) << "locked before the reset";
  ASSERT_TRUE(run(repo_->store_reset_token(user, "t1", now() + 30min, now())));
  auto token = run(repo_->find_reset_token("t1")).value();
  ASSERT_TRUE(token);
  EXPECT_EQ(token->user_id, user);
  EXPECT_EQ(token->email, "p@x.io");
  EXPECT_FALSE(token->used);
  EXPECT_FALSE(run(repo_->find_reset_token("t2")).value());

  EXPECT_TRUE(run(repo_->complete_password_reset("t1", user, "p@x.io", "new-hash", now())).value());
  EXPECT_FALSE(run(repo_->complete_password_reset("t1", user, "p@x.io", "other", now())).value())
      << "single use";
  EXPECT_TRUE(run(repo_->find_reset_token("t1")).value()->used);
  EXPECT_EQ((*run(repo_->find_by_email("p@x.io")))->password_hash, "new-hash");
  EXPECT_FALSE(session_active({user, id<SessionId>(80)}));
  EXPECT_FALSE(run(repo_->login_throttle("p@x.io"))->locked_until);
  EXPECT_EQ(run(repo_->login_throttle("p@x.io"))->consecutive_failures, 0);
}

TEST_P(AccountRepositoryContract, ProfilePatchTouchesOnlyWhatItCarries) {
  auto user = active_user("u@x.io");
  auto principal = sign_in(user);
  domain::accounts::ProfilePatch patch;
  patch.set_display_name = true;
  patch.display_name = "U";
  patch.timezone = "Europe/Paris";
  clock_.advance(1s);
  auto updated = run(repo_->update_profile(principal, patch, now()));
  ASSERT_TRUE(updated) << updated.error().log_detail;
  ASSERT_TRUE(*updated);
  EXPECT_EQ((*updated)->id, user);
  EXPECT_EQ((*updated)->display_name, "U");
  EXPECT_EQ((*updated)->timezone, "Europe/Paris");
  EXPECT_EQ((*updated)->locale, "en");
  EXPECT_EQ((*updated)->updated_at, now());
  EXPECT_LT((*updated)->created_at, (*updated)->updated_at);
  EXPECT_EQ(fields(**updated), fields(*run(repo_->find_by_id(user)).value())) << "what is stored";

  domain::accounts::ProfilePatch clear;
  clear.set_display_name = true;
  auto cleared = run(repo_->update_profile(principal, clear, now())).value();
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->display_name);
  EXPECT_EQ(cleared->timezone, "Europe/Paris");
}

TEST_P(AccountRepositoryContract, AvatarUrlIsSetKeptAndCleared) {
  auto user = active_user("pic@x.io");
  auto principal = sign_in(user);
  domain::accounts::ProfilePatch set;
  set.set_avatar_url = true;
  set.avatar_url = "https://cdn.example.com/a.png";
  EXPECT_EQ(run(repo_->update_profile(principal, set, now())).value()->avatar_url,
            "https://cdn.example.com/a.png");
  domain::accounts::ProfilePatch other;
  other.locale = "fr";
  EXPECT_EQ(run(repo_->update_profile(principal, other, now())).value()->avatar_url,
            "https://cdn.example.com/a.png")
      << "a patch without it keeps it";
  EXPECT_EQ(run(repo_->find_by_id(user)).value()->avatar_url, "https://cdn.example.com/a.png");
  domain::accounts::ProfilePatch clear;
  clear.set_avatar_url = true;
  EXPECT_FALSE(run(repo_->update_profile(principal, clear, now())).value()->avatar_url);
}

TEST_P(AccountRepositoryContract, OneExportSlotPerIntervalNamingTheExportThatHoldsIt) {
  auto user = active_user("exp@x.io");
  auto other = active_user("oth@x.io");
  const auto first = now();
  EXPECT_EQ(run(repo_->claim_export_slot(user, first, first - 1min)).value(), std::nullopt);
  clock_.advance(59s);
  EXPECT_EQ(run(repo_->claim_export_slot(user, now(), now() - 1min)).value(), first)
      << "held by the first export";
  EXPECT_EQ(run(repo_->claim_export_slot(other, now(), now() - 1min)).value(), std::nullopt)
      << "each user has their own";
  clock_.advance(1s);
  EXPECT_EQ(run(repo_->claim_export_slot(user, now(), now() - 1min)).value(), std::nullopt)
      << "a minute later, free again";
  EXPECT_EQ(run(repo_->claim_export_slot(user, now() + 1s, now() - 1min)).value(), now());
}

TEST_P(AccountRepositoryContract, StartingASessionRecordsTheLastLogin) {
  auto user = active_user("last@x.io");
  EXPECT_FALSE(run(repo_->find_by_id(user)).value()->last_login_at) << "never logged in";
  clock_.advance(1h);
  auto principal = sign_in(user);
  EXPECT_EQ(run(repo_->find_by_id(user)).value()->last_login_at, now());
  EXPECT_EQ(run(repo_->find_by_email("last@x.io")).value()->user.last_login_at, now());
  EXPECT_EQ(run(repo_->find_by_session(principal)).value()->last_login_at, now());
}

TEST_P(AccountRepositoryContract, SessionsAreListedLiveNewestFirstWithWhatTheLoginKept) {
  using domain::accounts::NewSession;
  auto user = active_user("many@x.io");
  auto other = active_user("other@x.io");
  const auto start = now();
  auto first = id<SessionId>(600);
  ASSERT_TRUE(run(
      repo_->create_session(NewSession{first, user, "m1", start + 14 * 24h, "curl/8.0"}, start)));
  clock_.advance(1min);
  auto second = id<SessionId>(601);
  ASSERT_TRUE(
      run(repo_->create_session(NewSession{second, user, "m2", now() + 1h, std::nullopt}, now())));
  clock_.advance(1min);
  auto revoked = sign_in(user);
  ASSERT_TRUE(run(repo_->revoke_session(revoked, now())).value());
  sign_in(other);

  auto listed = run(repo_->list_sessions({user, first}, now()));
  ASSERT_TRUE(listed) << listed.error().log_detail;
  ASSERT_TRUE(*listed);
  ASSERT_EQ((*listed)->size(), 2u) << "not the revoked one, not another user's";
  const auto& newest = (**listed)[0];
  const auto& oldest = (**listed)[1];
  EXPECT_EQ(newest.id, second);
  EXPECT_FALSE(newest.user_agent);
  EXPECT_EQ(oldest.id, first);
  EXPECT_EQ(oldest.user_agent, "curl/8.0");
  EXPECT_EQ(oldest.created_at, start);
  EXPECT_EQ(oldest.last_active_at, start);
  EXPECT_EQ(oldest.expires_at, start + 14 * 24h);

  // A rotation moves the session's last activity and end.
  clock_.advance(1min);
  ASSERT_EQ(run(repo_->rotate_refresh_token({"m1", "m1b", now() + 14 * 24h}, now()))->kind,
            RefreshOutcome::Kind::rotated);
  auto after = run(repo_->list_sessions({user, first}, now())).value().value();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1].last_active_at, now());
  EXPECT_EQ(after[1].expires_at, now() + 14 * 24h);
  EXPECT_EQ(after[1].created_at, start);

  // An expired session is not live; a caller whose own session is not live gets nothing.
  clock_.advance(1h);
  auto later = run(repo_->list_sessions({user, first}, now())).value().value();
  ASSERT_EQ(later.size(), 1u) << "the second expired";
  EXPECT_EQ(later[0].id, first);
  EXPECT_FALSE(run(repo_->list_sessions(revoked, now())).value());
  EXPECT_FALSE(run(repo_->list_sessions({other, first}, now())).value())
      << "a session id of another user is not the caller's";
}

TEST_P(AccountRepositoryContract, RevokingASessionByIdOnlyReachesTheCallersLiveSessions) {
  using domain::accounts::SessionRevocation;
  auto user = active_user("rev@x.io");
  auto other = active_user("oth@x.io");
  auto caller = sign_in(user);
  auto phone = sign_in(user);
  auto theirs = sign_in(other);
  EXPECT_EQ(run(repo_->revoke_session_by_id(caller, theirs.session_id, now())).value(),
            SessionRevocation::not_found);
  EXPECT_TRUE(session_active(theirs));
  EXPECT_EQ(run(repo_->revoke_session_by_id(caller, id<SessionId>(999), now())).value(),
            SessionRevocation::not_found);
  EXPECT_EQ(run(repo_->revoke_session_by_id(caller, phone.session_id, now())).value(),
            SessionRevocation::revoked);
  EXPECT_FALSE(session_active(phone));
  EXPECT_TRUE(session_active(caller));
  EXPECT_EQ(run(repo_->revoke_session_by_id(caller, phone.session_id, now())).value(),
            SessionRevocation::not_found)
      << "revoked already";
  EXPECT_EQ(run(repo_->revoke_session_by_id(caller, caller.session_id, now())).value(),
            SessionRevocation::revoked)
      << "its own too";
  EXPECT_EQ(run(repo_->revoke_session_by_id(caller, caller.session_id, now())).value(),
            SessionRevocation::caller_not_live);
}

TEST_P(AccountRepositoryContract, ProfilePatchWithoutALiveSessionChangesNothing) {
  auto user = active_user("np@x.io", std::string("Before"));
  auto other = active_user("other@x.io");
  auto mine = sign_in(user);
  auto theirs = sign_in(other);
  auto before = run(repo_->find_by_id(user)).value();
  ASSERT_TRUE(before);
  domain::accounts::ProfilePatch patch;
  patch.set_display_name = true;
  patch.display_name = "After";
  patch.locale = "fr";
  clock_.advance(1s);

  auto foreign = run(repo_->update_profile({user, theirs.session_id}, patch, now()));
  ASSERT_TRUE(foreign) << foreign.error().log_detail;
  EXPECT_FALSE(*foreign) << "another user's session";
  ASSERT_TRUE(run(repo_->revoke_session(mine, now())).value());
  auto revoked = run(repo_->update_profile(mine, patch, now()));
  ASSERT_TRUE(revoked) << revoked.error().log_detail;
  EXPECT_FALSE(*revoked) << "a revoked session";
  EXPECT_EQ(fields(*run(repo_->find_by_id(user)).value()), fields(*before))
      << "nothing was written";
  EXPECT_EQ(run(repo_->find_by_id(other)).value()->display_name, std::nullopt);
}

TEST_P(AccountRepositoryContract, OptOutDefaultsToFalse) {
  auto user = active_user("o@x.io");
  EXPECT_FALSE(run(repo_->user_opt_out(user)).value());
  ASSERT_TRUE(run(repo_->set_user_opt_out(user, true, now())));
  EXPECT_TRUE(run(repo_->user_opt_out(user)).value());
  ASSERT_TRUE(run(repo_->set_user_opt_out(user, false, now())));
  EXPECT_FALSE(run(repo_->user_opt_out(user)).value());
}

TEST_P(AccountRepositoryContract, AnUnknownStoredAccountStatusFailsLoudly) {
  auto user = active_user("st@x.io");
  auto principal = sign_in(user);
  backend_->force_stored_value("users", "status", "suspended");
  EXPECT_TRUE(fails_on_unknown_value(run(repo_->find_by_email("st@x.io")), "suspended"));
  EXPECT_TRUE(fails_on_unknown_value(run(repo_->find_by_id(user)), "suspended"));
  EXPECT_TRUE(fails_on_unknown_value(run(repo_->find_by_session(principal)), "suspended"));
  EXPECT_TRUE(fails_on_unknown_value(run(repo_->find_verification_code("st@x.io")), "suspended"));
  EXPECT_TRUE(fails_on_unknown_value(
      run(repo_->register_account("st@x.io", "h2", std::nullopt, id<UserId>(76), now())),
      "suspended"))
      << "registration never guesses whether the account is active";
}

TEST_P(AccountRepositoryContract, OneRefreshTokenPresentedAtOnceRotatesOnceAndReissuesTheRest) {
  // Eight presentations of one token at once (the service derives the successor from the
  // token, so all carry the same one): one rotation, seven reissues, the session lives on.
  auto user = active_user("twice@x.io");
  for (int round = 0; round < 3; ++round) {
    const auto t = now();
    auto session = id<SessionId>(200 + round);
    std::string token = "r" + std::to_string(round);
    std::string next = token + "-next";
    ASSERT_TRUE(run(repo_->create_session({session, user, token, t + 24h, std::nullopt}, t)));
    auto results = race(8, [&](int) {
      return run(repo_->rotate_refresh_token({token, next, t + 24h}, t));
    });
    int rotated = 0;
    int reissued = 0;
    for (const auto& result : results) {
      ASSERT_TRUE(result) << result.error().log_detail;
      EXPECT_EQ(result->session_id, session);
      EXPECT_EQ(result->user_id, user);
      rotated += result->kind == RefreshOutcome::Kind::rotated;
      reissued += result->kind == RefreshOutcome::Kind::reissued;
    }
    EXPECT_EQ(rotated, 1) << "round " << round;
    EXPECT_EQ(reissued, 7) << "round " << round;
    EXPECT_TRUE(session_active({user, session})) << "round " << round;

    // A replay after the window is a reuse: the family ends, the successor with it.
    clock_.advance(domain::accounts::kRefreshGrace + 1ms);
    EXPECT_EQ(run(repo_->rotate_refresh_token({token, next, now() + 24h}, now()))->kind,
              RefreshOutcome::Kind::reused)
        << "round " << round;
    EXPECT_FALSE(session_active({user, session})) << "round " << round;
    EXPECT_EQ(run(repo_->rotate_refresh_token({next, "later", now() + 24h}, now()))->kind,
              RefreshOutcome::Kind::expired)
        << "round " << round << ": the successor dies with its family";
  }
}

TEST_P(AccountRepositoryContract, ConcurrentMailClaimsGrantOneSlot) {
  const auto t = now();
  auto results = race(8, [&](int) { return run(repo_->claim_mail_slot("busy@x.io", t, t - 60s)); });
  int granted = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    granted += *r;
  }
  EXPECT_EQ(granted, 1);
}

TEST_P(AccountRepositoryContract, ConcurrentActivationsSucceedOnce) {
  auto user =
      run(repo_->register_account("act@x.io", "h", std::nullopt, id<UserId>(300), now()))->second;
  ASSERT_TRUE(run(repo_->store_verification_code(user, "code", now() + 15min)));
  const auto t = now();
  auto results = race(8, [&](int) { return run(repo_->activate(user, t)); });
  int activated = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    activated += *r;
  }
  EXPECT_EQ(activated, 1);
  auto code = run(repo_->find_verification_code("act@x.io")).value();
  ASSERT_TRUE(code);
  EXPECT_TRUE(code->user_active);
  EXPECT_FALSE(code->code_hash);
}

TEST_P(AccountRepositoryContract, ConcurrentCodeFailuresAreEachCountedOnce) {
  auto user =
      run(repo_->register_account("f@x.io", "h", std::nullopt, id<UserId>(310), now()))->second;
  ASSERT_TRUE(run(repo_->store_verification_code(user, "code", now() + 15min)));
  auto results = race(10, [&](int) { return run(repo_->record_code_failure(user)); });
  std::vector<int> counts;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    counts.push_back(*r);
  }
  std::sort(counts.begin(), counts.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(counts[i], i + 1) << "each caller sees its own count";
  EXPECT_EQ(run(repo_->find_verification_code("f@x.io")).value()->failed_attempts, 10);
}

TEST_P(AccountRepositoryContract, ConcurrentLoginFailuresLockByTheirOwnCount) {
  // login_lock_for locks from the fifth failure on, for 60 s up to the ninth.
  const auto t = now();
  auto results = race(8, [&](int) { return run(repo_->record_login_failure("lf@x.io", t)); });
  std::vector<int> counts;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    counts.push_back(r->consecutive_failures);
    EXPECT_EQ(r->locked_until.has_value(), r->consecutive_failures >= 5) << r->consecutive_failures;
  }
  std::sort(counts.begin(), counts.end());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(counts[i], i + 1) << "each caller sees its own count";
  auto state = run(repo_->login_throttle("lf@x.io")).value();
  EXPECT_EQ(state.consecutive_failures, 8);
  EXPECT_EQ(state.locked_until, t + 60s);
}

TEST_P(AccountRepositoryContract, ConcurrentPasswordResetsWithOneTokenSucceedOnce) {
  auto user = active_user("pr@x.io");
  ASSERT_TRUE(
      run(repo_->create_session({id<SessionId>(320), user, "s", now() + 1h, std::nullopt}, now())));
  ASSERT_TRUE(run(repo_->store_reset_token(user, "reset", now() + 30min, now())));
  const auto t = now();
  auto results = race(6, [&](int i) {
    return run(
        repo_->complete_password_reset("reset", user, "pr@x.io", "hash-" + std::to_string(i), t));
  });
  int winner = -1;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(results[i]) << results[i].error().log_detail;
    if (*results[i]) {
      EXPECT_EQ(winner, -1) << "the token was spent twice";
      winner = i;
    }
  }
  ASSERT_NE(winner, -1);
  EXPECT_EQ((*run(repo_->find_by_email("pr@x.io")))->password_hash,
            "hash-" + std::to_string(winner));
  EXPECT_TRUE(run(repo_->find_reset_token("reset")).value()->used);
  EXPECT_FALSE(session_active({user, id<SessionId>(320)}));
}

// --- Housekeeping (delete_expired): each kind on both sides of its cut-off --------------------

TEST_P(AccountRepositoryContract, HousekeepingRemovesPendingAccountsPastTheirAgeOnly) {
  const auto t0 = now();
  pending_user("old@x.io");
  auto active = active_user("active@x.io");
  auto coded = pending_user("coded@x.io");
  auto stale_code = pending_user("stale-code@x.io");
  ASSERT_TRUE(run(repo_->store_verification_code(stale_code, "c1", t0 + 15min)));
  pending_user("again@x.io");
  clock_.advance(1s);
  pending_user("young@x.io");
  clock_.set(t0 + HousekeepingAges::pending_account - 1h);
  ASSERT_TRUE(run(repo_->register_account("again@x.io", "h2", std::nullopt, next_id<UserId>(),
                                          now())));  // registering again restarts its age
  ASSERT_TRUE(run(repo_->store_verification_code(coded, "c2", now() + 2h)));
  // The cut-off falls half a second after the first accounts, half a second before "young".
  clock_.set(t0 + HousekeepingAges::pending_account + 500ms);

  auto removed = housekeep();
  EXPECT_EQ(removed.pending_accounts, 2) << "old and stale-code";
  EXPECT_FALSE(run(repo_->find_by_email("old@x.io")).value());
  EXPECT_FALSE(run(repo_->find_by_email("stale-code@x.io")).value());
  EXPECT_TRUE(run(repo_->find_by_email("young@x.io")).value()) << "younger than the cut-off";
  EXPECT_TRUE(run(repo_->find_by_email("again@x.io")).value()) << "registered again since";
  EXPECT_TRUE(run(repo_->find_by_email("coded@x.io")).value()) << "its code is still valid";
  EXPECT_TRUE(run(repo_->find_by_id(active)).value()) << "a verified account, ever";
  EXPECT_EQ(
      run(repo_->register_account("old@x.io", "h", std::nullopt, next_id<UserId>(), now()))->first,
      RegisterOutcome::created)
      << "the address may register again";

  clock_.advance(365 * 24h);
  housekeep();
  EXPECT_TRUE(run(repo_->find_by_id(active)).value()) << "a verified account, ever";
  EXPECT_EQ(housekeep().pending_accounts, 0) << "a second pass finds nothing";
}

TEST_P(AccountRepositoryContract, HousekeepingRemovesVerificationCodesLongExpired) {
  const auto t0 = now();
  auto a = pending_user("a@x.io");
  auto b = pending_user("b@x.io");
  ASSERT_TRUE(run(repo_->store_verification_code(a, "ca", t0 + 15min)));
  ASSERT_TRUE(run(repo_->store_verification_code(b, "cb", t0 + 15min + 1s)));
  clock_.set(t0 + 15min + HousekeepingAges::expired_code + 500ms);

  EXPECT_EQ(housekeep().verification_codes, 1);
  EXPECT_FALSE(run(repo_->find_verification_code("a@x.io")).value()->code_hash);
  EXPECT_EQ(run(repo_->find_verification_code("b@x.io")).value()->code_hash, "cb");
  EXPECT_TRUE(run(repo_->find_by_id(a)).value()) << "the account is younger than its age";
}

TEST_P(AccountRepositoryContract, HousekeepingRemovesResetTokensLongUsedOrExpired) {
  const auto t0 = now();
  auto user = active_user("p@x.io");
  const auto cutoff = t0 + 30min + 500ms;
  ASSERT_TRUE(run(repo_->store_reset_token(user, "expired-old", t0 + 30min, now())));
  ASSERT_TRUE(run(repo_->store_reset_token(user, "expired-young", t0 + 30min + 1s, now())));
  ASSERT_TRUE(run(repo_->store_reset_token(user, "used-old", t0 + 40 * 24h, now())));
  ASSERT_TRUE(run(repo_->store_reset_token(user, "used-young", t0 + 40 * 24h, now())));
  ASSERT_TRUE(run(repo_->complete_password_reset("used-old", user, "p@x.io", "h1", now())).value());
  clock_.set(cutoff + 500ms);
  ASSERT_TRUE(
      run(repo_->complete_password_reset("used-young", user, "p@x.io", "h2", now())).value());
  clock_.set(cutoff + HousekeepingAges::ended_reset_token);

  EXPECT_EQ(housekeep().reset_tokens, 2);
  EXPECT_FALSE(run(repo_->find_reset_token("expired-old")).value());
  EXPECT_FALSE(run(repo_->find_reset_token("used-old")).value());
  EXPECT_TRUE(run(repo_->find_reset_token("expired-young")).value());
  EXPECT_TRUE(run(repo_->find_reset_token("used-young")).value());
}

TEST_P(AccountRepositoryContract, HousekeepingRemovesDeadSessionsAndLongExpiredRefreshTokens) {
  const auto t0 = now();
  const auto cutoff = t0 + 20 * 24h;
  auto user = active_user("s@x.io");
  const auto expired_old = id<SessionId>(1), expired_young = id<SessionId>(2),
             revoked_old = id<SessionId>(3), revoked_young = id<SessionId>(4),
             live = id<SessionId>(5);
  ASSERT_TRUE(
      run(repo_->create_session({expired_old, user, "old", cutoff - 500ms, std::nullopt}, now())));
  ASSERT_TRUE(run(
      repo_->create_session({expired_young, user, "young", cutoff + 500ms, std::nullopt}, now())));
  ASSERT_TRUE(run(
      repo_->create_session({revoked_old, user, "ro", cutoff + 40 * 24h, std::nullopt}, now())));
  ASSERT_TRUE(run(
      repo_->create_session({revoked_young, user, "ry", cutoff + 40 * 24h, std::nullopt}, now())));
  ASSERT_TRUE(
      run(repo_->create_session({live, user, "spent", cutoff - 500ms, std::nullopt}, now())));
  clock_.advance(1h);
  ASSERT_EQ(run(repo_->rotate_refresh_token({"spent", "fresh", cutoff + 40 * 24h}, now()))->kind,
            RefreshOutcome::Kind::rotated);
  clock_.set(cutoff - 500ms);
  ASSERT_TRUE(run(repo_->revoke_session({user, revoked_old}, now())).value());
  clock_.set(cutoff + 500ms);
  ASSERT_TRUE(run(repo_->revoke_session({user, revoked_young}, now())).value());
  clock_.set(cutoff + HousekeepingAges::dead_session);

  auto removed = housekeep();
  EXPECT_EQ(removed.refresh_tokens, 2) << "old and spent";
  EXPECT_EQ(removed.sessions, 2) << "expired-old and revoked-old";
  EXPECT_TRUE(session_active({user, live})) << "a live session stays, whatever its spent tokens";
  EXPECT_FALSE(refresh_token_stored("old"));
  EXPECT_FALSE(refresh_token_stored("ro")) << "gone with its session";
  EXPECT_TRUE(refresh_token_stored("young")) << "expired after the cut-off";
  EXPECT_TRUE(refresh_token_stored("ry")) << "its session was revoked after the cut-off";
  EXPECT_FALSE(refresh_token_stored("spent")) << "expired before the cut-off";
  EXPECT_TRUE(session_active({user, live})) << "the deleted spent token revoked nothing";
  EXPECT_TRUE(run(repo_->find_by_id(user)).value());
}

TEST_P(AccountRepositoryContract, HousekeepingRemovesMailThrottleRowsLongPast) {
  const auto t0 = now();
  ASSERT_TRUE(run(repo_->claim_mail_slot("old@x.io", now(), now() - 60s)).value());
  clock_.advance(1s);
  ASSERT_TRUE(run(repo_->claim_mail_slot("young@x.io", now(), now() - 60s)).value());
  clock_.set(t0 + HousekeepingAges::mail_throttle + 500ms);

  EXPECT_EQ(housekeep().mail_throttle, 1);
  // Against a "not since" before both mails, a stored row throttles and a deleted one does not.
  EXPECT_TRUE(run(repo_->claim_mail_slot("old@x.io", now(), t0 - 1h)).value());
  EXPECT_FALSE(run(repo_->claim_mail_slot("young@x.io", now(), t0 - 1h)).value());
}

TEST_P(AccountRepositoryContract, HousekeepingRemovesLoginThrottlesOnceTheirWindowAndLockAreOver) {
  const auto t0 = now();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(run(repo_->record_login_failure("old@x.io", now())));
  ASSERT_TRUE(run(repo_->record_login_failure("moved@x.io", now())));
  clock_.advance(1s);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(run(repo_->record_login_failure("young@x.io", now())));
  clock_.set(t0 + 12h);
  ASSERT_TRUE(run(repo_->record_login_failure("moved@x.io", now())));  // a later failure
  clock_.set(t0 + HousekeepingAges::login_failure_window + 500ms);

  EXPECT_EQ(housekeep().login_throttle, 1);
  EXPECT_EQ(run(repo_->login_throttle("old@x.io"))->consecutive_failures, 0);
  EXPECT_EQ(run(repo_->login_throttle("young@x.io"))->consecutive_failures, 3);
  EXPECT_EQ(run(repo_->login_throttle("moved@x.io"))->consecutive_failures, 2);

  // A lock in force keeps its row even past the failure window's cut-off (the domain's ages
  // never get there: the longest lock is an hour; cut-offs given directly show the store's side).
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(run(repo_->record_login_failure("locked@x.io", now())));
  const auto locked_until = now() + 1h;
  auto cutoffs = domain::accounts::housekeeping_cutoffs(now());
  cutoffs.login_failed_before = now() + 1s;
  cutoffs.now = locked_until - 1s;
  EXPECT_EQ(housekeep(cutoffs).login_throttle, 2) << "young and moved, but not the locked one";
  EXPECT_EQ(run(repo_->login_throttle("locked@x.io"))->consecutive_failures, 20);
  cutoffs.now = locked_until;
  EXPECT_EQ(housekeep(cutoffs).login_throttle, 1) << "its lock is over";
  EXPECT_EQ(run(repo_->login_throttle("locked@x.io"))->consecutive_failures, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountRepositoryContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
