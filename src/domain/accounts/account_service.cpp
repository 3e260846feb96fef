#include "domain/accounts/account_service.hpp"

#include <cmath>

#include "crypto/constant_time.hpp"
#include "crypto/jwt.hpp"
#include "crypto/password_policy.hpp"
#include "crypto/tokens.hpp"
#include "domain/accounts/login_throttle.hpp"
#include "domain/accounts/validation.hpp"

namespace ferr::domain::accounts {

namespace {

using core::Error;
using core::ErrorCode;
using core::fail;

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
Error session_expired() {
  return Error::make(ErrorCode::auth_session_expired, "the session has expired, log in again");
}
Error unauthorized() {
  return Error::make(ErrorCode::auth_unauthorized, "valid credentials are required");
}

}  // namespace

AccountService::AccountService(AccountRepository& repository, const crypto::PasswordHasher& hasher,
                               Mailer& mailer, AccountEvents& events, const core::Clock& clock,
                               core::Random& random, AccountSettings settings)
    : repository_(repository),
      hasher_(hasher),
      mailer_(mailer),
      events_(events),
      clock_(clock),
      random_(random),
      settings_(std::move(settings)) {}

std::string AccountService::hash_code(std::string_view code) const {
  return crypto::keyed_hash_hex(settings_.code_key, code);
}

core::Result<void> AccountService::issue_verification_code(const core::Uuid& user_id,
                                                           const std::string& email) {
  auto now = clock_.now();
  auto slot = repository_.claim_mail_slot(email, now, now - settings_.mail_interval);
  if (!slot) return fail(slot.error());
  if (!*slot) return {};  // mailed less than a minute ago: the code sent then is still valid
  std::string code = crypto::six_digit_code(random_);
  if (auto stored =
          repository_.store_verification_code(user_id, hash_code(code), now + settings_.code_ttl);
      !stored)
    return fail(stored.error());
  mailer_.send({email, "Your FerrLabs verification code",
                "Welcome to FerrLabs.\n\nYour verification code is " + code +
                    "\n\nIt is valid for 15 minutes. If you did not create an account, ignore this "
                    "message.\n"});
  return {};
}

core::Result<void> AccountService::register_account(const Registration& input) {
  auto email = normalize_email(input.email);
  if (!email) return fail(Error::validation("email", "email must be a valid e-mail address"));
  if (input.display_name && !is_valid_display_name(*input.display_name))
    return fail(Error::validation("display_name", "display_name must be 1 to 100 characters"));
  if (auto weakness =
          crypto::password_weakness(input.password, *email, input.display_name.value_or("")))
    return fail(Error::make(ErrorCode::user_password_too_weak, *weakness));

  // Hash before looking the address up, so a known address costs the same time as a new one.
  auto hash = hasher_.hash(input.password);
  if (!hash) return fail(hash.error());
  auto now = clock_.now();
  auto registered = repository_.register_account(*email, *hash, input.display_name,
                                                 core::Uuid::v7(clock_, random_), now);
  if (!registered) return fail(registered.error());
  auto [outcome, user_id] = *registered;

  if (outcome != RegisterOutcome::already_active) return issue_verification_code(user_id, *email);

  // An active account is never touched; its owner learns that someone tried to register.
  auto slot = repository_.claim_mail_slot(*email, now, now - settings_.mail_interval);
  if (!slot) return fail(slot.error());
  if (*slot) {
    mailer_.send({*email, "Someone tried to register with your e-mail address",
                  "Someone tried to create a FerrLabs account with this e-mail address, which "
                  "already has one.\n\n"
                  "If it was you, log in instead, or reset your password at " +
                      settings_.public_url +
                      "/forgot-password\nIf it was not you, no action is needed.\n"});
  }
  return {};
}

core::Result<IssuedTokens> AccountService::verify_email(std::string_view raw_email,
                                                        std::string_view code) {
  auto email = normalize_email(raw_email);
  if (!email) return fail(code_invalid());
  auto stored = repository_.find_verification_code(*email);
  if (!stored) return fail(stored.error());
  if (!*stored) return fail(code_invalid());
  const StoredCode& c = **stored;
  if (c.user_active)
    return fail(Error::make(ErrorCode::auth_email_already_verified,
                            "this e-mail address is already verified"));
  if (!c.code_hash) return fail(code_invalid());
  if (c.failed_attempts >= settings_.max_code_attempts)
    return fail(Error::make(ErrorCode::auth_verification_too_many_attempts,
                            "too many wrong codes: ask for a new verification code"));
  auto now = clock_.now();
  if (now >= c.expires_at)
    return fail(Error::make(ErrorCode::auth_verification_code_expired,
                            "the verification code has expired: ask for a new one"));
  if (!crypto::constant_time_equals(hash_code(code), *c.code_hash)) {
    auto failures = repository_.record_code_failure(c.user_id);
    if (!failures) return fail(failures.error());
    if (*failures >= settings_.max_code_attempts)
      return fail(Error::make(ErrorCode::auth_verification_too_many_attempts,
                              "too many wrong codes: ask for a new verification code"));
    return fail(code_invalid());
  }
  auto activated = repository_.activate(c.user_id, now);
  if (!activated) return fail(activated.error());
  if (!*activated)
    return fail(Error::make(ErrorCode::auth_email_already_verified,
                            "this e-mail address is already verified"));
  auto user = repository_.find_by_id(c.user_id);
  if (!user) return fail(user.error());
  if (!*user) return fail(code_invalid());
  auto tokens = start_session(**user);
  if (tokens) events_.signed_up(c.user_id);
  return tokens;
}

core::Result<void> AccountService::resend_verification(std::string_view raw_email) {
  auto email = normalize_email(raw_email);
  if (!email) return {};
  auto stored = repository_.find_verification_code(*email);
  if (!stored) return fail(stored.error());
  if (!*stored || (*stored)->user_active) return {};
  return issue_verification_code((*stored)->user_id, *email);
}

core::Result<IssuedTokens> AccountService::login(std::string_view raw_email,
                                                 std::string_view password) {
  auto now = clock_.now();
  std::string email = normalize_email(raw_email).value_or(std::string(raw_email));
  auto throttle = repository_.login_throttle(email);
  if (!throttle) return fail(throttle.error());
  if (throttle->locked_until && *throttle->locked_until > now) {
    Error e = Error::make(ErrorCode::auth_account_temporarily_locked,
                          "too many failed logins: try again later");
    e.retry_after_seconds = seconds_until(*throttle->locked_until, now);
    return fail(std::move(e));
  }

  auto found = repository_.find_by_email(email);
  if (!found) return fail(found.error());
  // An unknown address is checked against a dummy hash: same answer, same work.
  const std::string& stored_hash = *found ? (*found)->password_hash : hasher_.dummy_hash();
  bool password_ok = hasher_.verify(stored_hash, password);
  if (!*found || !password_ok) {
    if (auto recorded = repository_.record_login_failure(email, now, login_lock_for); !recorded)
      return fail(recorded.error());
    return fail(invalid_credentials());
  }
  const UserWithSecret& account = **found;
  if (auto reset = repository_.reset_login_failures(email); !reset) return fail(reset.error());
  if (!account.user.active) {
    return fail(Error::make(ErrorCode::auth_email_not_verified, "email_not_verified"));
  }
  if (hasher_.needs_rehash(account.password_hash)) {
    // The stored hash predates the current parameters: upgrade it now that we know the password.
    if (auto upgraded = hasher_.hash(password); upgraded) {
      if (auto saved = repository_.update_password_hash(account.user.id, *upgraded, now); !saved)
        return fail(saved.error());
    }
  }
  auto tokens = start_session(account.user);
  if (tokens) events_.logged_in(account.user.id);
  return tokens;
}

std::string AccountService::sign_access_token(const core::Uuid& user_id,
                                              const core::Uuid& session_id) const {
  auto now = clock_.now();
  return crypto::sign_access_token({user_id.to_string(), session_id.to_string(), unix_seconds(now),
                                    unix_seconds(now + settings_.access_ttl)},
                                   settings_.jwt_secret);
}

core::Result<IssuedTokens> AccountService::start_session(const User& user) {
  auto now = clock_.now();
  auto session_id = core::Uuid::v7(clock_, random_);
  std::string refresh = crypto::random_token(random_);
  if (auto created = repository_.create_session(session_id, user.id, crypto::sha256_hex(refresh),
                                                now + settings_.refresh_ttl, now);
      !created)
    return fail(created.error());
  return IssuedTokens{sign_access_token(user.id, session_id), refresh,
                      static_cast<int>(settings_.access_ttl.count()), user};
}

core::Result<IssuedTokens> AccountService::refresh(std::string_view refresh_token) {
  auto now = clock_.now();
  std::string next = crypto::random_token(random_);
  auto outcome =
      repository_.rotate_refresh_token(crypto::sha256_hex(refresh_token), crypto::sha256_hex(next),
                                       now + settings_.refresh_ttl, now);
  if (!outcome) return fail(outcome.error());
  if (outcome->kind != RefreshOutcome::Kind::rotated) return fail(session_expired());
  auto user = repository_.find_by_id(outcome->user_id);
  if (!user) return fail(user.error());
  if (!*user) return fail(session_expired());
  return IssuedTokens{sign_access_token(outcome->user_id, outcome->session_id), next,
                      static_cast<int>(settings_.access_ttl.count()), **user};
}

core::Result<void> AccountService::logout(const Principal& principal) {
  return repository_.revoke_session(principal.session_id, clock_.now());
}

core::Result<Principal> AccountService::authenticate(std::string_view access_token) {
  auto claims = crypto::verify_access_token(access_token, settings_.jwt_secret, clock_.now());
  if (!claims) return fail(unauthorized());
  auto user_id = core::Uuid::parse(claims->subject);
  auto session_id = core::Uuid::parse(claims->session_id);
  if (!user_id || !session_id) return fail(unauthorized());
  auto active = repository_.session_active(*session_id);
  if (!active) return fail(active.error());
  if (!*active) return fail(unauthorized());
  return Principal{*user_id, *session_id};
}

core::Result<User> AccountService::profile(const Principal& principal) {
  auto user = repository_.find_by_id(principal.user_id);
  if (!user) return fail(user.error());
  if (!*user) return fail(unauthorized());
  return **user;
}

core::Result<User> AccountService::update_profile(const Principal& principal,
                                                  const ProfilePatch& patch) {
  if (patch.set_display_name && patch.display_name && !is_valid_display_name(*patch.display_name))
    return fail(
        Error::validation("display_name", "display_name must be 1 to 100 characters or null"));
  if (patch.timezone && !is_valid_timezone(*patch.timezone))
    return fail(Error{ErrorCode::user_invalid_timezone, "timezone must be an IANA time zone name",
                      "timezone"});
  if (patch.locale && !is_valid_locale(*patch.locale))
    return fail(
        Error{ErrorCode::user_invalid_locale, "locale must look like en or en-US", "locale"});
  return repository_.update_profile(principal.user_id, patch, clock_.now());
}

core::Result<void> AccountService::forgot_password(std::string_view raw_email) {
  auto email = normalize_email(raw_email);
  if (!email) return {};
  auto found = repository_.find_by_email(*email);
  if (!found) return fail(found.error());
  if (!*found || !(*found)->user.active) return {};
  auto now = clock_.now();
  auto slot = repository_.claim_mail_slot(*email, now, now - settings_.mail_interval);
  if (!slot) return fail(slot.error());
  if (!*slot) return {};
  std::string token = crypto::random_token(random_);
  if (auto stored = repository_.store_reset_token((*found)->user.id, crypto::sha256_hex(token),
                                                  now + settings_.reset_ttl, now);
      !stored)
    return fail(stored.error());
  mailer_.send({*email, "Reset your FerrLabs password",
                "Someone asked to reset the password of your FerrLabs account.\n\nTo choose a new "
                "password, open " +
                    settings_.public_url + "/reset-password?token=" + token +
                    "\n\nThe link is valid for 30 minutes and works once. If you did not ask for "
                    "it, ignore this "
                    "message: your password stays as it is.\n"});
  return {};
}

core::Result<void> AccountService::reset_password(std::string_view token,
                                                  std::string_view new_password) {
  std::string token_hash = crypto::sha256_hex(token);
  auto stored = repository_.find_reset_token(token_hash);
  if (!stored) return fail(stored.error());
  if (!*stored || (*stored)->used)
    return fail(Error::make(ErrorCode::auth_password_reset_token_invalid,
                            "invalid or used password reset token"));
  auto now = clock_.now();
  if (now >= (*stored)->expires_at)
    return fail(Error::make(ErrorCode::auth_password_reset_token_expired,
                            "the password reset token has expired"));
  if (auto weakness = crypto::password_weakness(new_password, (*stored)->email))
    return fail(Error::make(ErrorCode::user_password_too_weak, *weakness));
  auto hash = hasher_.hash(new_password);
  if (!hash) return fail(hash.error());
  auto done = repository_.complete_password_reset(token_hash, (*stored)->user_id, (*stored)->email,
                                                  *hash, now);
  if (!done) return fail(done.error());
  if (!*done)
    return fail(Error::make(ErrorCode::auth_password_reset_token_invalid,
                            "invalid or used password reset token"));
  return {};
}

core::Result<bool> AccountService::telemetry_opt_out(const Principal& principal) {
  return repository_.user_opt_out(principal.user_id);
}

core::Result<bool> AccountService::set_telemetry_opt_out(const Principal& principal, bool opt_out) {
  if (auto saved = repository_.set_user_opt_out(principal.user_id, opt_out, clock_.now()); !saved)
    return fail(saved.error());
  return opt_out;
}

}  // namespace ferr::domain::accounts
