#pragma once
// AccountRepository in memory, with the contract of the real ones: registration asks
// decide_registration, a login failure locks for login_lock_for(count), a refresh token asks
// decide_refresh, and every principal's step checks the session in the same call.

#include <optional>
#include <string>
#include <utility>

#include "domain/accounts/account_repository.hpp"
#include "fakes/database.hpp"
#include "fakes/hooks.hpp"

namespace ferr::fakes {

class FakeAccountRepository final : public domain::accounts::AccountRepository {
 public:
  explicit FakeAccountRepository(Database& db) : db_(db) {}

  /// Counts, fails and holds calls; method names are those of the interface.
  Hooks hooks;

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

}  // namespace ferr::fakes
