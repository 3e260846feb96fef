// The account use cases over the in-memory repository, with real argon2id (at its cheapest
// parameters) on a hashing pool: registration and verification, login and its lock tiers,
// refresh rotation and reuse, the session check of every method that acts for a principal,
// profile, password reset and the telemetry preference.

#include "domain/accounts/account_service.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>

#include "crypto/tokens.hpp"
#include "domain/accounts/account_rules.hpp"
#include "fakes/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/recorders.hpp"

namespace ferr::domain::accounts {
namespace {

using namespace std::chrono_literals;
using core::ErrorCode;

constexpr const char* kPassword = "a long and unusual passphrase";

template <typename T>
T run(core::Task<T> task) {
  return core::run_to_completion(std::move(task));
}

/// The six digits of a verification mail.
std::string code_in(const MailMessage& mail) {
  constexpr std::string_view kLead = "Your verification code is ";
  auto at = mail.text.find(kLead);
  EXPECT_NE(at, std::string::npos) << mail.text;
  return at == std::string::npos ? "" : mail.text.substr(at + kLead.size(), 6);
}

/// The token of a password-reset mail.
std::string reset_token_in(const MailMessage& mail) {
  constexpr std::string_view kLead = "reset-password?token=";
  auto at = mail.text.find(kLead);
  EXPECT_NE(at, std::string::npos) << mail.text;
  if (at == std::string::npos) return "";
  auto start = at + kLead.size();
  return mail.text.substr(start, mail.text.find('\n', start) - start);
}

AccountSettings settings() {
  AccountSettings s;
  s.jwt_secret = core::Secret(std::string(32, 'j'));
  s.code_key = core::Secret(std::string(32, 'c'));
  s.refresh_key = core::Secret(std::string(32, 'r'));
  s.public_url = "https://ferrlabs.test";
  return s;
}

class AccountServiceTest : public ::testing::Test {
 protected:
  core::Result<void> register_as(const std::string& email, const std::string& password = kPassword,
                                 std::optional<std::string> display_name = std::nullopt) {
    return run(service_.register_account(Registration{email, password, std::move(display_name)}));
  }
  /// A verified account and the tokens its verification issued.
  IssuedTokens active(const std::string& email) {
    EXPECT_TRUE(register_as(email));
    auto tokens = run(service_.verify_email({email, code_in(mailer_.sent().back())}));
    EXPECT_TRUE(tokens) << tokens.error().message;
    return tokens.value_or(IssuedTokens{});
  }
  Principal principal_of(const IssuedTokens& tokens) {
    auto principal = service_.authenticate(tokens.access_token);
    EXPECT_TRUE(principal);
    return principal.value_or(Principal{});
  }
  core::Result<IssuedTokens> login(const std::string& email,
                                   const std::string& password = kPassword) {
    return run(service_.login({email, password}));
  }
  const UserWithSecret& stored(const std::string& email) { return *db_.user_by_email(email); }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  core::SeededRandom random_{11};
  fakes::Database db_;
  fakes::FakeAccountRepository repository_{db_};
  crypto::PasswordHasher hasher_{crypto::PasswordParams{1, 8192}};
  core::BlockingPool hash_pool_{1};
  fakes::RecordingMailer mailer_;
  fakes::RecordingAccountEvents events_;
  AccountService service_{repository_, hasher_, hash_pool_, mailer_,
                          events_,     clock_,  random_,    settings()};
};

// --- registration and verification -------------------------------------------------------------

TEST_F(AccountServiceTest, RegisterCreatesAPendingAccountAndMailsACode) {
  ASSERT_TRUE(register_as("  Ada@Example.COM ", kPassword, "Ada"));
  const auto& account = stored("ada@example.com");
  EXPECT_FALSE(account.user.active);
  EXPECT_EQ(account.user.display_name, "Ada");
  EXPECT_TRUE(account.password_hash.starts_with("$argon2id$")) << "hashed, on the pool";
  EXPECT_TRUE(hasher_.verify(account.password_hash, kPassword));

  auto mails = mailer_.sent();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, "ada@example.com");
  EXPECT_EQ(mails[0].subject, "Your FerrLabs verification code");
  auto code = code_in(mails[0]);
  ASSERT_EQ(code.size(), 6u);
  const auto& row = db_.verification_codes.at(account.user.id);
  EXPECT_NE(row.code_hash, code) << "only a keyed hash of the code is stored";
  EXPECT_EQ(row.expires_at, clock_.now() + 15min);
}

TEST_F(AccountServiceTest, RegisterRefusesBadInputAndStoresNothing) {
  auto bad_email = register_as("not an address");
  ASSERT_FALSE(bad_email);
  EXPECT_EQ(bad_email.error().code, ErrorCode::validation_failed);
  EXPECT_EQ(bad_email.error().field, "email");
  auto bad_name = register_as("ada@example.com", kPassword, "");
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().field, "display_name");
  auto short_password = register_as("ada@example.com", "short");
  ASSERT_FALSE(short_password);
  EXPECT_EQ(short_password.error().code, ErrorCode::user_password_too_weak);
  auto own_address = register_as("ada@example.com", "ada@example.com");
  ASSERT_FALSE(own_address);
  EXPECT_EQ(own_address.error().code, ErrorCode::user_password_too_weak);
  EXPECT_EQ(repository_.hooks.calls(), 0);
  EXPECT_TRUE(mailer_.sent().empty());
}

TEST_F(AccountServiceTest, RegisteringAPendingAddressAgainReplacesItsPasswordOneMailAMinute) {
  ASSERT_TRUE(register_as("ada@example.com"));
  auto id = stored("ada@example.com").user.id;
  clock_.advance(10s);
  ASSERT_TRUE(register_as("ada@example.com", "another unusual passphrase"));
  EXPECT_EQ(stored("ada@example.com").user.id, id) << "the same pending account";
  EXPECT_TRUE(
      hasher_.verify(stored("ada@example.com").password_hash, "another unusual passphrase"));
  EXPECT_EQ(mailer_.sent().size(), 1u) << "mailed ten seconds ago: that code still works";
  clock_.advance(60s);
  ASSERT_TRUE(register_as("ada@example.com"));
  EXPECT_EQ(mailer_.sent().size(), 2u) << "a minute later, a new code";
}

TEST_F(AccountServiceTest, RegisteringAnActiveAddressTouchesNothingAndWarnsItsOwner) {
  active("ada@example.com");
  auto hash = stored("ada@example.com").password_hash;
  clock_.advance(2min);
  ASSERT_TRUE(register_as("ada@example.com", "an attacker's passphrase"))
      << "the same answer as for a new address";
  EXPECT_EQ(stored("ada@example.com").password_hash, hash);
  EXPECT_TRUE(stored("ada@example.com").user.active);
  auto last = mailer_.sent().back();
  EXPECT_EQ(last.subject, "Someone tried to register with your e-mail address");
  EXPECT_NE(last.text.find("https://ferrlabs.test/forgot-password"), std::string::npos);
}

TEST_F(AccountServiceTest, VerifyEmailActivatesAndStartsASession) {
  ASSERT_TRUE(register_as("ada@example.com"));
  auto id = stored("ada@example.com").user.id;
  auto tokens = run(service_.verify_email({"ADA@example.com", code_in(mailer_.sent().back())}));
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_TRUE(tokens->user.active);
  EXPECT_EQ(tokens->user.id, id);
  EXPECT_EQ(tokens->expires_in_seconds, 900);
  EXPECT_TRUE(stored("ada@example.com").user.active);
  EXPECT_FALSE(db_.verification_codes.contains(id)) << "the code is spent";
  EXPECT_TRUE(db_.refresh_tokens.contains(crypto::sha256_hex(tokens->refresh_token)))
      << "the refresh token is stored hashed";
  auto principal = principal_of(*tokens);
  EXPECT_EQ(principal.user_id, id);
  EXPECT_TRUE(db_.session_live(principal));
  EXPECT_EQ(events_.events(), std::vector<std::string>{"auth.signup " + id.to_string()});
}

TEST_F(AccountServiceTest, WrongCodesAreCountedUntilTheCodeIsUseless) {
  ASSERT_TRUE(register_as("ada@example.com"));
  auto code = code_in(mailer_.sent().back());
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 1; i < 5; ++i) {
    auto refused = run(service_.verify_email({"ada@example.com", wrong}));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::auth_verification_code_invalid) << i;
  }
  auto fifth = run(service_.verify_email({"ada@example.com", wrong}));
  ASSERT_FALSE(fifth);
  EXPECT_EQ(fifth.error().code, ErrorCode::auth_verification_too_many_attempts);
  auto right = run(service_.verify_email({"ada@example.com", code}));
  ASSERT_FALSE(right);
  EXPECT_EQ(right.error().code, ErrorCode::auth_verification_too_many_attempts)
      << "even the right code, now";
  EXPECT_FALSE(stored("ada@example.com").user.active);
  EXPECT_TRUE(events_.events().empty());
}

TEST_F(AccountServiceTest, CodesExpireAndUnknownOrVerifiedAddressesAreRefused) {
  ASSERT_TRUE(register_as("ada@example.com"));
  auto code = code_in(mailer_.sent().back());
  clock_.advance(15min);
  auto late = run(service_.verify_email({"ada@example.com", code}));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::auth_verification_code_expired);

  EXPECT_EQ(run(service_.verify_email({"bob@example.com", code})).error().code,
            ErrorCode::auth_verification_code_invalid);
  EXPECT_EQ(run(service_.verify_email({"not an address", code})).error().code,
            ErrorCode::auth_verification_code_invalid);

  active("eve@example.com");
  EXPECT_EQ(run(service_.verify_email({"eve@example.com", "123456"})).error().code,
            ErrorCode::auth_email_already_verified);
}

TEST_F(AccountServiceTest, ResendMailsANewCodeToPendingAccountsOnly) {
  ASSERT_TRUE(register_as("ada@example.com"));
  clock_.advance(61s);
  ASSERT_TRUE(run(service_.resend_verification("ada@example.com")));
  ASSERT_EQ(mailer_.sent().size(), 2u);
  auto tokens = run(service_.verify_email({"ada@example.com", code_in(mailer_.sent().back())}));
  EXPECT_TRUE(tokens) << "the new code works";
  clock_.advance(61s);
  ASSERT_TRUE(run(service_.resend_verification("ada@example.com")));
  ASSERT_TRUE(run(service_.resend_verification("nobody@example.com")));
  ASSERT_TRUE(run(service_.resend_verification("not an address")));
  EXPECT_EQ(mailer_.sent().size(), 2u) << "nothing for an active, unknown or invalid address";
}

// --- login --------------------------------------------------------------------------------------

TEST_F(AccountServiceTest, LoginStartsASessionAndClearsEarlierFailures) {
  auto id = active("ada@example.com").user.id;
  ASSERT_FALSE(login("ada@example.com", "wrong passphrase here"));
  EXPECT_EQ(db_.login_throttle.at("ada@example.com").consecutive_failures, 1);
  auto tokens = login("Ada@Example.com");
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_EQ(tokens->user.id, id);
  EXPECT_TRUE(db_.session_live(principal_of(*tokens)));
  EXPECT_FALSE(db_.login_throttle.contains("ada@example.com")) << "a success clears the count";
  EXPECT_EQ(events_.events().back(), "auth.login " + id.to_string());
}

TEST_F(AccountServiceTest, LoginWithAnAddressThatFailsValidationStoresNothing) {
  for (const char* bad : {"not an address", "", "a@b", "two@@example.com"}) {
    auto refused = login(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::auth_invalid_credentials) << bad;
  }
  EXPECT_EQ(repository_.hooks.calls(), 0) << "nothing is looked up";
  EXPECT_TRUE(db_.login_throttle.empty()) << "no throttle row for an impossible address";
}

TEST_F(AccountServiceTest, AnUnknownAddressFailsLikeAWrongPasswordAndIsThrottledAlike) {
  auto refused = login("nobody@example.com");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::auth_invalid_credentials);
  EXPECT_EQ(db_.login_throttle.at("nobody@example.com").consecutive_failures, 1);
}

TEST_F(AccountServiceTest, FailedLoginsLockByTheTiers) {
  // api.md: none below 5 failures, 60 s from 5, 5 min from 10, 1 h from 20.
  active("ada@example.com");
  auto tier = [](int failures) -> int {
    if (failures >= 20) return 3600;
    if (failures >= 10) return 300;
    if (failures >= 5) return 60;
    return 0;
  };
  for (int failures = 1; failures <= 21; ++failures) {
    auto wrong = login("ada@example.com", "wrong passphrase here");
    ASSERT_FALSE(wrong);
    ASSERT_EQ(wrong.error().code, ErrorCode::auth_invalid_credentials) << failures;
    int lock = tier(failures);
    if (lock == 0) continue;
    auto locked = login("ada@example.com");  // even the right password
    ASSERT_FALSE(locked) << failures;
    EXPECT_EQ(locked.error().code, ErrorCode::auth_account_temporarily_locked) << failures;
    EXPECT_EQ(locked.error().retry_after_seconds, lock) << failures;
    clock_.advance(std::chrono::seconds(lock) - 1s);
    auto still = login("ada@example.com");
    ASSERT_FALSE(still);
    EXPECT_EQ(still.error().retry_after_seconds, 1) << "rounded up, never 0";
    clock_.advance(1s);  // the lock is over: the next attempt is judged on its password
  }
  EXPECT_EQ(db_.login_throttle.at("ada@example.com").consecutive_failures, 21)
      << "a locked attempt is not counted";
  ASSERT_TRUE(login("ada@example.com"));
}

TEST_F(AccountServiceTest, APendingAccountWithTheRightPasswordIsNotVerified) {
  ASSERT_TRUE(register_as("ada@example.com"));
  ASSERT_FALSE(login("ada@example.com", "wrong passphrase here"));
  auto pending = login("ada@example.com");
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error().code, ErrorCode::auth_email_not_verified);
  EXPECT_FALSE(db_.login_throttle.contains("ada@example.com")) << "the password was right";
  EXPECT_TRUE(db_.sessions.empty());
}

TEST_F(AccountServiceTest, LoginUpgradesAnOutdatedHash) {
  crypto::PasswordHasher old_hasher(crypto::PasswordParams{2, 8192});
  auto id = db_.add_user("ada@example.com", true, old_hasher.hash(kPassword).value());
  ASSERT_TRUE(hasher_.needs_rehash(stored("ada@example.com").password_hash));
  ASSERT_TRUE(login("ada@example.com"));
  const auto& upgraded = db_.users.at(id).password_hash;
  EXPECT_FALSE(hasher_.needs_rehash(upgraded));
  EXPECT_TRUE(hasher_.verify(upgraded, kPassword));
  EXPECT_EQ(repository_.hooks.calls("update_password_hash"), 1);
  ASSERT_TRUE(login("ada@example.com"));
  EXPECT_EQ(repository_.hooks.calls("update_password_hash"), 1) << "once is enough";
}

TEST_F(AccountServiceTest, RepositoryErrorsFailTheLogin) {
  active("ada@example.com");
  repository_.hooks.fail_next(core::Error::database("no reader"), "find_by_email");
  auto failed = login("ada@example.com");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::internal_database);
  repository_.hooks.fail_next(core::Error::database("disk full"), "create_session");
  EXPECT_EQ(login("ada@example.com").error().log_detail, "disk full");
}

// --- sessions -----------------------------------------------------------------------------------

TEST_F(AccountServiceTest, RefreshRotatesTheToken) {
  auto first = active("ada@example.com");
  clock_.advance(1min);
  auto second = run(service_.refresh(first.refresh_token));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->refresh_token, first.refresh_token);
  EXPECT_EQ(second->user.id, first.user.id);
  EXPECT_EQ(principal_of(*second).session_id, principal_of(first).session_id)
      << "the same session, the next token of its family";
  EXPECT_TRUE(db_.refresh_tokens.at(crypto::sha256_hex(first.refresh_token)).rotated_at);
  auto third = run(service_.refresh(second->refresh_token));
  EXPECT_TRUE(third) << "the new token works in turn";
}

TEST_F(AccountServiceTest, ARefreshTokenUsedTwiceRevokesItsWholeFamily) {
  auto first = active("ada@example.com");
  auto principal = principal_of(first);
  auto second = run(service_.refresh(first.refresh_token));
  ASSERT_TRUE(second);
  clock_.advance(domain::accounts::kRefreshGrace + 1ms);
  auto reused = run(service_.refresh(first.refresh_token));
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, ErrorCode::auth_session_expired);
  EXPECT_FALSE(db_.session_live(principal)) << "someone holds a copy: the session ends";
  auto after = run(service_.refresh(second->refresh_token));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::auth_session_expired) << "the legitimate copy too";
  EXPECT_EQ(run(service_.profile(principal)).error().code, ErrorCode::auth_unauthorized);
}

TEST_F(AccountServiceTest, ARefreshRetriedWithinTheGraceWindowGetsTheSameSuccessor) {
  auto first = active("ada@example.com");
  auto principal = principal_of(first);
  auto second = run(service_.refresh(first.refresh_token));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->refresh_token.size(), 43u) << "the form of a random token";
  clock_.advance(domain::accounts::kRefreshGrace);
  auto retried = run(service_.refresh(first.refresh_token));
  ASSERT_TRUE(retried) << "a lost answer retried: not a reuse";
  EXPECT_EQ(retried->refresh_token, second->refresh_token);
  EXPECT_EQ(principal_of(*retried).session_id, principal.session_id);
  EXPECT_TRUE(db_.session_live(principal));
  EXPECT_EQ(db_.refresh_tokens.size(), 2u) << "nothing was issued twice";
  EXPECT_TRUE(run(service_.refresh(second->refresh_token))) << "the successor works";
}

TEST_F(AccountServiceTest, UnknownAndExpiredRefreshTokensAreRefused) {
  auto tokens = active("ada@example.com");
  EXPECT_EQ(run(service_.refresh("made-up-token")).error().code, ErrorCode::auth_session_expired);
  clock_.advance(std::chrono::hours(24 * 14));
  EXPECT_EQ(run(service_.refresh(tokens.refresh_token)).error().code,
            ErrorCode::auth_session_expired);
}

TEST_F(AccountServiceTest, LogoutEndsTheSessionOnce) {
  auto tokens = active("ada@example.com");
  auto principal = principal_of(tokens);
  ASSERT_TRUE(run(service_.logout(principal)));
  EXPECT_FALSE(db_.session_live(principal));
  auto again = run(service_.logout(principal));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::auth_unauthorized);
  EXPECT_EQ(run(service_.refresh(tokens.refresh_token)).error().code,
            ErrorCode::auth_session_expired);
}

TEST_F(AccountServiceTest, AuthenticateChecksTheTokenNotTheSession) {
  auto tokens = active("ada@example.com");
  auto principal = service_.authenticate(tokens.access_token);
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->user_id, tokens.user.id);
  int calls = repository_.hooks.calls();
  db_.revoke(*principal);
  EXPECT_TRUE(service_.authenticate(tokens.access_token)) << "no storage step: the use case checks";
  EXPECT_EQ(repository_.hooks.calls(), calls);

  std::string tampered = tokens.access_token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(service_.authenticate(tampered).error().code, ErrorCode::auth_unauthorized);
  EXPECT_EQ(service_.authenticate("garbage").error().code, ErrorCode::auth_unauthorized);
  clock_.advance(900s);
  EXPECT_EQ(service_.authenticate(tokens.access_token).error().code, ErrorCode::auth_unauthorized)
      << "expired";
}

TEST_F(AccountServiceTest, EveryMethodForAPrincipalRefusesARevokedSession) {
  auto tokens = active("ada@example.com");
  auto principal = principal_of(tokens);
  ProfilePatch patch;
  patch.timezone = "Europe/Paris";
  db_.revoke(principal);
  auto expect_unauthorized = [](const auto& result, const char* method) {
    ASSERT_FALSE(result) << method;
    EXPECT_EQ(result.error().code, ErrorCode::auth_unauthorized) << method;
  };
  expect_unauthorized(run(service_.profile(principal)), "profile");
  expect_unauthorized(run(service_.update_profile(principal, patch)), "update_profile");
  expect_unauthorized(run(service_.telemetry_opt_out(principal)), "telemetry_opt_out");
  expect_unauthorized(run(service_.set_telemetry_opt_out(principal, true)),
                      "set_telemetry_opt_out");
  expect_unauthorized(run(service_.logout(principal)), "logout");
  EXPECT_EQ(stored("ada@example.com").user.timezone, "UTC") << "nothing changed";
  EXPECT_FALSE(db_.user_opt_out.contains(principal.user_id));
}

TEST_F(AccountServiceTest, EveryMethodForAPrincipalRefusesAnotherUsersSession) {
  auto ada = principal_of(active("ada@example.com"));
  auto bob = principal_of(active("bob@example.com"));
  Principal forged{ada.user_id, bob.session_id};  // a live session, but not Ada's
  ProfilePatch patch;
  patch.locale = "fr";
  auto expect_unauthorized = [](const auto& result, const char* method) {
    ASSERT_FALSE(result) << method;
    EXPECT_EQ(result.error().code, ErrorCode::auth_unauthorized) << method;
  };
  expect_unauthorized(run(service_.profile(forged)), "profile");
  expect_unauthorized(run(service_.update_profile(forged, patch)), "update_profile");
  expect_unauthorized(run(service_.telemetry_opt_out(forged)), "telemetry_opt_out");
  expect_unauthorized(run(service_.set_telemetry_opt_out(forged, true)), "set_telemetry_opt_out");
  expect_unauthorized(run(service_.logout(forged)), "logout");
  EXPECT_TRUE(db_.session_live(bob)) << "Bob's session was not revoked through Ada";
  EXPECT_EQ(stored("ada@example.com").user.locale, "en");
}

// --- profile, password reset, telemetry preference -----------------------------------------

TEST_F(AccountServiceTest, ProfileReadsAndUpdateProfileAppliesThePatch) {
  auto principal = principal_of(active("ada@example.com"));
  auto profile = run(service_.profile(principal));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->email, "ada@example.com");

  clock_.advance(1min);
  ProfilePatch patch;
  patch.set_display_name = true;
  patch.display_name = "Ada L.";
  patch.timezone = "Europe/Paris";
  patch.locale = "fr-FR";
  auto updated = run(service_.update_profile(principal, patch));
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->display_name, "Ada L.");
  EXPECT_EQ(updated->timezone, "Europe/Paris");
  EXPECT_EQ(updated->locale, "fr-FR");
  EXPECT_EQ(updated->updated_at, clock_.now());

  ProfilePatch clear;
  clear.set_display_name = true;  // with no name: cleared
  auto cleared = run(service_.update_profile(principal, clear));
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->display_name);
  EXPECT_EQ(cleared->timezone, "Europe/Paris") << "absent members are left alone";
}

TEST_F(AccountServiceTest, UpdateProfileValidatesBeforeStoring) {
  auto principal = principal_of(active("ada@example.com"));
  int calls = repository_.hooks.calls();
  ProfilePatch zone;
  zone.timezone = "Europe/Atlantis";
  auto bad_zone = run(service_.update_profile(principal, zone));
  ASSERT_FALSE(bad_zone);
  EXPECT_EQ(bad_zone.error().code, ErrorCode::user_invalid_timezone);
  EXPECT_EQ(bad_zone.error().field, "timezone");
  ProfilePatch locale;
  locale.locale = "en_US";
  EXPECT_EQ(run(service_.update_profile(principal, locale)).error().code,
            ErrorCode::user_invalid_locale);
  ProfilePatch name;
  name.set_display_name = true;
  name.display_name = std::string(101, 'x');
  auto bad_name = run(service_.update_profile(principal, name));
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().field, "display_name");
  // Nothing stored: each refused patch only checked the session (one read each).
  EXPECT_EQ(repository_.hooks.calls(), calls + 3);
}

TEST_F(AccountServiceTest, ARevokedSessionHearsSoBeforeAnInvalidPatch) {
  auto principal = principal_of(active("ada@example.com"));
  ASSERT_TRUE(run(service_.logout(principal)));
  ProfilePatch zone;
  zone.timezone = "Europe/Atlantis";
  auto refused = run(service_.update_profile(principal, zone));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::auth_unauthorized);
}

TEST_F(AccountServiceTest, APasswordResetSetsThePasswordAndEndsEverySession) {
  auto tokens = active("ada@example.com");
  auto principal = principal_of(tokens);
  ASSERT_FALSE(login("ada@example.com", "wrong passphrase here"));
  clock_.advance(2min);
  ASSERT_TRUE(run(service_.forgot_password("ada@example.com")));
  auto mail = mailer_.sent().back();
  EXPECT_EQ(mail.subject, "Reset your FerrLabs password");
  auto token = reset_token_in(mail);
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(db_.password_resets.contains(crypto::sha256_hex(token))) << "stored hashed";

  auto weak = run(service_.reset_password({token, "password"}));
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().code, ErrorCode::user_password_too_weak);

  ASSERT_TRUE(run(service_.reset_password({token, "a brand new passphrase"})));
  EXPECT_FALSE(db_.session_live(principal)) << "every session ends";
  EXPECT_FALSE(db_.login_throttle.contains("ada@example.com")) << "the throttle is cleared";
  EXPECT_FALSE(login("ada@example.com"));
  EXPECT_TRUE(login("ada@example.com", "a brand new passphrase"));

  auto again = run(service_.reset_password({token, "yet another passphrase"}));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::auth_password_reset_token_invalid) << "single use";
}

TEST_F(AccountServiceTest, ResetTokensExpireAndOnlyActiveAccountsGetThem) {
  active("ada@example.com");
  clock_.advance(2min);
  ASSERT_TRUE(run(service_.forgot_password("ada@example.com")));
  auto token = reset_token_in(mailer_.sent().back());
  clock_.advance(30min);
  EXPECT_EQ(run(service_.reset_password({token, "a brand new passphrase"})).error().code,
            ErrorCode::auth_password_reset_token_expired);
  EXPECT_EQ(run(service_.reset_password({"made-up", "a brand new passphrase"})).error().code,
            ErrorCode::auth_password_reset_token_invalid);

  ASSERT_TRUE(register_as("pending@example.com"));
  auto mails = mailer_.sent().size();
  ASSERT_TRUE(run(service_.forgot_password("pending@example.com")));
  ASSERT_TRUE(run(service_.forgot_password("nobody@example.com")));
  ASSERT_TRUE(run(service_.forgot_password("not an address")));
  EXPECT_EQ(mailer_.sent().size(), mails) << "the same answer, and no mail";
}

TEST_F(AccountServiceTest, TheTelemetryPreferenceDefaultsToInAndIsStored) {
  auto principal = principal_of(active("ada@example.com"));
  EXPECT_EQ(run(service_.telemetry_opt_out(principal)).value(), false);
  EXPECT_EQ(run(service_.set_telemetry_opt_out(principal, true)).value(), true);
  EXPECT_EQ(run(service_.telemetry_opt_out(principal)).value(), true);
  EXPECT_TRUE(db_.user_opt_out.at(principal.user_id));
}

}  // namespace
}  // namespace ferr::domain::accounts
