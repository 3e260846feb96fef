#pragma once
/// A person's rights over what is stored about them (api.md "API tokens, sessions and the account
/// itself"): the export of GDPR Art. 15, across accounts, organizations and telemetry.

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "crypto/keyed_hash.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/accounts/user.hpp"
#include "domain/orgs/org_repository.hpp"
#include "domain/orgs/organization.hpp"
#include "domain/telemetry/event_row.hpp"
#include "domain/telemetry/telemetry_store.hpp"
#include "domain/tokens/token_repository.hpp"

namespace ferr::domain::privacy {

/// At most one export per user per this interval (api.md).
inline constexpr std::chrono::minutes kExportInterval{1};

/// Everything stored about one person, as `GET /auth/me/export` shows it.
struct AccountExport {
  core::TimePoint exported_at;
  accounts::User user;
  bool telemetry_opt_out = false;
  std::vector<accounts::SessionInfo> sessions;
  std::vector<tokens::ApiToken> api_tokens;  ///< live personal tokens, metadata only
  core::SessionId current_session;
  std::vector<orgs::Membership> memberships;
  std::vector<orgs::OrgAuditRecord> audit_entries_by_you;
  std::string pseudonym;  ///< the person's telemetry pseudonym under the current key
  std::string key_id;
  std::vector<telemetry::EventRow> telemetry_events;  ///< rows linked to the pseudonym
};

class PersonalData {
 public:
  PersonalData(accounts::AccountService& service, accounts::AccountRepository& accounts,
               orgs::OrgRepository& orgs, tokens::TokenRepository& tokens,
               telemetry::TelemetryStore& telemetry, const crypto::TelemetryKey& key,
               const core::Clock& clock);

  /// The principal's data; AUTH_UNAUTHORIZED without a live session, RATE_LIMIT_EXCEEDED (with
  /// Retry-After) within kExportInterval of the previous export.
  core::Task<core::Result<AccountExport>> export_account(const accounts::Principal& principal);

  /// The right to erasure: AccountService::erase_account, then the telemetry rows linked to the
  /// person's pseudonym (daily rollups hold none and stay).
  core::Task<core::Result<void>> erase_account(const accounts::Principal& principal,
                                               std::string_view password);

 private:
  accounts::AccountService& service_;
  accounts::AccountRepository& accounts_;
  tokens::TokenRepository& tokens_;
  orgs::OrgRepository& orgs_;
  telemetry::TelemetryStore& telemetry_;
  crypto::TelemetryKey key_;
  std::string key_id_;
  const core::Clock& clock_;
};

}  // namespace ferr::domain::privacy
