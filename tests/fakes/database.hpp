#pragma once
// The one in-memory "database" the fakes share, as the real repositories share one schema: an
// organization's member is a row of `users`, a telemetry opt-out is the flag of an organization
// or of a user's preferences, a principal's session is a row of `sessions`. Tests read the tables
// directly to check what a use case stored, and seed them through the helpers below.
//
// Every fake call is one transaction: it runs under `mutex`. The tables are plain containers; a
// test that reads or writes them while calls may run on other threads takes `mutex` too.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/id.hpp"
#include "domain/accounts/account_repository.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/accounts/user.hpp"
#include "domain/idempotency/idempotency_store.hpp"
#include "domain/orgs/organization.hpp"
#include "domain/subscriptions/subscription.hpp"
#include "domain/telemetry/event_row.hpp"
#include "domain/telemetry/opt_out.hpp"
#include "domain/tokens/api_token.hpp"

namespace ferr::fakes {

struct CodeRow {
  std::string code_hash;
  core::TimePoint expires_at;
  int failed_attempts = 0;
};

struct SessionRow {
  core::UserId user_id;
  core::TimePoint created_at;
  std::optional<core::TimePoint> revoked_at;
  std::optional<std::string> user_agent;
  core::TimePoint last_active_at;
  core::TimePoint expires_at;
};

struct RefreshTokenRow {
  core::SessionId session_id;
  core::TimePoint expires_at;
  std::optional<core::TimePoint> rotated_at;
};

struct ResetTokenRow {
  core::UserId user_id;
  core::TimePoint created_at;
  core::TimePoint expires_at;
  std::optional<core::TimePoint> used_at;
};

struct OrgRow {
  core::OrgId id;
  std::string slug;
  std::string name;
  bool telemetry_opt_out = false;
  core::TimePoint created_at;
  core::TimePoint updated_at;
};

struct MembershipRow {
  core::OrgId org_id;
  core::UserId user_id;
  domain::orgs::Role role = domain::orgs::Role::viewer;
  core::TimePoint joined_at;
};

/// An API token as stored (its hash, never its plaintext).
struct TokenRow {
  domain::tokens::NewToken stored;
};

struct AuditRow {
  core::OrgId org_id;
  domain::orgs::AuditRecord record;
};

struct IdempotencyRow {
  std::string fingerprint;
  core::TimePoint created_at;
  std::optional<domain::idempotency::StoredResponse> response;
};

/// One row of the daily rollup (`telemetry_daily`).
struct DailyRow {
  std::string day;  ///< YYYY-MM-DD
  std::string surface;
  std::string event;
  std::int64_t count = 0;
  std::int64_t distinct_orgs = 0;
  std::int64_t distinct_users = 0;
};

/// The UTC day of `t` as YYYY-MM-DD.
std::string utc_day(core::TimePoint t);

struct Database {
  mutable std::mutex mutex;

  // accounts
  std::map<core::UserId, domain::accounts::UserWithSecret> users;
  std::map<core::UserId, core::TimePoint> last_export_at;
  std::map<std::string, core::TimePoint> mail_throttle;  ///< by address: the last mail
  std::map<core::UserId, CodeRow> verification_codes;
  std::map<std::string, domain::accounts::LoginThrottle> login_throttle;  ///< by address
  std::map<std::string, core::TimePoint> login_last_failure;  ///< `last_failure_at`, by address
  std::map<core::SessionId, SessionRow> sessions;
  std::map<std::string, RefreshTokenRow> refresh_tokens;  ///< by token hash
  std::map<std::string, ResetTokenRow> password_resets;   ///< by token hash
  std::map<core::UserId, bool> user_opt_out;              ///< `user_prefs`
  /// When an org's or user's opt-out flag last changed value (`telemetry_opt_out_changed_at`).
  std::map<domain::telemetry::OptOutKey, core::TimePoint> opt_out_changed_at;
  // organizations
  std::vector<OrgRow> orgs;
  std::vector<MembershipRow> memberships;  ///< in the order they were made
  std::vector<AuditRow> audit_log;         ///< in write order (the `seq` column)
  std::map<std::pair<core::OrgId, domain::subscriptions::Product>,
           domain::subscriptions::Subscription>
      subscriptions;
  // idempotency
  std::map<std::pair<core::UserId, std::string>, IdempotencyRow> idempotency_keys;
  // API tokens
  std::vector<TokenRow> api_tokens;
  // telemetry
  std::vector<domain::telemetry::EventRow> telemetry_events;
  std::vector<DailyRow> telemetry_daily;

  // --- Reads the fakes share (the caller holds `mutex`) ----------------------------------------

  /// The account with this address.
  domain::accounts::UserWithSecret* user_by_email(std::string_view email);
  /// Whether the principal's session exists, is not revoked and belongs to its user.
  bool session_live(const domain::accounts::Principal& principal) const;
  OrgRow* org_by_id(const core::OrgId& id);
  OrgRow* org_by_slug(std::string_view slug);
  MembershipRow* membership(const core::OrgId& org, const core::UserId& user);
  /// The organization as `viewer` sees it; nullopt when the org is missing or `viewer` is not a
  /// member.
  /// The org as `viewer` sees it (nullopt when they are no member); without a viewer, the org
  /// with a placeholder role.
  std::optional<domain::orgs::OrgView> view(const core::OrgId& org,
                                            const std::optional<core::UserId>& viewer);
  /// Audit rows of `org`, oldest first.
  std::vector<domain::orgs::AuditRecord> audit_of(const core::OrgId& org) const;

  // --- Seeding, for tests (each takes `mutex`) -------------------------------------------------

  /// An account (active unless told otherwise) with a new id.
  core::UserId add_user(const std::string& email, bool active = true,
                        const std::string& password_hash = "hash");
  /// A new live session of `user`, as the principal of its access tokens.
  domain::accounts::Principal sign_in(const core::UserId& user);
  /// Revokes the principal's session.
  void revoke(const domain::accounts::Principal& principal);
  /// An organization without members.
  core::OrgId add_org(const std::string& slug, const std::string& name);
  /// Makes `user` a member of `org`.
  void add_member(const core::OrgId& org, const core::UserId& user, domain::orgs::Role role);

  /// A fresh id, different on every call (not time-ordered).
  template <typename IdType>
  IdType next_id() {
    core::Uuid uuid;
    auto n = ++ids_;
    uuid.bytes[0] = 0xfa;  // apart from the UUIDv7s the services make
    for (int i = 0; i < 8; ++i) uuid.bytes[15 - i] = static_cast<std::uint8_t>(n >> (8 * i));
    return IdType{uuid};
  }

  /// The time seeded rows are stamped with.
  core::TimePoint seeded_at =
      core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 1));

 private:
  std::uint64_t ids_ = 0;
};

}  // namespace ferr::fakes
