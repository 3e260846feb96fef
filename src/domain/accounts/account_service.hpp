#pragma once
/// The account use cases of api.md: registration and verification, login and sessions,
/// profile, password reset and the personal telemetry preference.
///
/// Every method is a coroutine: storage is awaited, and argon2id runs on the bounded,
/// low-priority hashing pool, so the awaiting I/O thread never blocks.

#include <chrono>
#include <optional>
#include <string>

#include "core/blocking_pool.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/secret.hpp"
#include "core/task.hpp"
#include "crypto/password_hasher.hpp"
#include "domain/accounts/account_events.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/mail.hpp"

namespace ferr::domain::accounts {

/// Durations and secrets of the account rules.
struct AccountSettings {
  core::Secret jwt_secret;   ///< signs access tokens
  core::Secret code_key;     ///< keys the stored hashes of verification codes
  core::Secret refresh_key;  ///< derives each refresh token's successor from it
  std::string public_url;    ///< base of links in e-mails
  std::chrono::seconds access_ttl{900};
  std::chrono::hours refresh_ttl{24 * 14};
  std::chrono::minutes code_ttl{15};
  std::chrono::minutes reset_ttl{30};
  std::chrono::seconds mail_interval{60};  ///< at most one account mail per address per interval
  int max_code_attempts = 5;
};

/// Input of `POST /auth/login` (and the first two members of a registration).
struct Credentials {
  std::string email;
  std::string password;
};

/// Input of `POST /auth/verify-email`.
struct EmailVerification {
  std::string email;
  std::string code;
};

/// Input of `POST /auth/reset-password`.
struct PasswordReset {
  std::string token;
  std::string new_password;
};

/// Input of `POST /auth/register`.
struct Registration {
  std::string email;
  std::string password;
  std::optional<std::string> display_name;
};

class AccountService {
 public:
  /// `hash_pool` runs every argon2id hash and verification.
  AccountService(AccountRepository& repository, const crypto::PasswordHasher& hasher,
                 core::BlockingPool& hash_pool, Mailer& mailer, AccountEvents& events,
                 const core::Clock& clock, core::Random& random, AccountSettings settings);

  /// Enumeration-resistant: succeeds for every well-formed input, known address or not.
  core::Task<core::Result<void>> register_account(const Registration& input);
  /// `user_agent`: the request's User-Agent, kept by the session it starts (session_user_agent).
  core::Task<core::Result<IssuedTokens>> verify_email(
      const EmailVerification& input, std::optional<std::string_view> user_agent = std::nullopt);
  core::Task<core::Result<void>> resend_verification(std::string_view email);
  core::Task<core::Result<IssuedTokens>> login(
      const Credentials& input, std::optional<std::string_view> user_agent = std::nullopt);
  core::Task<core::Result<IssuedTokens>> refresh(std::string_view refresh_token);
  /// Ends the principal's session; AUTH_UNAUTHORIZED when it was not live.
  core::Task<core::Result<void>> logout(const Principal& principal);
  /// Checks an access token's signature and times (no storage): the principal it names. Each
  /// use case then checks the session in its first storage step.
  core::Result<Principal> authenticate(std::string_view access_token) const;
  /// AUTH_UNAUTHORIZED unless the principal's session is live: for a request refused before
  /// its use case ran, so that a revoked session is told so first, as if checked up front.
  core::Task<core::Result<void>> require_session(const Principal& principal);
  core::Task<core::Result<User>> profile(const Principal& principal);
  /// Erases the principal's account (api.md "Deletion"), once `password` confirms it: a wrong
  /// one is AUTH_INVALID_CREDENTIALS and counts toward the login throttle (a lock answers 423);
  /// ORG_LAST_OWNER naming the orgs (Error::orgs) while the person is any org's only owner.
  /// Everything of the account goes in one transaction (AccountRepository::erase_account) and a
  /// notice is mailed; returns the erased account. Its telemetry rows are the caller's to delete
  /// (privacy::PersonalData, which holds the telemetry key).
  core::Task<core::Result<User>> erase_account(const Principal& principal,
                                               std::string_view password);
  core::Task<core::Result<User>> update_profile(const Principal& principal,
                                                const ProfilePatch& patch);
  core::Task<core::Result<void>> forgot_password(std::string_view email);
  core::Task<core::Result<void>> reset_password(const PasswordReset& input);
  /// The live sessions of the principal's user, newest first.
  core::Task<core::Result<std::vector<SessionInfo>>> sessions(const Principal& principal);
  /// Revokes one of the principal's user's live sessions (its own included); SESSION_NOT_FOUND
  /// for any other id.
  core::Task<core::Result<void>> revoke_session(const Principal& principal,
                                                const core::SessionId& session_id);
  core::Task<core::Result<bool>> telemetry_opt_out(const Principal& principal);
  core::Task<core::Result<bool>> set_telemetry_opt_out(const Principal& principal, bool opt_out);

 private:
  core::Task<core::Result<IssuedTokens>> start_session(User user,
                                                       std::optional<std::string_view> user_agent);
  std::string sign_access_token(const core::UserId& user_id,
                                const core::SessionId& session_id) const;
  core::Task<core::Result<void>> issue_verification_code(const core::UserId& user_id,
                                                         const std::string& email);
  std::string hash_code(std::string_view code) const;
  /// argon2id on the hashing pool.
  core::Task<core::Result<std::string>> hash_password(std::string_view password);
  core::Task<bool> verify_password(std::string_view phc, std::string_view password);

  AccountRepository& repository_;
  const crypto::PasswordHasher& hasher_;
  core::BlockingPool& hash_pool_;
  Mailer& mailer_;
  AccountEvents& events_;
  const core::Clock& clock_;
  core::Random& random_;
  AccountSettings settings_;
};

}  // namespace ferr::domain::accounts
