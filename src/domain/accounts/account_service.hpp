#pragma once
/// The account use cases of api.md: registration and verification, login and sessions,
/// profile, password reset and the personal telemetry preference.
///
/// Methods block (storage, argon2id): callers run them through core::run_blocking, the
/// password-hashing ones on the bounded hashing pool.

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/secret.hpp"
#include "crypto/password_hasher.hpp"
#include "domain/accounts/account_events.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/mail.hpp"

namespace ferr::domain::accounts {

/// Durations and secrets of the account rules.
struct AccountSettings {
  core::Secret jwt_secret;  ///< signs access tokens
  core::Secret code_key;    ///< keys the stored hashes of verification codes
  std::string public_url;   ///< base of links in e-mails
  std::chrono::seconds access_ttl{900};
  std::chrono::hours refresh_ttl{24 * 14};
  std::chrono::minutes code_ttl{15};
  std::chrono::minutes reset_ttl{30};
  std::chrono::seconds mail_interval{60};  ///< at most one account mail per address per interval
  int max_code_attempts = 5;
};

/// Who an access token speaks for.
struct Principal {
  core::Uuid user_id;
  core::Uuid session_id;
};

/// Input of `POST /auth/register`.
struct Registration {
  std::string email;
  std::string password;
  std::optional<std::string> display_name;
};

class AccountService {
 public:
  AccountService(AccountRepository& repository, const crypto::PasswordHasher& hasher,
                 Mailer& mailer, AccountEvents& events, const core::Clock& clock,
                 core::Random& random, AccountSettings settings);

  /// Enumeration-resistant: succeeds for every well-formed input, known address or not.
  core::Result<void> register_account(const Registration& input);
  core::Result<IssuedTokens> verify_email(std::string_view email, std::string_view code);
  core::Result<void> resend_verification(std::string_view email);
  core::Result<IssuedTokens> login(std::string_view email, std::string_view password);
  core::Result<IssuedTokens> refresh(std::string_view refresh_token);
  core::Result<void> logout(const Principal& principal);
  /// Checks an access token and that its session is still live.
  core::Result<Principal> authenticate(std::string_view access_token);
  core::Result<User> profile(const Principal& principal);
  core::Result<User> update_profile(const Principal& principal, const ProfilePatch& patch);
  core::Result<void> forgot_password(std::string_view email);
  core::Result<void> reset_password(std::string_view token, std::string_view new_password);
  core::Result<bool> telemetry_opt_out(const Principal& principal);
  core::Result<bool> set_telemetry_opt_out(const Principal& principal, bool opt_out);

 private:
  core::Result<IssuedTokens> start_session(const User& user);
  std::string sign_access_token(const core::Uuid& user_id, const core::Uuid& session_id) const;
  core::Result<void> issue_verification_code(const core::Uuid& user_id, const std::string& email);
  std::string hash_code(std::string_view code) const;

  AccountRepository& repository_;
  const crypto::PasswordHasher& hasher_;
  Mailer& mailer_;
  AccountEvents& events_;
  const core::Clock& clock_;
  core::Random& random_;
  AccountSettings settings_;
};

}  // namespace ferr::domain::accounts
