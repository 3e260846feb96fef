#include "domain/privacy/personal_data.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "core/try.hpp"
#include "domain/accounts/session_check.hpp"

namespace ferr::domain::privacy {

using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::Task;

PersonalData::PersonalData(accounts::AccountService& service, accounts::AccountRepository& accounts,
                           orgs::OrgRepository& orgs, tokens::TokenRepository& tokens,
                           telemetry::TelemetryStore& telemetry, const crypto::TelemetryKey& key,
                           const core::Clock& clock)
    : service_(service),
      accounts_(accounts),
      tokens_(tokens),
      orgs_(orgs),
      telemetry_(telemetry),
      key_(key),
      key_id_(crypto::key_id(key_)),
      clock_(clock) {}

Task<Result<AccountExport>> PersonalData::export_account(const accounts::Principal& principal) {
  // The session check and the user in one read; then the slot, so that a refused caller is told
  // so before anything else is read.
  FERR_CO_TRY(auto user, co_await accounts_.find_by_session(principal));
  if (!user) co_return fail(accounts::unauthorized());
  const auto now = clock_.now();
  FERR_CO_TRY(auto held,
              co_await accounts_.claim_export_slot(user->id, now, now - kExportInterval));
  if (held) {
    Error e = Error::make(ErrorCode::rate_limit_exceeded, "one export per minute: try again later");
    const auto wait = std::chrono::ceil<std::chrono::seconds>(*held + kExportInterval - now);
    e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, wait.count()));
    co_return fail(std::move(e));
  }

  AccountExport out;
  out.exported_at = now;
  out.current_session = principal.session_id;
  FERR_CO_TRY(out.telemetry_opt_out, co_await accounts_.user_opt_out(user->id));
  FERR_CO_TRY(auto sessions, co_await accounts_.list_sessions(principal, now));
  if (sessions) out.sessions = std::move(*sessions);
  FERR_CO_TRY(auto tokens, co_await tokens_.personal_tokens(principal, now));
  if (tokens) out.api_tokens = std::move(*tokens);
  FERR_CO_TRY(out.memberships, co_await orgs_.memberships_of(user->id));
  FERR_CO_TRY(out.audit_entries_by_you, co_await orgs_.audit_by_actor(user->id));
  out.pseudonym = crypto::pseudonym(key_, user->id.value);
  out.key_id = key_id_;
  FERR_CO_TRY(out.telemetry_events, co_await telemetry_.rows_of_pseudonym(out.pseudonym));
  out.user = std::move(*user);
  co_return out;
}

Task<Result<void>> PersonalData::erase_account(const accounts::Principal& principal,
                                               std::string_view password) {
  FERR_CO_TRY(auto erased, co_await service_.erase_account(principal, password));
  // After the account's transaction: a failure here leaves rows that no account links to any
  // more; the 500 says so and retention removes them within its window.
  FERR_CO_CHECK(
      co_await telemetry_.delete_rows_of_pseudonym(crypto::pseudonym(key_, erased.id.value)));
  co_return Result<void>{};
}

}  // namespace ferr::domain::privacy
