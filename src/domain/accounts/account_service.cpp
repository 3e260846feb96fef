#include "domain/accounts/account_service.hpp"

#include "core/try.hpp"
#include "crypto/constant_time.hpp"
#include "crypto/jwt.hpp"
#include "crypto/password_policy.hpp"
#include "crypto/tokens.hpp"
#include "domain/accounts/session_check.hpp"
#include "domain/accounts/validation.hpp"
#include "domain/orgs/audit.hpp"

namespace ferr::domain::accounts {

namespace {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Task;

std::int64_t unix_seconds(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

int seconds_until(core::TimePoint later, core::TimePoint now) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(later - now).count();
  return static_cast<int>(std::max<long long>(1, (ms + 999) / 1000));
}

Error invalid_credentials() {
  return Error::make(ErrorCode::auth_invalid_credentials, "invalid e-mail or password");
}
Error code_invalid() {
  return Error::make(ErrorCode::auth_verification_code_invalid,
                     "invalid verification code or e-mail");
}
Error too_many_codes() {
  return Error::make(ErrorCode::auth_verification_too_many_attempts,
                     "too many wrong codes: ask for a new verification code");
}
Error already_verified() {
  return Error::make(ErrorCode::auth_email_already_verified,
                     "this e-mail address is already verified");
}
Error session_expired() {
  return Error::make(ErrorCode::auth_session_expired, "the session has expired, log in again");
}
Error reset_token_invalid() {
  return Error::make(ErrorCode::auth_password_reset_token_invalid,
                     "invalid or used password reset token");
}

}  // namespace

AccountService::AccountService(AccountRepository& repository, const crypto::PasswordHasher& hasher,
                               core::BlockingPool& hash_pool, Mailer& mailer, AccountEvents& events,
                               const core::Clock& clock, core::Random& random,
                               AccountSettings settings)
    : repository_(repository),
      hasher_(hasher),
      hash_pool_(hash_pool),
      mailer_(mailer),
      events_(events),
      clock_(clock),
      random_(random),
      settings_(std::move(settings)) {}

std::string AccountService::hash_code(std::string_view code) const {
  return crypto::keyed_hash_hex(settings_.code_key, code);
}

Task<Result<std::string>> AccountService::hash_password(std::string_view password) {
  co_return co_await core::run_blocking(hash_pool_, [&] { return hasher_.hash(password); });
}

Task<bool> AccountService::verify_password(std::string_view phc, std::string_view password) {
  co_return co_await core::run_blocking(hash_pool_, [&] { return hasher_.verify(phc, password); });
}

Task<Result<void>> AccountService::issue_verification_code(const core::UserId& user_id,
                                                           const std::string& email) {
  auto now = clock_.now();
  FERR_CO_TRY(bool slot,
              co_await repository_.claim_mail_slot(email, now, now - settings_.mail_interval));
  if (!slot) co_return Result<void>{};  // mailed less than a minute ago: that code still works
  std::string code = crypto::six_digit_code(random_);
  FERR_CO_CHECK(co_await repository_.store_verification_code(user_id, hash_code(code),
                                                             now + settings_.code_ttl));
  mailer_.send({email, "Your FerrLabs verification code",
                "Welcome to FerrLabs.\n\nYour verification code is " + code +
                    "\n\nIt is valid for 15 minutes. If you did not create an account, ignore this "
                    "message.\n"});
  co_return Result<void>{};
}

Task<Result<void>> AccountService::register_account(const Registration& input) {
  auto email = normalize_email(input.email);
  if (!email) co_return fail(Error::validation("email", "email must be a valid e-mail address"));
  if (input.display_name && !is_valid_display_name(*input.display_name))
    co_return fail(Error::validation("display_name", "display_name must be 1 to 100 characters"));
  if (auto weakness =
          crypto::password_weakness(input.password, *email, input.display_name.value_or("")))
    co_return fail(Error::make(ErrorCode::user_password_too_weak, *weakness));

  // Hash before looking the address up, so a known address costs the same time as a new one.
  FERR_CO_TRY(auto hash, co_await hash_password(input.password));
  auto now = clock_.now();
  FERR_CO_TRY(auto registered,
              co_await repository_.register_account(*email, hash, input.display_name,
                                                    core::UserId::generate(clock_, random_), now));
  auto [outcome, user_id] = registered;
  if (outcome != RegisterOutcome::already_active)
    co_return co_await issue_verification_code(user_id, *email);

  // An active account is never touched; its owner learns that someone tried to register.
  FERR_CO_TRY(bool slot,
              co_await repository_.claim_mail_slot(*email, now, now - settings_.mail_interval));
  if (slot) {
    mailer_.send({*email, "Someone tried to register with your e-mail address",
                  "Someone tried to create a FerrLabs account with this e-mail address, which "
                  "already has one.\n\n"
                  "If it was you, log in instead, or reset your password at " +
                      settings_.public_url +
                      "/forgot-password\nIf it was not you, no action is needed.\n"});
  }
  co_return Result<void>{};
}

Task<Result<IssuedTokens>> AccountService::verify_email(
    const EmailVerification& input, std::optional<std::string_view> user_agent) {
  auto email = normalize_email(input.email);
  if (!email) co_return fail(code_invalid());
  FERR_CO_TRY(auto stored, co_await repository_.find_verification_code(*email));
  if (!stored) co_return fail(code_invalid());
  const StoredCode& c = *stored;
  if (c.user_active) co_return fail(already_verified());
  if (!c.code_hash) co_return fail(code_invalid());
  if (c.failed_attempts >= settings_.max_code_attempts) co_return fail(too_many_codes());
  auto now = clock_.now();
  if (now >= c.expires_at)
    co_return fail(Error::make(ErrorCode::auth_verification_code_expired,
                               "the verification code has expired: ask for a new one"));
  if (!crypto::constant_time_equals(hash_code(input.code), *c.code_hash)) {
    FERR_CO_TRY(int failures, co_await repository_.record_code_failure(c.user_id));
    if (failures >= settings_.max_code_attempts) co_return fail(too_many_codes());
    co_return fail(code_invalid());
  }
  FERR_CO_TRY(bool activated, co_await repository_.activate(c.user_id, now));
  if (!activated) co_return fail(already_verified());
  FERR_CO_TRY(auto user, co_await repository_.find_by_id(c.user_id));
  if (!user) co_return fail(code_invalid());
  auto tokens = co_await start_session(std::move(*user), user_agent);
  if (tokens) events_.signed_up(c.user_id);
  co_return tokens;
}

Task<Result<void>> AccountService::resend_verification(std::string_view raw_email) {
  auto email = normalize_email(raw_email);
  if (!email) co_return Result<void>{};
  FERR_CO_TRY(auto stored, co_await repository_.find_verification_code(*email));
  if (!stored || stored->user_active) co_return Result<void>{};
  co_return co_await issue_verification_code(stored->user_id, *email);
}

Task<Result<IssuedTokens>> AccountService::login(const Credentials& input,
                                                 std::optional<std::string_view> user_agent) {
  auto email = normalize_email(input.email);
  if (!email) {
    // Not an address anyone can have: nothing is looked up or stored for it, but the answer
    // costs the same as a wrong password.
    co_await verify_password(hasher_.dummy_hash(), input.password);
    co_return fail(invalid_credentials());
  }
  auto now = clock_.now();
  FERR_CO_TRY(auto throttle, co_await repository_.login_throttle(*email));
  if (throttle.locked_until && *throttle.locked_until > now) {
    Error e = Error::make(ErrorCode::auth_account_temporarily_locked,
                          "too many failed logins: try again later");
    e.retry_after_seconds = seconds_until(*throttle.locked_until, now);
    co_return fail(std::move(e));
  }

  FERR_CO_TRY(auto found, co_await repository_.find_by_email(*email));
  // An unknown address is checked against a dummy hash: same answer, same work.
  const std::string& stored_hash = found ? found->password_hash : hasher_.dummy_hash();
  bool password_ok = co_await verify_password(stored_hash, input.password);
  if (!found || !password_ok) {
    FERR_CO_CHECK(co_await repository_.record_login_failure(*email, now));
    co_return fail(invalid_credentials());
  }
  const UserWithSecret& account = *found;
  FERR_CO_CHECK(co_await repository_.reset_login_failures(*email));
  if (!account.user.active)
    co_return fail(Error::make(ErrorCode::auth_email_not_verified, "email_not_verified"));
  if (hasher_.needs_rehash(account.password_hash)) {
    // The stored hash predates the current parameters: upgrade it now that we know the password.
    if (auto upgraded = co_await hash_password(input.password); upgraded) {
      FERR_CO_CHECK(co_await repository_.update_password_hash(account.user.id, *upgraded, now));
    }
  }
  auto tokens = co_await start_session(account.user, user_agent);
  if (tokens) events_.logged_in(account.user.id);
  co_return tokens;
}

std::string AccountService::sign_access_token(const core::UserId& user_id,
                                              const core::SessionId& session_id) const {
  auto now = clock_.now();
  return crypto::sign_access_token({user_id.to_string(), session_id.to_string(), unix_seconds(now),
                                    unix_seconds(now + settings_.access_ttl)},
                                   settings_.jwt_secret);
}

Task<Result<IssuedTokens>> AccountService::start_session(
    User user, std::optional<std::string_view> user_agent) {
  auto now = clock_.now();
  auto session_id = core::SessionId::generate(clock_, random_);
  std::string refresh = crypto::random_token(random_);
  // A named value, not a braced temporary inside the co_await: GCC 12 destroys such aggregate
  // temporaries of a coroutine twice.
  const NewSession session{session_id, user.id, crypto::sha256_hex(refresh),
                           now + settings_.refresh_ttl, session_user_agent(user_agent)};
  FERR_CO_CHECK(co_await repository_.create_session(session, now));
  user.last_login_at = now;  // what create_session recorded
  std::string access = sign_access_token(user.id, session_id);
  co_return IssuedTokens{std::move(access), std::move(refresh),
                         static_cast<int>(settings_.access_ttl.count()), std::move(user)};
}

Task<Result<IssuedTokens>> AccountService::refresh(std::string_view refresh_token) {
  auto now = clock_.now();
  // The successor is derived from the presented token, not drawn: a presentation within the
  // grace window (a retry, a concurrent refresh) gets the very token the rotation stored.
  std::string next = crypto::derived_token(settings_.refresh_key, refresh_token);
  // Named, not a braced temporary in the co_await: GCC 12 destroys such a temporary twice.
  const RefreshRotation rotation{.presented_hash = crypto::sha256_hex(refresh_token),
                                 .new_hash = crypto::sha256_hex(next),
                                 .new_expires = now + settings_.refresh_ttl};
  FERR_CO_TRY(auto outcome, co_await repository_.rotate_refresh_token(rotation, now));
  if (outcome.kind != RefreshOutcome::Kind::rotated &&
      outcome.kind != RefreshOutcome::Kind::reissued) {
    co_return fail(session_expired());
  }
  FERR_CO_TRY(auto user, co_await repository_.find_by_id(outcome.user_id));
  if (!user) co_return fail(session_expired());
  co_return IssuedTokens{sign_access_token(outcome.user_id, outcome.session_id), next,
                         static_cast<int>(settings_.access_ttl.count()), *user};
}

Task<Result<void>> AccountService::logout(const Principal& principal) {
  FERR_CO_TRY(bool revoked, co_await repository_.revoke_session(principal, clock_.now()));
  if (!revoked) co_return fail(unauthorized());
  co_return Result<void>{};
}

Result<Principal> AccountService::authenticate(std::string_view access_token) const {
  auto claims = crypto::verify_access_token(access_token, settings_.jwt_secret, clock_.now());
  if (!claims) return fail(unauthorized());
  auto user_id = core::UserId::parse(claims->subject);
  auto session_id = core::SessionId::parse(claims->session_id);
  if (!user_id || !session_id) return fail(unauthorized());
  return Principal{*user_id, *session_id};
}

Task<Result<void>> AccountService::require_session(const Principal& principal) {
  co_return co_await accounts::require_session(repository_, principal);
}

Task<Result<User>> AccountService::profile(const Principal& principal) {
  FERR_CO_TRY(auto user, co_await repository_.find_by_session(principal));
  if (!user) co_return fail(unauthorized());
  co_return std::move(*user);
}

Task<Result<User>> AccountService::erase_account(const Principal& principal,
                                                 std::string_view password) {
  FERR_CO_TRY(auto user, co_await repository_.find_by_session(principal));
  if (!user) co_return fail(unauthorized());
  FERR_CO_TRY(auto account, co_await repository_.find_by_email(user->email));
  if (!account) co_return fail(unauthorized());  // erased in the meantime
  auto now = clock_.now();
  // The password confirms the erasure as it would a login, under the same throttle.
  FERR_CO_TRY(auto throttle, co_await repository_.login_throttle(user->email));
  if (throttle.locked_until && *throttle.locked_until > now) {
    Error e = Error::make(ErrorCode::auth_account_temporarily_locked,
                          "too many failed logins: try again later");
    e.retry_after_seconds = seconds_until(*throttle.locked_until, now);
    co_return fail(std::move(e));
  }
  if (!co_await verify_password(account->password_hash, password)) {
    FERR_CO_CHECK(co_await repository_.record_login_failure(user->email, now));
    co_return fail(invalid_credentials());
  }
  // Each membership's removal is audited in its org, the person as actor.
  RemovalAudit audit = [&](const ErasedMembership& m) {
    return orgs::audit_record(clock_, random_, user->id, "org.member.removed", user->id.to_string(),
                              orgs::member_removed_metadata(m.role));
  };
  FERR_CO_TRY(auto erasure, co_await repository_.erase_account(user->id, user->email, audit, now));
  if (!erasure.sole_owner_of.empty()) {
    Error e = Error::make(ErrorCode::org_last_owner,
                          "you are the only owner of these organizations: transfer or delete "
                          "them first");
    e.orgs = std::move(erasure.sole_owner_of);
    co_return fail(std::move(e));
  }
  mailer_.send({user->email, "Your FerrLabs account was deleted",
                "Your FerrLabs account and everything stored about it were deleted at your "
                "request. If you did not ask for this, contact FerrLabs support.\n"});
  co_return std::move(*user);
}

Task<Result<User>> AccountService::update_profile(const Principal& principal,
                                                  const ProfilePatch& patch) {
  std::optional<Error> invalid;
  if (patch.set_display_name && patch.display_name && !is_valid_display_name(*patch.display_name))
    invalid = Error::validation("display_name", "display_name must be 1 to 100 characters or null");
  else if (patch.timezone && !is_valid_timezone(*patch.timezone))
    invalid = Error{ErrorCode::user_invalid_timezone, "timezone must be an IANA time zone name",
                    "timezone"};
  else if (patch.locale && !is_valid_locale(*patch.locale))
    invalid = Error{ErrorCode::user_invalid_locale, "locale must look like en or en-US", "locale"};
  else if (patch.set_avatar_url && patch.avatar_url && !is_valid_avatar_url(*patch.avatar_url))
    invalid = Error::validation(
        "avatar_url",
        "avatar_url must be an absolute http(s) URL of at most 2048 characters or null");
  if (invalid) {
    // A revoked session hears that first, as if the session had been checked up front.
    FERR_CO_CHECK(co_await require_session(principal));
    co_return fail(std::move(*invalid));
  }
  FERR_CO_TRY(auto user, co_await repository_.update_profile(principal, patch, clock_.now()));
  if (!user) co_return fail(unauthorized());
  co_return std::move(*user);
}

Task<Result<std::vector<SessionInfo>>> AccountService::sessions(const Principal& principal) {
  FERR_CO_TRY(auto found, co_await repository_.list_sessions(principal, clock_.now()));
  if (!found) co_return fail(unauthorized());
  co_return std::move(*found);
}

Task<Result<void>> AccountService::revoke_session(const Principal& principal,
                                                  const core::SessionId& session_id) {
  FERR_CO_TRY(auto outcome,
              co_await repository_.revoke_session_by_id(principal, session_id, clock_.now()));
  switch (outcome) {
    case SessionRevocation::revoked: co_return Result<void>{};
    case SessionRevocation::caller_not_live: co_return fail(unauthorized());
    case SessionRevocation::not_found: break;
  }
  co_return fail(Error::make(ErrorCode::session_not_found, "session not found"));
}

Task<Result<void>> AccountService::forgot_password(std::string_view raw_email) {
  auto email = normalize_email(raw_email);
  if (!email) co_return Result<void>{};
  FERR_CO_TRY(auto found, co_await repository_.find_by_email(*email));
  if (!found || !found->user.active) co_return Result<void>{};
  auto now = clock_.now();
  FERR_CO_TRY(bool slot,
              co_await repository_.claim_mail_slot(*email, now, now - settings_.mail_interval));
  if (!slot) co_return Result<void>{};
  std::string token = crypto::random_token(random_);
  FERR_CO_CHECK(co_await repository_.store_reset_token(found->user.id, crypto::sha256_hex(token),
                                                       now + settings_.reset_ttl, now));
  mailer_.send({*email, "Reset your FerrLabs password",
                "Someone asked to reset the password of your FerrLabs account.\n\nTo choose a new "
                "password, open " +
                    settings_.public_url + "/reset-password?token=" + token +
                    "\n\nThe link is valid for 30 minutes and works once. If you did not ask for "
                    "it, ignore this "
                    "message: your password stays as it is.\n"});
  co_return Result<void>{};
}

Task<Result<void>> AccountService::reset_password(const PasswordReset& input) {
  std::string token_hash = crypto::sha256_hex(input.token);
  FERR_CO_TRY(auto stored, co_await repository_.find_reset_token(token_hash));
  if (!stored || stored->used) co_return fail(reset_token_invalid());
  auto now = clock_.now();
  if (now >= stored->expires_at)
    co_return fail(Error::make(ErrorCode::auth_password_reset_token_expired,
                               "the password reset token has expired"));
  if (auto weakness = crypto::password_weakness(input.new_password, stored->email))
    co_return fail(Error::make(ErrorCode::user_password_too_weak, *weakness));
  FERR_CO_TRY(auto hash, co_await hash_password(input.new_password));
  FERR_CO_TRY(bool done, co_await repository_.complete_password_reset(token_hash, stored->user_id,
                                                                      stored->email, hash, now));
  if (!done) co_return fail(reset_token_invalid());
  co_return Result<void>{};
}

Task<Result<bool>> AccountService::telemetry_opt_out(const Principal& principal) {
  FERR_CO_CHECK(co_await accounts::require_session(repository_, principal));
  co_return co_await repository_.user_opt_out(principal.user_id);
}

Task<Result<bool>> AccountService::set_telemetry_opt_out(const Principal& principal, bool opt_out) {
  FERR_CO_CHECK(co_await accounts::require_session(repository_, principal));
  FERR_CO_CHECK(co_await repository_.set_user_opt_out(principal.user_id, opt_out, clock_.now()));
  co_return opt_out;
}

}  // namespace ferr::domain::accounts
