#include "storage/postgres/account_repository.hpp"

#include <string_view>
#include <utility>
#include <vector>

#include "core/stored_value.hpp"
#include "core/try.hpp"
#include "domain/accounts/account_rules.hpp"
#include "domain/accounts/login_throttle.hpp"
#include "domain/orgs/role.hpp"
#include "storage/postgres/audit_writer.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/statements.hpp"

namespace ferr::storage::postgres {

using core::Error;
using core::fail;
using core::Result;
using core::Task;
using core::TimePoint;
namespace accounts = domain::accounts;
namespace orgs = domain::orgs;

namespace {

std::optional<accounts::StoredStatus> parse_user_status(std::string_view text) {
  if (text == "pending") return accounts::StoredStatus::pending;
  if (text == "active") return accounts::StoredStatus::active;
  return std::nullopt;
}

/// `users.status` in (row, column); a value the code does not know fails loudly.
Result<accounts::StoredStatus> read_status(const QueryResult& rows, int row, int column) {
  FERR_TRY(auto text, rows.string(row, column));
  return core::known_stored_value(parse_user_status(text), "users.status", text);
}

/// The first row of a statement returning user_by_email's columns; nullopt when there is none.
Result<std::optional<accounts::UserWithSecret>> first_user(const QueryResult& rows) {
  if (rows.rows() == 0) return std::optional<accounts::UserWithSecret>{};
  accounts::UserWithSecret u;
  FERR_TRY(u.user.id, read_id<core::UserId>(rows, 0, 0));
  FERR_TRY(u.user.email, rows.string(0, 1));
  FERR_TRY(const auto status, read_status(rows, 0, 2));
  u.user.active = status == accounts::StoredStatus::active;
  FERR_TRY(u.user.display_name, rows.optional_string(0, 3));
  FERR_TRY(u.user.timezone, rows.string(0, 4));
  FERR_TRY(u.user.locale, rows.string(0, 5));
  FERR_TRY(u.user.created_at, read_time(rows, 0, 6));
  FERR_TRY(u.user.updated_at, read_time(rows, 0, 7));
  FERR_TRY(u.password_hash, rows.string(0, 8));
  FERR_TRY(u.user.avatar_url, rows.optional_string(0, 9));
  FERR_TRY(u.user.last_login_at, read_optional_time(rows, 0, 10));
  return std::optional<accounts::UserWithSecret>{std::move(u)};
}

/// first_user without the password hash.
Result<std::optional<accounts::User>> first_user_public(const QueryResult& rows) {
  FERR_TRY(auto found, first_user(rows));
  if (!found) return std::optional<accounts::User>{};
  return std::optional<accounts::User>{std::move(found->user)};
}

/// The single count a statement answers with.
Result<std::int64_t> count_of(const QueryResult& rows) { return rows.int64(0, 0); }

}  // namespace

Task<Result<std::pair<accounts::RegisterOutcome, core::UserId>>>
PgAccountRepository::register_account(const std::string& email, const std::string& password_hash,
                                      const std::optional<std::string>& display_name,
                                      const core::UserId& new_id, TimePoint now) {
  using Outcome = std::pair<accounts::RegisterOutcome, core::UserId>;
  // The address taken: lock its account and let decide_registration say what happens to it.
  // nullopt: the account vanished meanwhile (deleted), so the insert is tried again.
  auto existing = [&](Transaction& tx) -> Task<Result<std::optional<Outcome>>> {
    FERR_CO_TRY(auto locked, co_await tx.query(sql::lock_user_by_email, email));
    FERR_CO_TRY(auto found, first_user(locked));
    if (!found) co_return std::optional<Outcome>{};
    const core::UserId id = found->user.id;
    const auto status =
        found->user.active ? accounts::StoredStatus::active : accounts::StoredStatus::pending;
    switch (accounts::decide_registration(status)) {
      case accounts::RegisterAction::update_pending: {
        std::vector<Statement> update;
        update.push_back(
            {sql::update_pending_user, {password_hash, display_name, to_ms(now), id.to_string()}});
        FERR_CO_CHECK(co_await tx.commit_with(std::move(update)));
        co_return Outcome{accounts::RegisterOutcome::pending_updated, id};
      }
      case accounts::RegisterAction::leave_active:
        co_return Outcome{accounts::RegisterOutcome::already_active, id};
      case accounts::RegisterAction::create: break;
    }
    co_return std::optional<Outcome>{};
  };
  for (int attempt = 0; attempt < 3; ++attempt) {
    // One round trip in the common case. The insert waits for a concurrent registration of the
    // address and yields no row if that one committed.
    FERR_CO_TRY(auto inserted,
                co_await db_.pool().query(sql::register_user, new_id.to_string(), email,
                                          password_hash, display_name, to_ms(now)));
    if (inserted.rows() == 1) co_return Outcome{accounts::RegisterOutcome::created, new_id};
    FERR_CO_TRY(auto decided, co_await in_transaction(db_.pool(), existing));
    if (decided) co_return *decided;
  }
  co_return fail(Error::database("register_account: the address kept appearing and vanishing"));
}

Task<Result<bool>> PgAccountRepository::claim_mail_slot(const std::string& email, TimePoint now,
                                                        TimePoint not_since) {
  FERR_CO_TRY(auto rows,
              co_await db_.pool().query(sql::mail_slot, email, to_ms(now), to_ms(not_since)));
  co_return rows.rows() == 1;
}

Task<Result<void>> PgAccountRepository::store_verification_code(const core::UserId& user_id,
                                                                const std::string& code_hash,
                                                                TimePoint expires_at) {
  FERR_CO_CHECK(co_await db_.pool().query(sql::store_verification_code, user_id.to_string(),
                                          code_hash, to_ms(expires_at)));
  co_return Result<void>{};
}

Task<Result<std::optional<accounts::StoredCode>>> PgAccountRepository::find_verification_code(
    const std::string& email) {
  using Found = std::optional<accounts::StoredCode>;
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::find_verification_code, email));
  if (rows.rows() == 0) co_return Found{};
  accounts::StoredCode code;
  FERR_CO_TRY(code.user_id, read_id<core::UserId>(rows, 0, 0));
  FERR_CO_TRY(const auto status, read_status(rows, 0, 1));
  code.user_active = status == accounts::StoredStatus::active;
  if (!rows.is_null(0, 2)) {  // a code is outstanding
    FERR_CO_TRY(code.code_hash, rows.string(0, 2));
    FERR_CO_TRY(code.expires_at, read_time(rows, 0, 3));
    FERR_CO_TRY(const std::int64_t failures, rows.int64(0, 4));
    code.failed_attempts = static_cast<int>(failures);
  }
  co_return Found{std::move(code)};
}

Task<Result<int>> PgAccountRepository::record_code_failure(const core::UserId& user_id) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::record_code_failure, user_id.to_string()));
  if (rows.rows() == 0) co_return 0;
  FERR_CO_TRY(const std::int64_t failures, rows.int64(0, 0));
  co_return static_cast<int>(failures);
}

Task<Result<bool>> PgAccountRepository::activate(const core::UserId& user_id, TimePoint now) {
  FERR_CO_TRY(auto rows,
              co_await db_.pool().query(sql::activate_user, to_ms(now), user_id.to_string()));
  FERR_CO_TRY(const std::int64_t activated, count_of(rows));
  co_return activated == 1;
}

Task<Result<std::optional<accounts::UserWithSecret>>> PgAccountRepository::find_by_email(
    const std::string& email) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::user_by_email, email));
  co_return first_user(rows);
}

Task<Result<std::optional<accounts::User>>> PgAccountRepository::find_by_id(
    const core::UserId& id) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::user_by_id, id.to_string()));
  co_return first_user_public(rows);
}

Task<Result<std::optional<accounts::User>>> PgAccountRepository::find_by_session(
    const accounts::Principal& principal) {
  FERR_CO_TRY(auto rows,
              co_await db_.pool().shared_query(sql::user_by_session, principal.user_id.to_string(),
                                               principal.session_id.to_string()));
  co_return first_user_public(rows);
}

Task<Result<void>> PgAccountRepository::update_password_hash(const core::UserId& user_id,
                                                             const std::string& hash,
                                                             TimePoint now) {
  FERR_CO_CHECK(
      co_await db_.pool().query(sql::update_password_hash, hash, to_ms(now), user_id.to_string()));
  co_return Result<void>{};
}

Task<Result<std::optional<accounts::User>>> PgAccountRepository::update_profile(
    const accounts::Principal& principal, const accounts::ProfilePatch& patch, TimePoint now) {
  // Each member is replaced only when the patch carries it (flags $1, $3, $5, $10); the session
  // check is part of the statement.
  std::vector<Param> params{patch.set_display_name,
                            patch.display_name,
                            patch.timezone.has_value(),
                            patch.timezone,
                            patch.locale.has_value(),
                            patch.locale,
                            to_ms(now),
                            principal.user_id.to_string(),
                            principal.session_id.to_string(),
                            patch.set_avatar_url,
                            patch.avatar_url};
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::update_profile, std::move(params)));
  co_return first_user_public(rows);
}

Task<Result<accounts::LoginThrottle>> PgAccountRepository::login_throttle(
    const std::string& email) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::login_throttle, email));
  accounts::LoginThrottle t;
  if (rows.rows() == 0) co_return t;
  FERR_CO_TRY(const std::int64_t failures, rows.int64(0, 0));
  t.consecutive_failures = static_cast<int>(failures);
  FERR_CO_TRY(t.locked_until, read_optional_time(rows, 0, 1));
  co_return t;
}

Task<Result<accounts::LoginThrottle>> PgAccountRepository::record_login_failure(
    const std::string& email, TimePoint now) {
  // One round trip below the lock threshold, two from it; no transaction: the upsert gives each
  // concurrent failure its own count, and lock_login only ever lengthens the lock, so two
  // failures setting theirs in either order leave the lock of the higher count.
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::login_failure, email, to_ms(now)));
  FERR_CO_TRY(const std::int64_t failures, rows.int64(0, 0));
  accounts::LoginThrottle t;
  t.consecutive_failures = static_cast<int>(failures);
  const auto lock = accounts::login_lock_for(t.consecutive_failures);
  if (lock.count() > 0) {
    t.locked_until = now + lock;
    FERR_CO_CHECK(co_await db_.pool().query(sql::lock_login, to_ms(*t.locked_until), email));
  }
  co_return t;
}

Task<Result<void>> PgAccountRepository::reset_login_failures(const std::string& email) {
  FERR_CO_CHECK(co_await db_.pool().query(sql::reset_login_failures, email));
  co_return Result<void>{};
}

Task<Result<std::optional<TimePoint>>> PgAccountRepository::claim_export_slot(
    const core::UserId& user_id, TimePoint now, TimePoint not_since) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::export_slot, user_id.to_string(),
                                                   to_ms(now), to_ms(not_since)));
  FERR_CO_TRY(const bool claimed, rows.boolean(0, 0));
  if (claimed) co_return std::optional<TimePoint>{};
  FERR_CO_TRY(auto previous, read_optional_time(rows, 0, 1));
  // No previous export yet no claim: the user row is gone; nothing holds the slot but now.
  co_return std::optional<TimePoint>{previous.value_or(now)};
}

Task<Result<void>> PgAccountRepository::create_session(const accounts::NewSession& session,
                                                       TimePoint now) {
  // One round trip; a pipeline is all or nothing, like SQLite's transaction.
  const std::string session_id = session.id.to_string();
  const std::string user_id = session.user_id.to_string();
  std::vector<Statement> statements;
  statements.push_back(
      {sql::create_session,
       {session_id, user_id, to_ms(now), session.user_agent, to_ms(session.refresh_expires)}});
  statements.push_back({sql::insert_refresh_token,
                        {session.refresh_hash, session_id, to_ms(session.refresh_expires)}});
  statements.push_back({sql::record_login, {to_ms(now), user_id}});
  FERR_CO_CHECK(co_await db_.pool().pipeline(std::move(statements)));
  co_return Result<void>{};
}

Task<Result<std::optional<std::vector<accounts::SessionInfo>>>> PgAccountRepository::list_sessions(
    const accounts::Principal& principal, TimePoint now) {
  using Found = std::optional<std::vector<accounts::SessionInfo>>;
  // The caller's session check and the list in one round trip.
  std::vector<Statement> statements;
  statements.push_back(
      {sql::session_active, {principal.session_id.to_string(), principal.user_id.to_string()}});
  statements.push_back({sql::list_sessions, {principal.user_id.to_string(), to_ms(now)}});
  FERR_CO_TRY(auto results, co_await db_.pool().pipeline(std::move(statements)));
  if (results[0].rows() == 0) co_return Found{};
  const QueryResult& rows = results[1];
  std::vector<accounts::SessionInfo> sessions;
  sessions.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) {
    accounts::SessionInfo s;
    FERR_CO_TRY(s.id, read_id<core::SessionId>(rows, r, 0));
    FERR_CO_TRY(s.user_agent, rows.optional_string(r, 1));
    FERR_CO_TRY(s.last_active_at, read_time(rows, r, 2));
    FERR_CO_TRY(s.expires_at, read_time(rows, r, 3));
    FERR_CO_TRY(s.created_at, read_time(rows, r, 4));
    sessions.push_back(std::move(s));
  }
  co_return Found{std::move(sessions)};
}

Task<Result<accounts::SessionRevocation>> PgAccountRepository::revoke_session_by_id(
    const accounts::Principal& principal, const core::SessionId& session_id, TimePoint now) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(
                             sql::revoke_session_by_id, principal.user_id.to_string(),
                             principal.session_id.to_string(), session_id.to_string(), to_ms(now)));
  FERR_CO_TRY(const bool caller_live, rows.boolean(0, 0));
  FERR_CO_TRY(const bool revoked, rows.boolean(0, 1));
  if (!caller_live) co_return accounts::SessionRevocation::caller_not_live;
  co_return revoked ? accounts::SessionRevocation::revoked : accounts::SessionRevocation::not_found;
}

Task<Result<bool>> PgAccountRepository::session_active(const accounts::Principal& principal) {
  FERR_CO_TRY(auto rows, co_await db_.pool().shared_query(sql::session_active,
                                                          principal.session_id.to_string(),
                                                          principal.user_id.to_string()));
  co_return rows.rows() > 0;
}

Task<Result<accounts::RefreshOutcome>> PgAccountRepository::rotate_refresh_token(
    const accounts::RefreshRotation& rotation, TimePoint now) {
  using Kind = accounts::RefreshOutcome::Kind;
  auto body = [&](Transaction& tx) -> Task<Result<accounts::RefreshOutcome>> {
    // BEGIN + the token, locked until commit: the same token presented twice at once waits
    // here, then sees it spent (within the grace window: reissued).
    FERR_CO_TRY(auto rows, co_await tx.query(sql::lock_refresh_token, rotation.presented_hash));
    accounts::RefreshOutcome out;
    if (rows.rows() == 0) co_return out;  // unknown
    FERR_CO_TRY(out.session_id, read_id<core::SessionId>(rows, 0, 0));
    FERR_CO_TRY(out.user_id, read_id<core::UserId>(rows, 0, 1));
    accounts::StoredRefreshToken token;
    FERR_CO_TRY(token.expires_at, read_time(rows, 0, 2));
    FERR_CO_TRY(token.rotated_at, read_optional_time(rows, 0, 3));
    FERR_CO_TRY(token.session_revoked, rows.boolean(0, 4));

    std::vector<Statement> writes;
    switch (accounts::decide_refresh(token, now)) {
      case accounts::RefreshAction::rotate:
        writes.push_back({sql::spend_refresh_token, {to_ms(now), rotation.presented_hash}});
        writes.push_back(
            {sql::insert_refresh_token,
             {rotation.new_hash, out.session_id.to_string(), to_ms(rotation.new_expires)}});
        writes.push_back({sql::touch_session,
                          {to_ms(now), to_ms(rotation.new_expires), out.session_id.to_string()}});
        out.kind = Kind::rotated;
        break;
      case accounts::RefreshAction::revoke_family:
        writes.push_back({sql::revoke_family, {to_ms(now), out.session_id.to_string()}});
        out.kind = Kind::reused;
        break;
      case accounts::RefreshAction::reissue: out.kind = Kind::reissued; break;
      case accounts::RefreshAction::refuse: out.kind = Kind::expired; break;
    }
    // The writes + COMMIT: the second and last round trip.
    FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));
    co_return out;
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<bool>> PgAccountRepository::revoke_session(const accounts::Principal& principal,
                                                       TimePoint now) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::revoke_session, to_ms(now),
                                                   principal.session_id.to_string(),
                                                   principal.user_id.to_string()));
  co_return rows.affected_rows() == 1;
}

Task<Result<void>> PgAccountRepository::store_reset_token(const core::UserId& user_id,
                                                          const std::string& token_hash,
                                                          TimePoint expires_at, TimePoint now) {
  FERR_CO_CHECK(co_await db_.pool().query(sql::store_reset_token, token_hash, user_id.to_string(),
                                          to_ms(now), to_ms(expires_at)));
  co_return Result<void>{};
}

Task<Result<std::optional<accounts::StoredResetToken>>> PgAccountRepository::find_reset_token(
    const std::string& token_hash) {
  using Found = std::optional<accounts::StoredResetToken>;
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::find_reset_token, token_hash));
  if (rows.rows() == 0) co_return Found{};
  accounts::StoredResetToken t;
  FERR_CO_TRY(t.user_id, read_id<core::UserId>(rows, 0, 0));
  FERR_CO_TRY(t.email, rows.string(0, 1));
  FERR_CO_TRY(t.expires_at, read_time(rows, 0, 2));
  FERR_CO_TRY(t.used, rows.boolean(0, 3));
  co_return Found{std::move(t)};
}

Task<Result<bool>> PgAccountRepository::complete_password_reset(const std::string& token_hash,
                                                                const core::UserId& user_id,
                                                                const std::string& email,
                                                                const std::string& new_hash,
                                                                TimePoint now) {
  // One statement: spending the token decides whether the rest happens.
  FERR_CO_TRY(auto rows,
              co_await db_.pool().query(sql::complete_password_reset, to_ms(now), token_hash,
                                        user_id.to_string(), email, new_hash));
  FERR_CO_TRY(const std::int64_t spent, count_of(rows));
  co_return spent == 1;
}

Task<Result<accounts::HousekeepingRemoved>> PgAccountRepository::delete_expired(
    const accounts::HousekeepingCutoffs& cutoffs) {
  // BEGIN + the lock | the deletes + COMMIT; the lock ends with the transaction.
  auto body = [&](Transaction& tx) -> Task<Result<accounts::HousekeepingRemoved>> {
    accounts::HousekeepingRemoved removed;
    FERR_CO_TRY(auto locked, co_await tx.query(sql::housekeeping_lock, kHousekeepingLockKey));
    FERR_CO_TRY(const bool held, locked.boolean(0, 0));
    if (!held) {
      removed.ran = false;
      co_return removed;
    }
    std::vector<Statement> deletes;
    deletes.push_back({sql::purge_verification_codes, {to_ms(cutoffs.codes_expired_before)}});
    deletes.push_back({sql::purge_reset_tokens, {to_ms(cutoffs.reset_tokens_ended_before)}});
    deletes.push_back({sql::purge_refresh_tokens, {to_ms(cutoffs.refresh_tokens_expired_before)}});
    deletes.push_back({sql::purge_sessions, {to_ms(cutoffs.sessions_ended_before)}});
    deletes.push_back({sql::purge_pending_accounts,
                       {to_ms(cutoffs.pending_registered_before), to_ms(cutoffs.now)}});
    deletes.push_back({sql::purge_mail_throttle, {to_ms(cutoffs.mail_sent_before)}});
    deletes.push_back(
        {sql::purge_login_throttle, {to_ms(cutoffs.login_failed_before), to_ms(cutoffs.now)}});
    FERR_CO_TRY(auto results, co_await tx.commit_with(std::move(deletes)));
    std::int64_t* counts[] = {&removed.verification_codes, &removed.reset_tokens,
                              &removed.refresh_tokens,     &removed.sessions,
                              &removed.pending_accounts,   &removed.mail_throttle,
                              &removed.login_throttle};
    for (std::size_t i = 0; i < results.size(); ++i) {
      FERR_CO_TRY(*counts[i], results[i].int64(0, 0));
    }
    co_return removed;
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<accounts::Erasure>> PgAccountRepository::erase_account(
    const core::UserId& user_id, const std::string& email, const accounts::RemovalAudit& audit,
    TimePoint now) {
  auto body = [&](Transaction& tx) -> Task<Result<accounts::Erasure>> {
    // BEGIN + the user and their orgs locked, with what the last-owner rule needs.
    std::vector<Statement> reads;
    reads.push_back({sql::lock_user, {user_id.to_string()}});
    reads.push_back({sql::memberships_for_erasure, {user_id.to_string()}});
    FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
    const QueryResult& rows = read[1];
    std::vector<accounts::ErasedMembership> memberships;
    for (int r = 0; r < rows.rows(); ++r) {
      accounts::ErasedMembership m;
      FERR_CO_TRY(m.org_id, read_id<core::OrgId>(rows, r, 0));
      FERR_CO_TRY(m.slug, rows.string(r, 1));
      FERR_CO_TRY(auto role, rows.string(r, 2));
      FERR_CO_TRY(m.role,
                  core::known_stored_value(orgs::parse_role(role), "org_memberships.role", role));
      FERR_CO_TRY(const std::int64_t owners, rows.int64(r, 3));
      m.owners = static_cast<int>(owners);
      memberships.push_back(std::move(m));
    }
    accounts::Erasure erasure{accounts::sole_owner_orgs(memberships)};
    if (!erasure.sole_owner_of.empty()) co_return erasure;  // commits nothing
    std::vector<Statement> writes;
    writes.reserve(memberships.size() + 1);
    for (const auto& m : memberships) writes.push_back(insert_audit(m.org_id, audit(m)));
    writes.push_back({sql::erase_user, {user_id.to_string(), email, to_ms(now)}});
    FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));
    co_return erasure;
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<bool>> PgAccountRepository::user_opt_out(const core::UserId& user_id) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::user_opt_out, user_id.to_string()));
  if (rows.rows() == 0) co_return false;  // no row: not opted out
  co_return rows.boolean(0, 0);
}

Task<Result<void>> PgAccountRepository::set_user_opt_out(const core::UserId& user_id, bool opt_out,
                                                         TimePoint now) {
  FERR_CO_CHECK(
      co_await db_.pool().query(sql::set_user_opt_out, user_id.to_string(), opt_out, to_ms(now)));
  co_return Result<void>{};
}

}  // namespace ferr::storage::postgres
