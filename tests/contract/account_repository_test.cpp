// The AccountRepository contract, run on every storage backend.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <future>
#include <string>
#include <vector>

#include "contract/backends.hpp"
#include "contract/race.hpp"

namespace ferr::contract {
namespace {

using namespace std::chrono_literals;
using domain::accounts::RefreshOutcome;
using domain::accounts::RegisterOutcome;

class AccountRepositoryContract : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    repo_ = &backend_->accounts();
  }

  core::Uuid id(std::uint64_t seed) {
    core::SeededRandom random(seed);
    return core::Uuid::v7(clock_, random);
  }
  core::Uuid active_user(const std::string& email) {
    auto reg = repo_->register_account(email, "hash", std::nullopt,
                                       id(std::hash<std::string>{}(email)), now());
    EXPECT_TRUE(reg);
    EXPECT_TRUE(repo_->activate(reg->second, now()).value_or(false));
    return reg->second;
  }
  core::TimePoint now() const { return clock_.now(); }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  std::unique_ptr<Backend> backend_;
  domain::accounts::AccountRepository* repo_ = nullptr;
};

TEST_P(AccountRepositoryContract, RegisterCreatesThenUpdatesPendingThenLeavesActiveAlone) {
  auto first = repo_->register_account("a@x.io", "h1", std::string("A"), id(1), now());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->first, RegisterOutcome::created);
  EXPECT_EQ(first->second, id(1));

  auto second = repo_->register_account("a@x.io", "h2", std::nullopt, id(2), now());
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, RegisterOutcome::pending_updated);
  EXPECT_EQ(second->second, id(1));
  auto stored = repo_->find_by_email("a@x.io");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->password_hash, "h2");
  EXPECT_EQ((*stored)->user.display_name, "A") << "a missing display name keeps the old one";
  EXPECT_FALSE((*stored)->user.active);

  ASSERT_TRUE(repo_->activate(id(1), now()).value_or(false));
  EXPECT_FALSE(repo_->activate(id(1), now()).value_or(true)) << "activation happens once";
  auto third = repo_->register_account("a@x.io", "h3", std::nullopt, id(3), now());
  EXPECT_EQ(third->first, RegisterOutcome::already_active);
  EXPECT_EQ((*repo_->find_by_email("a@x.io"))->password_hash, "h2");
}

TEST_P(AccountRepositoryContract, ConcurrentRegistrationsOfOneAddressMakeOneAccount) {
  std::vector<std::future<core::Result<std::pair<RegisterOutcome, core::Uuid>>>> calls;
  for (int i = 0; i < 8; ++i) {
    calls.push_back(std::async(std::launch::async, [this, i] {
      return repo_->register_account("same@x.io", "h", std::nullopt, id(100 + i), now());
    }));
  }
  int created = 0;
  std::optional<core::Uuid> user;
  for (auto& c : calls) {
    auto r = c.get();
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
  EXPECT_TRUE(repo_->claim_mail_slot("m@x.io", now(), now() - 60s).value());
  clock_.advance(59s);
  EXPECT_FALSE(repo_->claim_mail_slot("m@x.io", now(), now() - 60s).value());
  EXPECT_TRUE(repo_->claim_mail_slot("other@x.io", now(), now() - 60s).value());
  clock_.advance(1s);
  EXPECT_TRUE(repo_->claim_mail_slot("m@x.io", now(), now() - 60s).value());
}

TEST_P(AccountRepositoryContract, VerificationCodesCountFailuresAndVanishOnActivation) {
  auto user = repo_->register_account("c@x.io", "h", std::nullopt, id(7), now())->second;
  auto none = repo_->find_verification_code("c@x.io");
  ASSERT_TRUE(none && *none);
  EXPECT_FALSE((*none)->code_hash);
  EXPECT_FALSE(repo_->find_verification_code("nobody@x.io").value());

  ASSERT_TRUE(repo_->store_verification_code(user, "code-hash", now() + 15min));
  EXPECT_EQ(repo_->record_code_failure(user).value(), 1);
  EXPECT_EQ(repo_->record_code_failure(user).value(), 2);
  auto code = repo_->find_verification_code("c@x.io").value();
  EXPECT_EQ(code->code_hash, "code-hash");
  EXPECT_EQ(code->failed_attempts, 2);
  EXPECT_EQ(code->expires_at, now() + 15min);

  ASSERT_TRUE(repo_->store_verification_code(user, "new-hash", now() + 15min));
  EXPECT_EQ(repo_->find_verification_code("c@x.io").value()->failed_attempts, 0)
      << "a new code starts afresh";
  ASSERT_TRUE(repo_->activate(user, now()).value());
  auto after = repo_->find_verification_code("c@x.io").value();
  EXPECT_TRUE(after->user_active);
  EXPECT_FALSE(after->code_hash);
}

TEST_P(AccountRepositoryContract, LoginFailuresLockAndReset) {
  auto lock_from_three = [](int failures) {
    return failures >= 3 ? std::chrono::seconds(60) : std::chrono::seconds(0);
  };
  for (int i = 1; i <= 2; ++i) {
    auto t = repo_->record_login_failure("l@x.io", now(), lock_from_three);
    EXPECT_EQ(t->consecutive_failures, i);
    EXPECT_FALSE(t->locked_until);
  }
  auto locked = repo_->record_login_failure("l@x.io", now(), lock_from_three);
  EXPECT_EQ(locked->locked_until, now() + 60s);
  EXPECT_EQ(repo_->login_throttle("l@x.io")->locked_until, now() + 60s);
  ASSERT_TRUE(repo_->reset_login_failures("l@x.io"));
  EXPECT_EQ(repo_->login_throttle("l@x.io")->consecutive_failures, 0);
  EXPECT_FALSE(repo_->login_throttle("l@x.io")->locked_until);
}

TEST_P(AccountRepositoryContract, ConcurrentLoginFailuresAreAllCounted) {
  auto never = [](int) { return std::chrono::seconds(0); };
  std::vector<std::future<void>> calls;
  for (int i = 0; i < 10; ++i)
    calls.push_back(std::async(std::launch::async, [&] {
      ASSERT_TRUE(repo_->record_login_failure("c@x.io", now(), never));
    }));
  for (auto& c : calls) c.get();
  EXPECT_EQ(repo_->login_throttle("c@x.io")->consecutive_failures, 10);
}

TEST_P(AccountRepositoryContract, RefreshTokensRotateAndReuseRevokesTheFamily) {
  auto user = active_user("s@x.io");
  auto session = id(50);
  ASSERT_TRUE(repo_->create_session(session, user, "r1", now() + 14 * 24h, now()));
  EXPECT_TRUE(repo_->session_active(session).value());

  auto rotated = repo_->rotate_refresh_token("r1", "r2", now() + 14 * 24h, now());
  EXPECT_EQ(rotated->kind, RefreshOutcome::Kind::rotated);
  EXPECT_EQ(rotated->session_id, session);
  EXPECT_EQ(rotated->user_id, user);
  EXPECT_EQ(repo_->rotate_refresh_token("nope", "x", now(), now())->kind,
            RefreshOutcome::Kind::unknown);

  EXPECT_EQ(repo_->rotate_refresh_token("r1", "r3", now() + 14 * 24h, now())->kind,
            RefreshOutcome::Kind::reused);
  EXPECT_FALSE(repo_->session_active(session).value());
  EXPECT_EQ(repo_->rotate_refresh_token("r2", "r4", now() + 14 * 24h, now())->kind,
            RefreshOutcome::Kind::expired)
      << "the live token of a revoked family is dead too";
}

TEST_P(AccountRepositoryContract, RefreshTokensExpire) {
  auto user = active_user("e@x.io");
  ASSERT_TRUE(repo_->create_session(id(60), user, "r1", now() + 1h, now()));
  clock_.advance(1h);
  EXPECT_EQ(repo_->rotate_refresh_token("r1", "r2", now() + 1h, now())->kind,
            RefreshOutcome::Kind::expired);
}

TEST_P(AccountRepositoryContract, RevokeEndsOneSession) {
  auto user = active_user("r@x.io");
  ASSERT_TRUE(repo_->create_session(id(70), user, "a", now() + 1h, now()));
  ASSERT_TRUE(repo_->create_session(id(71), user, "b", now() + 1h, now()));
  ASSERT_TRUE(repo_->revoke_session(id(70), now()));
  EXPECT_FALSE(repo_->session_active(id(70)).value());
  EXPECT_TRUE(repo_->session_active(id(71)).value());
  EXPECT_FALSE(repo_->session_active(id(72)).value()) << "unknown sessions are not active";
}

TEST_P(AccountRepositoryContract, PasswordResetIsSingleUseAndRevokesEverything) {
  auto user = active_user("p@x.io");
  ASSERT_TRUE(repo_->create_session(id(80), user, "a", now() + 1h, now()));
  ASSERT_TRUE(
      repo_->record_login_failure("p@x.io", now(), [](int) { return std::chrono::seconds(60); }));
  ASSERT_TRUE(repo_->store_reset_token(user, "t1", now() + 30min, now()));
  auto token = repo_->find_reset_token("t1").value();
  ASSERT_TRUE(token);
  EXPECT_EQ(token->user_id, user);
  EXPECT_EQ(token->email, "p@x.io");
  EXPECT_FALSE(token->used);
  EXPECT_FALSE(repo_->find_reset_token("t2").value());

  EXPECT_TRUE(repo_->complete_password_reset("t1", user, "p@x.io", "new-hash", now()).value());
  EXPECT_FALSE(repo_->complete_password_reset("t1", user, "p@x.io", "other", now()).value())
      << "single use";
  EXPECT_TRUE(repo_->find_reset_token("t1").value()->used);
  EXPECT_EQ((*repo_->find_by_email("p@x.io"))->password_hash, "new-hash");
  EXPECT_FALSE(repo_->session_active(id(80)).value());
  EXPECT_FALSE(repo_->login_throttle("p@x.io")->locked_until);
}

TEST_P(AccountRepositoryContract, ProfilePatchTouchesOnlyWhatItCarries) {
  auto user = active_user("u@x.io");
  domain::accounts::ProfilePatch patch;
  patch.set_display_name = true;
  patch.display_name = "U";
  patch.timezone = "Europe/Paris";
  clock_.advance(1s);
  auto updated = repo_->update_profile(user, patch, now());
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->display_name, "U");
  EXPECT_EQ(updated->timezone, "Europe/Paris");
  EXPECT_EQ(updated->locale, "en");
  EXPECT_EQ(updated->updated_at, now());
  EXPECT_LT(updated->created_at, updated->updated_at);

  domain::accounts::ProfilePatch clear;
  clear.set_display_name = true;
  auto cleared = repo_->update_profile(user, clear, now());
  EXPECT_FALSE(cleared->display_name);
  EXPECT_EQ(cleared->timezone, "Europe/Paris");
}

TEST_P(AccountRepositoryContract, OptOutDefaultsToFalse) {
  auto user = active_user("o@x.io");
  EXPECT_FALSE(repo_->user_opt_out(user).value());
  ASSERT_TRUE(repo_->set_user_opt_out(user, true, now()));
  EXPECT_TRUE(repo_->user_opt_out(user).value());
  ASSERT_TRUE(repo_->set_user_opt_out(user, false, now()));
  EXPECT_FALSE(repo_->user_opt_out(user).value());
}

TEST_P(AccountRepositoryContract, OneRefreshTokenPresentedAtOnceRotatesOnceAndRevokesTheFamily) {
  auto user = active_user("twice@x.io");
  const auto t = now();
  for (int round = 0; round < 5; ++round) {
    auto session = id(200 + round);
    std::string token = "r" + std::to_string(round);
    ASSERT_TRUE(repo_->create_session(session, user, token, t + 24h, t));
    auto results = race(2, [&](int i) {
      std::string next = token + "-next" + std::to_string(i);
      return repo_->rotate_refresh_token(token, next, t + 24h, t);
    });
    int rotated = -1;
    int reused = 0;
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(results[i]) << results[i].error().log_detail;
      EXPECT_EQ(results[i]->session_id, session);
      EXPECT_EQ(results[i]->user_id, user);
      if (results[i]->kind == RefreshOutcome::Kind::rotated) {
        EXPECT_EQ(rotated, -1) << "round " << round << ": rotated twice";
        rotated = i;
      }
      reused += results[i]->kind == RefreshOutcome::Kind::reused;
    }
    ASSERT_NE(rotated, -1) << "round " << round;
    EXPECT_EQ(reused, 1) << "round " << round << ": the second presentation is a reuse";
    EXPECT_FALSE(repo_->session_active(session).value()) << "round " << round;
    std::string issued = token + "-next" + std::to_string(rotated);
    EXPECT_EQ(repo_->rotate_refresh_token(issued, "later", t + 24h, t)->kind,
              RefreshOutcome::Kind::expired)
        << "round " << round << ": the token the winner got dies with its family";
  }
}

TEST_P(AccountRepositoryContract, ConcurrentMailClaimsGrantOneSlot) {
  const auto t = now();
  auto results = race(8, [&](int) { return repo_->claim_mail_slot("busy@x.io", t, t - 60s); });
  int granted = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    granted += *r;
  }
  EXPECT_EQ(granted, 1);
}

TEST_P(AccountRepositoryContract, ConcurrentActivationsSucceedOnce) {
  auto user = repo_->register_account("act@x.io", "h", std::nullopt, id(300), now())->second;
  ASSERT_TRUE(repo_->store_verification_code(user, "code", now() + 15min));
  const auto t = now();
  auto results = race(8, [&](int) { return repo_->activate(user, t); });
  int activated = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    activated += *r;
  }
  EXPECT_EQ(activated, 1);
  auto code = repo_->find_verification_code("act@x.io").value();
  ASSERT_TRUE(code);
  EXPECT_TRUE(code->user_active);
  EXPECT_FALSE(code->code_hash);
}

TEST_P(AccountRepositoryContract, ConcurrentCodeFailuresAreEachCountedOnce) {
  auto user = repo_->register_account("f@x.io", "h", std::nullopt, id(310), now())->second;
  ASSERT_TRUE(repo_->store_verification_code(user, "code", now() + 15min));
  auto results = race(10, [&](int) { return repo_->record_code_failure(user); });
  std::vector<int> counts;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    counts.push_back(*r);
  }
  std::sort(counts.begin(), counts.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(counts[i], i + 1) << "each caller sees its own count";
  EXPECT_EQ(repo_->find_verification_code("f@x.io").value()->failed_attempts, 10);
}

TEST_P(AccountRepositoryContract, ConcurrentLoginFailuresLockByTheirOwnCount) {
  auto lock_from_five = [](int failures) {
    return failures >= 5 ? std::chrono::seconds(60) : std::chrono::seconds(0);
  };
  const auto t = now();
  auto results =
      race(8, [&](int) { return repo_->record_login_failure("lf@x.io", t, lock_from_five); });
  std::vector<int> counts;
  for (const auto& r : results) {
    ASSERT_TRUE(r) << r.error().log_detail;
    counts.push_back(r->consecutive_failures);
    EXPECT_EQ(r->locked_until.has_value(), r->consecutive_failures >= 5) << r->consecutive_failures;
  }
  std::sort(counts.begin(), counts.end());
  for (int i = 0; i < 8; ++i) EXPECT_EQ(counts[i], i + 1) << "each caller sees its own count";
  auto state = repo_->login_throttle("lf@x.io").value();
  EXPECT_EQ(state.consecutive_failures, 8);
  EXPECT_EQ(state.locked_until, t + 60s);
}

TEST_P(AccountRepositoryContract, ConcurrentPasswordResetsWithOneTokenSucceedOnce) {
  auto user = active_user("pr@x.io");
  ASSERT_TRUE(repo_->create_session(id(320), user, "s", now() + 1h, now()));
  ASSERT_TRUE(repo_->store_reset_token(user, "reset", now() + 30min, now()));
  const auto t = now();
  auto results = race(6, [&](int i) {
    return repo_->complete_password_reset("reset", user, "pr@x.io", "hash-" + std::to_string(i), t);
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
  EXPECT_EQ((*repo_->find_by_email("pr@x.io"))->password_hash, "hash-" + std::to_string(winner));
  EXPECT_TRUE(repo_->find_reset_token("reset").value()->used);
  EXPECT_FALSE(repo_->session_active(id(320)).value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountRepositoryContract, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ferr::contract
