#include "storage/sqlite/account_repository.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/try.hpp"
#include "domain/accounts/account_rules.hpp"
#include "domain/accounts/login_throttle.hpp"
#include "domain/orgs/role.hpp"
#include "storage/sqlite/audit_writer.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/shared_sql.hpp"

namespace ferr::storage::sqlite {

using core::fail;
using core::Result;
using core::Task;
using core::TimePoint;
using core::UserId;
namespace accounts = domain::accounts;

namespace {

// --- Statements used by more than one method (each text lives here once) ---------------------

constexpr std::string_view kUserColumns =
    "id, email, status, display_name, timezone, locale, created_at, updated_at, password_hash, "
    "avatar_url, last_login_at";

const std::string kUserByEmail =
    "SELECT " + std::string(kUserColumns) + " FROM users WHERE email = ?";
const std::string kUserById = "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?";
// The principal's account when its session is live: ?1 session, ?2 user.
const std::string kUserBySession = "SELECT " + std::string(kUserColumns) +
                                   " FROM users WHERE id = ?2 AND " + std::string(kSessionIsLive);
// Each member is replaced only when the patch carries it (flags ?3, ?5, ?7, ?10); nothing is
// changed unless the principal's session is live (?1 session, ?2 user).
const std::string kUpdateProfile =
    "UPDATE users SET display_name = CASE WHEN ?3 THEN ?4 ELSE display_name END, "
    "timezone = CASE WHEN ?5 THEN ?6 ELSE timezone END, "
    "locale = CASE WHEN ?7 THEN ?8 ELSE locale END, "
    "avatar_url = CASE WHEN ?10 THEN ?11 ELSE avatar_url END, updated_at = ?9 "
    "WHERE id = ?2 AND " +
    std::string(kSessionIsLive) + " RETURNING " + std::string(kUserColumns);
const std::string kSessionActive = "SELECT " + std::string(kSessionIsLive);

constexpr std::string_view kSetPasswordHash =
    "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)";
constexpr std::string_view kClearLoginThrottle = "DELETE FROM login_throttle WHERE email = ?";

// ---------------------------------------------------------------------------------------------

std::optional<accounts::StoredStatus> parse_user_status(std::string_view text) {
  if (text == "pending") return accounts::StoredStatus::pending;
  if (text == "active") return accounts::StoredStatus::active;
  return std::nullopt;
}

Result<accounts::StoredStatus> read_user_status(const Statement& row, int column) {
  return read_enum(row, column, parse_user_status, "users.status");
}

/// A row of kUserColumns.
Result<accounts::UserWithSecret> read_user(const Statement& row) {
  accounts::UserWithSecret u;
  u.user.id = read_id<UserId>(row, 0);
  u.user.email = row.column_text(1);
  FERR_TRY(auto status, read_user_status(row, 2));
  u.user.active = status == accounts::StoredStatus::active;
  if (!row.column_is_null(3)) u.user.display_name = row.column_text(3);
  u.user.timezone = row.column_text(4);
  u.user.locale = row.column_text(5);
  u.user.created_at = from_ms(row.column_int(6));
  u.user.updated_at = from_ms(row.column_int(7));
  u.password_hash = row.column_text(8);
  if (!row.column_is_null(9)) u.user.avatar_url = row.column_text(9);
  if (!row.column_is_null(10)) u.user.last_login_at = from_ms(row.column_int(10));
  return u;
}

/// The one row `q` (already bound) yields, if any.
Result<std::optional<accounts::UserWithSecret>> one_user(StatementScope& q) {
  FERR_TRY(bool found, q->step());
  if (!found) return std::optional<accounts::UserWithSecret>{};
  FERR_TRY(auto user, read_user(*q));
  // A RETURNING statement finishes its change when it is stepped to the end.
  FERR_CHECK(q->run());
  return std::optional<accounts::UserWithSecret>{std::move(user)};
}

std::optional<accounts::User> without_secret(std::optional<accounts::UserWithSecret> found) {
  if (!found) return std::nullopt;
  return std::move(found->user);
}

}  // namespace

Task<Result<std::pair<accounts::RegisterOutcome, UserId>>>
SqliteAccountRepository::register_account(const std::string& email,
                                          const std::string& password_hash,
                                          const std::optional<std::string>& display_name,
                                          const UserId& new_id, TimePoint now) {
  using Outcome = std::pair<accounts::RegisterOutcome, UserId>;
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<Outcome> {
    FERR_TRY(auto existing, c.query("SELECT id, status FROM users WHERE email = ?"));
    existing->bind(1, email);
    FERR_TRY(bool found, existing->step());
    std::optional<accounts::StoredStatus> status;
    UserId user_id = new_id;
    if (found) {
      user_id = read_id<UserId>(*existing, 0);
      FERR_TRY(status, read_user_status(*existing, 1));
    }
    switch (accounts::decide_registration(status)) {
      case accounts::RegisterAction::leave_active:
        return Outcome{accounts::RegisterOutcome::already_active, user_id};
      case accounts::RegisterAction::update_pending: {
        FERR_TRY(auto q, c.query("UPDATE users SET password_hash = ?, display_name = "
                                 "coalesce(?, display_name), updated_at = ? WHERE id = ?"));
        q->bind(1, password_hash).bind(3, to_ms(now)).bind(4, user_id);
        bind_optional(*q, 2, display_name);
        FERR_CHECK(q->run());
        return Outcome{accounts::RegisterOutcome::pending_updated, user_id};
      }
      case accounts::RegisterAction::create: break;
    }
    FERR_TRY(auto q, c.query("INSERT INTO users (id, email, password_hash, status, display_name, "
                             "created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)"));
    q->bind(1, new_id)
        .bind(2, email)
        .bind(3, password_hash)
        .bind(5, to_ms(now))
        .bind(6, to_ms(now));
    bind_optional(*q, 4, display_name);
    FERR_CHECK(q->run());
    return Outcome{accounts::RegisterOutcome::created, new_id};
  });
}

Task<Result<bool>> SqliteAccountRepository::claim_mail_slot(const std::string& email, TimePoint now,
                                                            TimePoint not_since) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<bool> {
    // One statement: insert, or move the time forward only when the last mail is old enough.
    FERR_TRY(auto q, c.query("INSERT INTO mail_throttle (email, last_sent_at) VALUES (?, ?) "
                             "ON CONFLICT (email) DO UPDATE SET last_sent_at = "
                             "excluded.last_sent_at WHERE mail_throttle.last_sent_at <= ?"));
    q->bind(1, email).bind(2, to_ms(now)).bind(3, to_ms(not_since));
    FERR_CHECK(q->run());
    return c.changes() == 1;
  });
}

Task<Result<void>> SqliteAccountRepository::store_verification_code(const UserId& user_id,
                                                                    const std::string& code_hash,
                                                                    TimePoint expires_at) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query("INSERT INTO verification_codes (user_id, code_hash, expires_at, "
                             "failed_attempts) VALUES (?, ?, ?, 0) ON CONFLICT (user_id) DO "
                             "UPDATE SET code_hash = excluded.code_hash, expires_at = "
                             "excluded.expires_at, failed_attempts = 0"));
    q->bind(1, user_id).bind(2, code_hash).bind(3, to_ms(expires_at));
    return q->run();
  });
}

Task<Result<std::optional<accounts::StoredCode>>> SqliteAccountRepository::find_verification_code(
    const std::string& email) {
  co_return co_await db_.read_async(
      [&](Connection& c) -> Result<std::optional<accounts::StoredCode>> {
        FERR_TRY(auto q, c.query("SELECT u.id, u.status, v.code_hash, v.expires_at, "
                                 "v.failed_attempts FROM users u LEFT JOIN verification_codes v "
                                 "ON v.user_id = u.id WHERE u.email = ?"));
        q->bind(1, email);
        FERR_TRY(bool found, q->step());
        if (!found) return std::optional<accounts::StoredCode>{};
        accounts::StoredCode code;
        code.user_id = read_id<UserId>(*q, 0);
        FERR_TRY(auto status, read_user_status(*q, 1));
        code.user_active = status == accounts::StoredStatus::active;
        if (!q->column_is_null(2)) {
          code.code_hash = q->column_text(2);
          code.expires_at = from_ms(q->column_int(3));
          code.failed_attempts = static_cast<int>(q->column_int(4));
        }
        return std::optional<accounts::StoredCode>{std::move(code)};
      });
}

Task<Result<int>> SqliteAccountRepository::record_code_failure(const UserId& user_id) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<int> {
    FERR_TRY(auto q, c.query("UPDATE verification_codes SET failed_attempts = failed_attempts + 1 "
                             "WHERE user_id = ? RETURNING failed_attempts"));
    q->bind(1, user_id);
    FERR_TRY(bool row, q->step());
    int failures = row ? static_cast<int>(q->column_int(0)) : 0;
    FERR_CHECK(q->run());
    return failures;
  });
}

Task<Result<bool>> SqliteAccountRepository::activate(const UserId& user_id, TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<bool> {
    FERR_TRY(auto q, c.query("UPDATE users SET status = 'active', updated_at = ? WHERE id = ? AND "
                             "status = 'pending'"));
    q->bind(1, to_ms(now)).bind(2, user_id);
    FERR_CHECK(q->run());
    if (c.changes() != 1) return false;
    FERR_TRY(auto del, c.query("DELETE FROM verification_codes WHERE user_id = ?"));
    del->bind(1, user_id);
    FERR_CHECK(del->run());
    return true;
  });
}

Task<Result<std::optional<accounts::UserWithSecret>>> SqliteAccountRepository::find_by_email(
    const std::string& email) {
  co_return co_await db_.read_async(
      [&](Connection& c) -> Result<std::optional<accounts::UserWithSecret>> {
        FERR_TRY(auto q, c.query(kUserByEmail));
        q->bind(1, email);
        return one_user(q);
      });
}

Task<Result<std::optional<accounts::User>>> SqliteAccountRepository::find_by_id(const UserId& id) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::optional<accounts::User>> {
    FERR_TRY(auto q, c.query(kUserById));
    q->bind(1, id);
    FERR_TRY(auto found, one_user(q));
    return without_secret(std::move(found));
  });
}

Task<Result<std::optional<accounts::User>>> SqliteAccountRepository::find_by_session(
    const accounts::Principal& principal) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::optional<accounts::User>> {
    FERR_TRY(auto q, c.query(kUserBySession));
    q->bind(1, principal.session_id).bind(2, principal.user_id);
    FERR_TRY(auto found, one_user(q));
    return without_secret(std::move(found));
  });
}

Task<Result<void>> SqliteAccountRepository::update_password_hash(const UserId& user_id,
                                                                 const std::string& hash,
                                                                 TimePoint now) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query(kSetPasswordHash));
    q->bind(1, hash).bind(2, to_ms(now)).bind(3, user_id);
    return q->run();
  });
}

Task<Result<std::optional<accounts::User>>> SqliteAccountRepository::update_profile(
    const accounts::Principal& principal, const accounts::ProfilePatch& patch, TimePoint now) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<std::optional<accounts::User>> {
    FERR_TRY(auto q, c.query(kUpdateProfile));
    q->bind(1, principal.session_id).bind(2, principal.user_id);
    q->bind(3, std::int64_t{patch.set_display_name})
        .bind(5, std::int64_t{patch.timezone.has_value()})
        .bind(7, std::int64_t{patch.locale.has_value()})
        .bind(9, to_ms(now))
        .bind(10, std::int64_t{patch.set_avatar_url});
    bind_optional(*q, 4, patch.display_name);
    bind_optional(*q, 6, patch.timezone);
    bind_optional(*q, 8, patch.locale);
    bind_optional(*q, 11, patch.avatar_url);
    FERR_TRY(auto updated, one_user(q));
    return without_secret(std::move(updated));
  });
}

Task<Result<accounts::LoginThrottle>> SqliteAccountRepository::login_throttle(
    const std::string& email) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<accounts::LoginThrottle> {
    FERR_TRY(auto q, c.query("SELECT consecutive_failures, locked_until FROM login_throttle "
                             "WHERE email = ?"));
    q->bind(1, email);
    FERR_TRY(bool found, q->step());
    accounts::LoginThrottle t;
    if (found) {
      t.consecutive_failures = static_cast<int>(q->column_int(0));
      if (!q->column_is_null(1)) t.locked_until = from_ms(q->column_int(1));
    }
    return t;
  });
}

Task<Result<accounts::LoginThrottle>> SqliteAccountRepository::record_login_failure(
    const std::string& email, TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<accounts::LoginThrottle> {
    // The last failure's time only moves forward: it opens the housekeeping window.
    FERR_TRY(auto q, c.query("INSERT INTO login_throttle (email, consecutive_failures, "
                             "last_failure_at) VALUES (?1, 1, ?2) ON CONFLICT (email) DO UPDATE "
                             "SET consecutive_failures = consecutive_failures + 1, "
                             "last_failure_at = max(last_failure_at, ?2) "
                             "RETURNING consecutive_failures"));
    q->bind(1, email).bind(2, to_ms(now));
    FERR_CHECK(q->step());
    accounts::LoginThrottle t;
    t.consecutive_failures = static_cast<int>(q->column_int(0));
    FERR_CHECK(q->run());
    auto lock = accounts::login_lock_for(t.consecutive_failures);
    if (lock.count() > 0) {
      t.locked_until = now + lock;
      FERR_TRY(auto l, c.query("UPDATE login_throttle SET locked_until = ? WHERE email = ?"));
      l->bind(1, to_ms(*t.locked_until)).bind(2, email);
      FERR_CHECK(l->run());
    }
    return t;
  });
}

Task<Result<void>> SqliteAccountRepository::reset_login_failures(const std::string& email) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query(kClearLoginThrottle));
    q->bind(1, email);
    return q->run();
  });
}

Task<Result<std::optional<TimePoint>>> SqliteAccountRepository::claim_export_slot(
    const UserId& user_id, TimePoint now, TimePoint not_since) {
  using Held = std::optional<TimePoint>;
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<Held> {
    FERR_TRY(auto q, c.query("UPDATE users SET last_export_at = ?1 WHERE id = ?2 AND "
                             "(last_export_at IS NULL OR last_export_at <= ?3)"));
    q->bind(1, to_ms(now)).bind(2, user_id).bind(3, to_ms(not_since));
    FERR_CHECK(q->run());
    if (c.changes() == 1) return Held{};
    FERR_TRY(auto held, c.query("SELECT last_export_at FROM users WHERE id = ?"));
    held->bind(1, user_id);
    FERR_TRY(bool found, held->step());
    // No such user: nothing to export, and nothing holds the slot; the caller's session check
    // comes first, so this is a user deleted in between.
    if (!found || held->column_is_null(0)) return Held{now};
    return Held{from_ms(held->column_int(0))};
  });
}

Task<Result<void>> SqliteAccountRepository::create_session(const accounts::NewSession& session,
                                                           TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto s, c.query("INSERT INTO sessions (id, user_id, created_at, user_agent, "
                             "last_active_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?3, ?5)"));
    s->bind(1, session.id).bind(2, session.user_id).bind(3, to_ms(now));
    bind_optional(*s, 4, session.user_agent);
    s->bind(5, to_ms(session.refresh_expires));
    FERR_CHECK(s->run());
    FERR_TRY(auto t, c.query(kInsertRefreshToken));
    t->bind(1, session.refresh_hash).bind(2, session.id).bind(3, to_ms(session.refresh_expires));
    FERR_CHECK(t->run());
    FERR_TRY(auto u, c.query("UPDATE users SET last_login_at = ? WHERE id = ?"));
    u->bind(1, to_ms(now)).bind(2, session.user_id);
    return u->run();
  });
}

Task<Result<std::optional<std::vector<accounts::SessionInfo>>>>
SqliteAccountRepository::list_sessions(const accounts::Principal& principal, TimePoint now) {
  using Found = std::optional<std::vector<accounts::SessionInfo>>;
  co_return co_await db_.read_async([&](Connection& c) -> Result<Found> {
    FERR_TRY(auto live, c.query(kSessionActive));
    live->bind(1, principal.session_id).bind(2, principal.user_id);
    FERR_CHECK(live->step());
    if (live->column_int(0) == 0) return Found{};
    FERR_TRY(auto q, c.query("SELECT id, user_agent, last_active_at, expires_at, created_at FROM "
                             "sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? "
                             "ORDER BY created_at DESC, id DESC"));
    q->bind(1, principal.user_id).bind(2, to_ms(now));
    std::vector<accounts::SessionInfo> sessions;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return Found{std::move(sessions)};
      accounts::SessionInfo s;
      s.id = read_id<core::SessionId>(*q, 0);
      if (!q->column_is_null(1)) s.user_agent = q->column_text(1);
      s.last_active_at = from_ms(q->column_int(2));
      s.expires_at = from_ms(q->column_int(3));
      s.created_at = from_ms(q->column_int(4));
      sessions.push_back(std::move(s));
    }
  });
}

Task<Result<accounts::SessionRevocation>> SqliteAccountRepository::revoke_session_by_id(
    const accounts::Principal& principal, const core::SessionId& session_id, TimePoint now) {
  co_return co_await db_.transaction_async(
      [&](Connection& c) -> Result<accounts::SessionRevocation> {
        FERR_TRY(auto live, c.query(kSessionActive));
        live->bind(1, principal.session_id).bind(2, principal.user_id);
        FERR_CHECK(live->step());
        if (live->column_int(0) == 0) return accounts::SessionRevocation::caller_not_live;
        FERR_TRY(auto q,
                 c.query("UPDATE sessions SET revoked_at = ?1 WHERE id = ?2 AND user_id = ?3 "
                         "AND revoked_at IS NULL AND expires_at > ?1"));
        q->bind(1, to_ms(now)).bind(2, session_id).bind(3, principal.user_id);
        FERR_CHECK(q->run());
        return c.changes() == 1 ? accounts::SessionRevocation::revoked
                                : accounts::SessionRevocation::not_found;
      });
}

Task<Result<bool>> SqliteAccountRepository::session_active(const accounts::Principal& principal) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<bool> {
    FERR_TRY(auto q, c.query(kSessionActive));
    q->bind(1, principal.session_id).bind(2, principal.user_id);
    FERR_CHECK(q->step());
    return q->column_int(0) != 0;
  });
}

Task<Result<accounts::RefreshOutcome>> SqliteAccountRepository::rotate_refresh_token(
    const accounts::RefreshRotation& rotation, TimePoint now) {
  using Kind = accounts::RefreshOutcome::Kind;
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<accounts::RefreshOutcome> {
    FERR_TRY(auto q, c.query("SELECT t.session_id, s.user_id, t.expires_at, t.rotated_at, "
                             "s.revoked_at FROM refresh_tokens t JOIN sessions s ON s.id = "
                             "t.session_id WHERE t.token_hash = ?"));
    q->bind(1, rotation.presented_hash);
    FERR_TRY(bool found, q->step());
    accounts::RefreshOutcome out;
    if (!found) return out;  // Kind::unknown
    out.session_id = read_id<core::SessionId>(*q, 0);
    out.user_id = read_id<UserId>(*q, 1);
    accounts::StoredRefreshToken token;
    token.expires_at = from_ms(q->column_int(2));
    if (!q->column_is_null(3)) token.rotated_at = from_ms(q->column_int(3));
    token.session_revoked = !q->column_is_null(4);

    switch (accounts::decide_refresh(token, now)) {
      case accounts::RefreshAction::revoke_family: {
        FERR_TRY(auto revoke, c.query("UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) "
                                      "WHERE id = ?"));
        revoke->bind(1, to_ms(now)).bind(2, out.session_id);
        FERR_CHECK(revoke->run());
        out.kind = Kind::reused;
        return out;
      }
      case accounts::RefreshAction::refuse: out.kind = Kind::expired; return out;
      case accounts::RefreshAction::reissue: out.kind = Kind::reissued; return out;
      case accounts::RefreshAction::rotate: break;
    }
    FERR_TRY(auto spend, c.query("UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?"));
    spend->bind(1, to_ms(now)).bind(2, rotation.presented_hash);
    FERR_CHECK(spend->run());
    FERR_TRY(auto issue, c.query(kInsertRefreshToken));
    issue->bind(1, rotation.new_hash).bind(2, out.session_id).bind(3, to_ms(rotation.new_expires));
    FERR_CHECK(issue->run());
    FERR_TRY(auto touch,
             c.query("UPDATE sessions SET last_active_at = ?, expires_at = ? WHERE id = ?"));
    touch->bind(1, to_ms(now)).bind(2, to_ms(rotation.new_expires)).bind(3, out.session_id);
    FERR_CHECK(touch->run());
    out.kind = Kind::rotated;
    return out;
  });
}

Task<Result<bool>> SqliteAccountRepository::revoke_session(const accounts::Principal& principal,
                                                           TimePoint now) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<bool> {
    FERR_TRY(auto q, c.query("UPDATE sessions SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 "
                             "AND revoked_at IS NULL"));
    q->bind(1, principal.session_id).bind(2, principal.user_id).bind(3, to_ms(now));
    FERR_CHECK(q->run());
    return c.changes() == 1;
  });
}

Task<Result<void>> SqliteAccountRepository::store_reset_token(const UserId& user_id,
                                                              const std::string& token_hash,
                                                              TimePoint expires_at, TimePoint now) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query("INSERT INTO password_resets (token_hash, user_id, created_at, "
                             "expires_at) VALUES (?, ?, ?, ?)"));
    q->bind(1, token_hash).bind(2, user_id).bind(3, to_ms(now)).bind(4, to_ms(expires_at));
    return q->run();
  });
}

Task<Result<std::optional<accounts::StoredResetToken>>> SqliteAccountRepository::find_reset_token(
    const std::string& token_hash) {
  co_return co_await db_.read_async(
      [&](Connection& c) -> Result<std::optional<accounts::StoredResetToken>> {
        FERR_TRY(auto q, c.query("SELECT r.user_id, u.email, r.expires_at, r.used_at FROM "
                                 "password_resets r JOIN users u ON u.id = r.user_id WHERE "
                                 "r.token_hash = ?"));
        q->bind(1, token_hash);
        FERR_TRY(bool found, q->step());
        if (!found) return std::optional<accounts::StoredResetToken>{};
        accounts::StoredResetToken t;
        t.user_id = read_id<UserId>(*q, 0);
        t.email = q->column_text(1);
        t.expires_at = from_ms(q->column_int(2));
        t.used = !q->column_is_null(3);
        return std::optional<accounts::StoredResetToken>{std::move(t)};
      });
}

Task<Result<bool>> SqliteAccountRepository::complete_password_reset(const std::string& token_hash,
                                                                    const UserId& user_id,
                                                                    const std::string& email,
                                                                    const std::string& new_hash,
                                                                    TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<bool> {
    FERR_TRY(auto spend, c.query("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND "
                                 "used_at IS NULL"));
    spend->bind(1, to_ms(now)).bind(2, token_hash);
    FERR_CHECK(spend->run());
    if (c.changes() != 1) return false;
    FERR_TRY(auto set, c.query(kSetPasswordHash));
    set->bind(1, new_hash).bind(2, to_ms(now)).bind(3, user_id);
    FERR_CHECK(set->run());
    FERR_TRY(auto revoke, c.query("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND "
                                  "revoked_at IS NULL"));
    revoke->bind(1, to_ms(now)).bind(2, user_id);
    FERR_CHECK(revoke->run());
    FERR_TRY(auto unlock, c.query(kClearLoginThrottle));
    unlock->bind(1, email);
    FERR_CHECK(unlock->run());
    return true;
  });
}

Task<Result<accounts::HousekeepingRemoved>> SqliteAccountRepository::delete_expired(
    const accounts::HousekeepingCutoffs& cutoffs) {
  // One write transaction: SQLite has one writer, so no other instance's pass can interleave.
  // Each delete mirrors a file of storage/postgres/statements/purge_*.sql.
  co_return co_await db_.transaction_async(
      [&](Connection& c) -> Result<accounts::HousekeepingRemoved> {
        accounts::HousekeepingRemoved removed;
        auto purge = [&](std::string_view sql, std::initializer_list<TimePoint> cutoffs_given,
                         std::int64_t& count) -> Result<void> {
          FERR_TRY(auto q, c.query(sql));
          int i = 1;
          for (TimePoint t : cutoffs_given) q->bind(i++, to_ms(t));
          FERR_CHECK(q->run());
          count = c.changes();
          return {};
        };
        FERR_CHECK(purge("DELETE FROM verification_codes WHERE expires_at < ?1",
                         {cutoffs.codes_expired_before}, removed.verification_codes));
        FERR_CHECK(purge("DELETE FROM password_resets WHERE expires_at < ?1 OR used_at < ?1",
                         {cutoffs.reset_tokens_ended_before}, removed.reset_tokens));
        FERR_CHECK(purge("DELETE FROM refresh_tokens WHERE expires_at < ?1",
                         {cutoffs.refresh_tokens_expired_before}, removed.refresh_tokens));
        // Revoked before the cut-off, or none of its tokens expires at or after it; its tokens
        // go with it (ON DELETE CASCADE).
        FERR_CHECK(
            purge("DELETE FROM sessions WHERE created_at < ?1 AND (revoked_at < ?1 OR "
                  "NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = "
                  "sessions.id AND t.expires_at >= ?1))",
                  {cutoffs.sessions_ended_before}, removed.sessions));
        // Never an active account, nor one holding a code still valid; its codes go with it.
        FERR_CHECK(
            purge("DELETE FROM users WHERE status = 'pending' AND updated_at < ?1 AND "
                  "NOT EXISTS (SELECT 1 FROM verification_codes c WHERE c.user_id = "
                  "users.id AND c.expires_at > ?2)",
                  {cutoffs.pending_registered_before, cutoffs.now}, removed.pending_accounts));
        FERR_CHECK(purge("DELETE FROM mail_throttle WHERE last_sent_at < ?1",
                         {cutoffs.mail_sent_before}, removed.mail_throttle));
        FERR_CHECK(
            purge("DELETE FROM login_throttle WHERE last_failure_at < ?1 AND "
                  "(locked_until IS NULL OR locked_until <= ?2)",
                  {cutoffs.login_failed_before, cutoffs.now}, removed.login_throttle));
        return removed;
      });
}

Task<Result<accounts::Erasure>> SqliteAccountRepository::erase_account(
    const UserId& user_id, const std::string& email, const accounts::RemovalAudit& audit,
    TimePoint now) {
  // PostgreSQL's statements/memberships_for_erasure.sql and erase_user.sql say why; the IMMEDIATE
  // transaction holds the whole database, so the owner counts stand until commit.
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<accounts::Erasure> {
    FERR_TRY(auto q, c.query("SELECT o.id, o.slug, m.role, (SELECT count(*) FROM org_memberships c "
                             "WHERE c.org_id = o.id AND c.role = 'owner') FROM org_memberships m "
                             "JOIN organizations o ON o.id = m.org_id WHERE m.user_id = ? "
                             "ORDER BY o.id"));
    q->bind(1, user_id);
    std::vector<accounts::ErasedMembership> memberships;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) break;
      accounts::ErasedMembership m;
      m.org_id = read_id<core::OrgId>(*q, 0);
      m.slug = q->column_text(1);
      FERR_TRY(m.role, read_enum(*q, 2, domain::orgs::parse_role, "org_memberships.role"));
      m.owners = static_cast<int>(q->column_int(3));
      memberships.push_back(std::move(m));
    }
    accounts::Erasure erasure{accounts::sole_owner_orgs(memberships)};
    if (!erasure.sole_owner_of.empty()) return erasure;  // commits nothing
    for (const auto& m : memberships) FERR_CHECK(write_audit(c, m.org_id, audit(m)));
    FERR_TRY(auto tokens, c.query("UPDATE api_tokens SET revoked_at = ? WHERE created_by = ? AND "
                                  "owner = 'creator' AND revoked_at IS NULL"));
    tokens->bind(1, to_ms(now)).bind(2, user_id);
    FERR_CHECK(tokens->run());
    FERR_TRY(auto keys, c.query("DELETE FROM idempotency_keys WHERE user_id = ?"));
    keys->bind(1, user_id);
    FERR_CHECK(keys->run());
    FERR_TRY(auto logins, c.query(kClearLoginThrottle));
    logins->bind(1, email);
    FERR_CHECK(logins->run());
    FERR_TRY(auto mails, c.query("DELETE FROM mail_throttle WHERE email = ?"));
    mails->bind(1, email);
    FERR_CHECK(mails->run());
    FERR_TRY(auto user, c.query("DELETE FROM users WHERE id = ?"));
    user->bind(1, user_id);
    FERR_CHECK(user->run());
    return erasure;
  });
}

Task<Result<bool>> SqliteAccountRepository::user_opt_out(const UserId& user_id) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<bool> {
    FERR_TRY(auto q, c.query("SELECT telemetry_opt_out FROM user_prefs WHERE user_id = ?"));
    q->bind(1, user_id);
    FERR_TRY(bool found, q->step());
    return found && q->column_int(0) != 0;
  });
}

Task<Result<void>> SqliteAccountRepository::set_user_opt_out(const UserId& user_id, bool opt_out,
                                                             TimePoint now) {
  co_return co_await db_.write_async([&](Connection& c) -> Result<void> {
    // The change time moves only when the value does (a new row starts from the default, false).
    FERR_TRY(auto q,
             c.query("INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at, "
                     "telemetry_opt_out_changed_at) VALUES (?1, ?2, ?3, CASE WHEN ?2 THEN ?3 END) "
                     "ON CONFLICT (user_id) DO UPDATE SET telemetry_opt_out = "
                     "excluded.telemetry_opt_out, updated_at = excluded.updated_at, "
                     "telemetry_opt_out_changed_at = CASE WHEN telemetry_opt_out <> "
                     "excluded.telemetry_opt_out THEN excluded.updated_at ELSE "
                     "telemetry_opt_out_changed_at END"));
    q->bind(1, user_id).bind(2, std::int64_t{opt_out}).bind(3, to_ms(now));
    return q->run();
  });
}

}  // namespace ferr::storage::sqlite
