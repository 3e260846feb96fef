#pragma once
/// Storage of accounts, sessions, codes and throttles. Every method is one atomic step (one
/// transaction) and an awaitable; the service composes them. Where a step depends on stored
/// state, the backend asks the rule in account_rules.hpp or login_throttle.hpp inside its
/// transaction. Implemented per backend in src/storage/.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/task.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/accounts/user.hpp"
#include "domain/orgs/organization.hpp"
#include "domain/orgs/role.hpp"

namespace ferr::domain::accounts {

/// What registering an address did.
enum class RegisterOutcome { created, pending_updated, already_active };

/// A verification code as stored (hashed).
struct StoredCode {
  core::UserId user_id;
  bool user_active = false;
  std::optional<std::string> code_hash;  ///< absent when no code is outstanding
  core::TimePoint expires_at;
  int failed_attempts = 0;
};

/// Login throttle state of one address (known or not: unknown addresses are throttled alike).
struct LoginThrottle {
  int consecutive_failures = 0;
  std::optional<core::TimePoint> locked_until;
};

/// A refresh token presented for rotation: the SHA-256 hashes of the presented token and of its
/// successor, and when the successor expires.
struct RefreshRotation {
  std::string presented_hash;
  std::string new_hash;
  core::TimePoint new_expires;
};

/// The result of presenting a refresh token.
struct RefreshOutcome {
  /// `reissued`: presented again within the grace window; nothing was written, the successor
  /// issued by its rotation stands.
  enum class Kind { rotated, reissued, unknown, reused, expired };
  Kind kind = Kind::unknown;
  core::UserId user_id;
  core::SessionId session_id;
};

/// A password-reset token as stored (hashed).
struct StoredResetToken {
  core::UserId user_id;
  std::string email;
  core::TimePoint expires_at;
  bool used = false;
};

/// Changes to a profile; absent members are left alone.
struct ProfilePatch {
  bool set_display_name = false;
  std::optional<std::string> display_name;  ///< with set_display_name: nullopt clears it
  std::optional<std::string> timezone;
  std::optional<std::string> locale;
  bool set_avatar_url = false;
  std::optional<std::string> avatar_url;  ///< with set_avatar_url: nullopt clears it
};

/// A session about to start: its id, its user, its first refresh token (hashed) and the login's
/// User-Agent (session_user_agent).
struct NewSession {
  core::SessionId id;
  core::UserId user_id;
  std::string refresh_hash;
  core::TimePoint refresh_expires;
  std::optional<std::string> user_agent;
};

/// What revoking one of one's sessions by id found.
enum class SessionRevocation {
  revoked,
  not_found,        ///< no live session of the caller's with that id
  caller_not_live,  ///< the caller's own session is not live: unauthorized
};

/// What housekeeping deletes (cut-offs from housekeeping.hpp): every row older than its cut-off
/// (strictly before it).
struct HousekeepingCutoffs {
  core::TimePoint now;  ///< locks ending and codes expiring after this are in force
  core::TimePoint pending_registered_before;      ///< pending accounts last registered before
  core::TimePoint codes_expired_before;           ///< verification codes expired before
  core::TimePoint reset_tokens_ended_before;      ///< reset tokens used or expired before
  core::TimePoint mail_sent_before;               ///< mail-throttle rows last mailed before
  core::TimePoint login_failed_before;            ///< login-throttle rows last failed before
  core::TimePoint sessions_ended_before;          ///< sessions revoked or last expired before
  core::TimePoint refresh_tokens_expired_before;  ///< refresh tokens expired before
};

/// The rows one pass deleted, per kind (rows deleted through a cascade are not counted).
struct HousekeepingRemoved {
  /// False when another instance held the housekeeping lock (PostgreSQL): nothing was done.
  bool ran = true;
  std::int64_t pending_accounts = 0;
  std::int64_t verification_codes = 0;
  std::int64_t reset_tokens = 0;
  std::int64_t mail_throttle = 0;
  std::int64_t login_throttle = 0;
  std::int64_t sessions = 0;
  std::int64_t refresh_tokens = 0;
};

/// One of the memberships an erasure removes, as its transaction found it (its org locked).
struct ErasedMembership {
  core::OrgId org_id;
  std::string slug;
  orgs::Role role = orgs::Role::viewer;
  int owners = 0;  ///< the org's number of owners, this member included
};

/// What erasing an account found: nothing was erased when `sole_owner_of` is not empty.
struct Erasure {
  std::vector<std::string> sole_owner_of;  ///< slugs of the orgs the user is the only owner of
};

/// The audit row of one membership an erasure removes (stamped by the domain).
using RemovalAudit = std::function<orgs::AuditRecord(const ErasedMembership&)>;

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;

  /// Creates a pending account, or replaces the password (and display name) of a pending one,
  /// or leaves an active account untouched (decide_registration). Safe under concurrent calls
  /// for one address.
  virtual core::Task<core::Result<std::pair<RegisterOutcome, core::UserId>>> register_account(
      const std::string& email, const std::string& password_hash,
      const std::optional<std::string>& display_name, const core::UserId& new_id,
      core::TimePoint now) = 0;

  /// Records a mail to `email` unless one was recorded after `not_since`; false when throttled.
  virtual core::Task<core::Result<bool>> claim_mail_slot(const std::string& email,
                                                         core::TimePoint now,
                                                         core::TimePoint not_since) = 0;

  /// Replaces the outstanding verification code of a pending account.
  virtual core::Task<core::Result<void>> store_verification_code(const core::UserId& user_id,
                                                                 const std::string& code_hash,
                                                                 core::TimePoint expires_at) = 0;
  /// The account and outstanding code for `email`; nullopt when no account has that address.
  virtual core::Task<core::Result<std::optional<StoredCode>>> find_verification_code(
      const std::string& email) = 0;
  /// Counts one wrong code; returns the new number of failures.
  virtual core::Task<core::Result<int>> record_code_failure(const core::UserId& user_id) = 0;
  /// Activates a pending account and deletes its code; false when it was not pending any more.
  virtual core::Task<core::Result<bool>> activate(const core::UserId& user_id,
                                                  core::TimePoint now) = 0;

  virtual core::Task<core::Result<std::optional<UserWithSecret>>> find_by_email(
      const std::string& email) = 0;
  virtual core::Task<core::Result<std::optional<User>>> find_by_id(const core::UserId& id) = 0;
  /// The principal's account when its session is live and belongs to it; nullopt otherwise
  /// (one lookup: the session check and the read together).
  virtual core::Task<core::Result<std::optional<User>>> find_by_session(
      const Principal& principal) = 0;
  virtual core::Task<core::Result<void>> update_password_hash(const core::UserId& user_id,
                                                              const std::string& hash,
                                                              core::TimePoint now) = 0;
  /// Applies the patch to the principal's account, in the same statement as the session check;
  /// nullopt when the session is not live.
  virtual core::Task<core::Result<std::optional<User>>> update_profile(const Principal& principal,
                                                                       const ProfilePatch& patch,
                                                                       core::TimePoint now) = 0;

  virtual core::Task<core::Result<LoginThrottle>> login_throttle(const std::string& email) = 0;
  /// Counts one failed login and applies login_lock_for(new count), atomically; returns the new
  /// state.
  virtual core::Task<core::Result<LoginThrottle>> record_login_failure(const std::string& email,
                                                                       core::TimePoint now) = 0;
  virtual core::Task<core::Result<void>> reset_login_failures(const std::string& email) = 0;

  /// Records an export of the user's data at `now` unless one was made after `not_since`; nullopt
  /// when recorded, else the time of the export that holds the slot (one per interval, on every
  /// instance).
  virtual core::Task<core::Result<std::optional<core::TimePoint>>> claim_export_slot(
      const core::UserId& user_id, core::TimePoint now, core::TimePoint not_since) = 0;

  /// Starts a session (a refresh-token family) with its first refresh token, and records `now`
  /// as the user's last login.
  virtual core::Task<core::Result<void>> create_session(const NewSession& session,
                                                        core::TimePoint now) = 0;
  /// The user's live sessions (not revoked, not expired at `now`), newest first; nullopt when
  /// the principal's own session is not live.
  virtual core::Task<core::Result<std::optional<std::vector<SessionInfo>>>> list_sessions(
      const Principal& principal, core::TimePoint now) = 0;
  /// Revokes the principal's user's live session `session_id` (the principal's own included).
  virtual core::Task<core::Result<SessionRevocation>> revoke_session_by_id(
      const Principal& principal, const core::SessionId& session_id, core::TimePoint now) = 0;
  /// Whether the principal's session exists, is not revoked and belongs to its user.
  virtual core::Task<core::Result<bool>> session_active(const Principal& principal) = 0;
  /// Presents a refresh token: decide_refresh says whether it is spent and the next one
  /// (`new_hash`) issued (the session's last activity and expiry moving with it), or its whole
  /// session revoked, or nothing happens (a refusal, or a reissue within the grace window: the
  /// caller derives `new_hash` from the presented token, so the successor stored by the rotation is
  /// the one it answers with again).
  virtual core::Task<core::Result<RefreshOutcome>> rotate_refresh_token(
      const RefreshRotation& rotation, core::TimePoint now) = 0;
  /// Revokes the principal's session; false when it was not live (revoked already, or not
  /// the principal's).
  virtual core::Task<core::Result<bool>> revoke_session(const Principal& principal,
                                                        core::TimePoint now) = 0;

  virtual core::Task<core::Result<void>> store_reset_token(const core::UserId& user_id,
                                                           const std::string& token_hash,
                                                           core::TimePoint expires_at,
                                                           core::TimePoint now) = 0;
  virtual core::Task<core::Result<std::optional<StoredResetToken>>> find_reset_token(
      const std::string& token_hash) = 0;
  /// Spends the token, sets the password, revokes every session and clears the login throttle;
  /// false when the token was spent in the meantime.
  virtual core::Task<core::Result<bool>> complete_password_reset(const std::string& token_hash,
                                                                 const core::UserId& user_id,
                                                                 const std::string& email,
                                                                 const std::string& new_hash,
                                                                 core::TimePoint now) = 0;

  /// Deletes every row older than its cut-off (HousekeepingCutoffs), never a live one, in one
  /// transaction; on PostgreSQL under an advisory lock, skipping the pass (`ran` false) when
  /// another instance holds it.
  virtual core::Task<core::Result<HousekeepingRemoved>> delete_expired(
      const HousekeepingCutoffs& cutoffs) = 0;

  /// Erases the user in one transaction (api.md "Deletion"): reads their memberships with each
  /// org locked; when sole_owner_orgs (account_rules.hpp) names any, changes nothing and names
  /// those orgs; otherwise audits each membership's removal (`audit`), revokes the org tokens
  /// they own as `creator`, deletes their idempotency keys and the throttle rows of `email`, then
  /// the user row and everything that cascades from it (sessions, refresh tokens, personal
  /// tokens, memberships, codes, resets, prefs).
  virtual core::Task<core::Result<Erasure>> erase_account(const core::UserId& user_id,
                                                          const std::string& email,
                                                          const RemovalAudit& audit,
                                                          core::TimePoint now) = 0;
  virtual core::Task<core::Result<bool>> user_opt_out(const core::UserId& user_id) = 0;
  virtual core::Task<core::Result<void>> set_user_opt_out(const core::UserId& user_id, bool opt_out,
                                                          core::TimePoint now) = 0;
};

}  // namespace ferr::domain::accounts
