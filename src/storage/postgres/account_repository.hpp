#pragma once
/// AccountRepository on PostgreSQL: every method is one statement, one pipeline, or a READ
/// COMMITTED transaction of two round trips (BEGIN + the rows it decides on, locked | the writes
/// + COMMIT); the decisions are account_rules.hpp's (docs/postgres.md, "Round trips").

#include <cstdint>

#include "domain/accounts/account_repository.hpp"
#include "storage/postgres/database.hpp"

namespace ferr::storage::postgres {

/// The key of the transaction-level advisory lock of a housekeeping pass ("ferrhk" in ASCII):
/// one instance at a time runs it, the others skip their turn.
inline constexpr std::int64_t kHousekeepingLockKey = 0x6665'7272'686b;

class PgAccountRepository final : public domain::accounts::AccountRepository {
 public:
  explicit PgAccountRepository(Database& db) : db_(db) {}

  core::Task<core::Result<std::pair<domain::accounts::RegisterOutcome, core::UserId>>>
  register_account(const std::string& email, const std::string& password_hash,
                   const std::optional<std::string>& display_name, const core::UserId& new_id,
                   core::TimePoint now) override;
  core::Task<core::Result<std::optional<core::TimePoint>>> claim_export_slot(
      const core::UserId& user_id, core::TimePoint now, core::TimePoint not_since) override;
  core::Task<core::Result<bool>> claim_mail_slot(const std::string& email, core::TimePoint now,
                                                 core::TimePoint not_since) override;
  core::Task<core::Result<void>> store_verification_code(const core::UserId& user_id,
                                                         const std::string& code_hash,
                                                         core::TimePoint expires_at) override;
  core::Task<core::Result<std::optional<domain::accounts::StoredCode>>> find_verification_code(
      const std::string& email) override;
  core::Task<core::Result<int>> record_code_failure(const core::UserId& user_id) override;
  core::Task<core::Result<bool>> activate(const core::UserId& user_id,
                                          core::TimePoint now) override;
  core::Task<core::Result<std::optional<domain::accounts::UserWithSecret>>> find_by_email(
      const std::string& email) override;
  core::Task<core::Result<std::optional<domain::accounts::User>>> find_by_id(
      const core::UserId& id) override;
  core::Task<core::Result<std::optional<domain::accounts::User>>> find_by_session(
      const domain::accounts::Principal& principal) override;
  core::Task<core::Result<void>> update_password_hash(const core::UserId& user_id,
                                                      const std::string& hash,
                                                      core::TimePoint now) override;
  core::Task<core::Result<std::optional<domain::accounts::User>>> update_profile(
      const domain::accounts::Principal& principal, const domain::accounts::ProfilePatch& patch,
      core::TimePoint now) override;
  core::Task<core::Result<domain::accounts::LoginThrottle>> login_throttle(
      const std::string& email) override;
  core::Task<core::Result<domain::accounts::LoginThrottle>> record_login_failure(
      const std::string& email, core::TimePoint now) override;
  core::Task<core::Result<void>> reset_login_failures(const std::string& email) override;
  core::Task<core::Result<void>> create_session(const domain::accounts::NewSession& session,
                                                core::TimePoint now) override;
  core::Task<core::Result<std::optional<std::vector<domain::accounts::SessionInfo>>>> list_sessions(
      const domain::accounts::Principal& principal, core::TimePoint now) override;
  core::Task<core::Result<domain::accounts::SessionRevocation>> revoke_session_by_id(
      const domain::accounts::Principal& principal, const core::SessionId& session_id,
      core::TimePoint now) override;
  core::Task<core::Result<bool>> session_active(
      const domain::accounts::Principal& principal) override;
  core::Task<core::Result<domain::accounts::RefreshOutcome>> rotate_refresh_token(
      const domain::accounts::RefreshRotation& rotation, core::TimePoint now) override;
  core::Task<core::Result<bool>> revoke_session(const domain::accounts::Principal& principal,
                                                core::TimePoint now) override;
  core::Task<core::Result<void>> store_reset_token(const core::UserId& user_id,
                                                   const std::string& token_hash,
                                                   core::TimePoint expires_at,
                                                   core::TimePoint now) override;
  core::Task<core::Result<std::optional<domain::accounts::StoredResetToken>>> find_reset_token(
      const std::string& token_hash) override;
  core::Task<core::Result<bool>> complete_password_reset(const std::string& token_hash,
                                                         const core::UserId& user_id,
                                                         const std::string& email,
                                                         const std::string& new_hash,
                                                         core::TimePoint now) override;
  core::Task<core::Result<domain::accounts::HousekeepingRemoved>> delete_expired(
      const domain::accounts::HousekeepingCutoffs& cutoffs) override;
  core::Task<core::Result<domain::accounts::Erasure>> erase_account(
      const core::UserId& user_id, const std::string& email,
      const domain::accounts::RemovalAudit& audit, core::TimePoint now) override;
  core::Task<core::Result<bool>> user_opt_out(const core::UserId& user_id) override;
  core::Task<core::Result<void>> set_user_opt_out(const core::UserId& user_id, bool opt_out,
                                                  core::TimePoint now) override;

 private:
  Database& db_;
};

}  // namespace ferr::storage::postgres
