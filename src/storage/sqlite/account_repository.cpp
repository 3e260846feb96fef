#include "storage/sqlite/account_repository.hpp"

#include "storage/sqlite/codec.hpp"

namespace ferr::storage::sqlite {

using core::fail;
using core::Result;
using core::TimePoint;
using core::Uuid;
namespace accounts = domain::accounts;

namespace {

constexpr std::string_view kUserColumns =
    "id, email, status, display_name, timezone, locale, created_at, updated_at, password_hash";

accounts::UserWithSecret read_user(Statement& row) {
  accounts::UserWithSecret u;
  u.user.id = read_uuid(row, 0);
  u.user.email = row.column_text(1);
  u.user.active = row.column_text(2) == "active";
  if (!row.column_is_null(3)) u.user.display_name = row.column_text(3);
  u.user.timezone = row.column_text(4);
  u.user.locale = row.column_text(5);
  u.user.created_at = from_ms(row.column_int(6));
  u.user.updated_at = from_ms(row.column_int(7));
  u.password_hash = row.column_text(8);
  return u;
}

Result<std::optional<accounts::UserWithSecret>> select_user(Connection& c, std::string_view where,
                                                            std::string_view key) {
  auto q = c.query("SELECT " + std::string(kUserColumns) + " FROM users WHERE " +
                   std::string(where) + " = ?");
  if (!q) return fail(q.error());
  (*q)->bind(1, key);
  auto row = (*q)->step();
  if (!row) return fail(row.error());
  if (!*row) return std::optional<accounts::UserWithSecret>{};
  return std::optional<accounts::UserWithSecret>{read_user(**q)};
}

}  // namespace

Result<std::pair<accounts::RegisterOutcome, Uuid>> SqliteAccountRepository::register_account(
    const std::string& email, const std::string& password_hash,
    const std::optional<std::string>& display_name, const Uuid& new_id, TimePoint now) {
  return in_transaction(
      db_, [&](Connection& c) -> Result<std::pair<accounts::RegisterOutcome, Uuid>> {
        auto existing = select_user(c, "email", email);
        if (!existing) return fail(existing.error());
        if (*existing) {
          const auto& user = (*existing)->user;
          if (user.active) return std::pair{accounts::RegisterOutcome::already_active, user.id};
          auto q = c.query(
              "UPDATE users SET password_hash = ?, display_name = coalesce(?, display_name), "
              "updated_at = ? "
              "WHERE id = ?");
          if (!q) return fail(q.error());
          (*q)->bind(1, password_hash).bind(3, to_ms(now)).bind(4, user.id.to_string());
          bind_optional(**q, 2, display_name);
          if (auto r = (*q)->run(); !r) return fail(r.error());
          return std::pair{accounts::RegisterOutcome::pending_updated, user.id};
        }
        auto q = c.query(
            "INSERT INTO users (id, email, password_hash, status, display_name, created_at, "
            "updated_at) "
            "VALUES (?, ?, ?, 'pending', ?, ?, ?)");
        if (!q) return fail(q.error());
        (*q)->bind(1, new_id.to_string())
            .bind(2, email)
            .bind(3, password_hash)
            .bind(5, to_ms(now))
            .bind(6, to_ms(now));
        bind_optional(**q, 4, display_name);
        if (auto r = (*q)->run(); !r) return fail(r.error());
        return std::pair{accounts::RegisterOutcome::created, new_id};
      });
}

Result<bool> SqliteAccountRepository::claim_mail_slot(const std::string& email, TimePoint now,
                                                      TimePoint not_since) {
  return db_.write([&](Connection& c) -> Result<bool> {
    // One statement: insert, or move the time forward only when the last mail is old enough.
    auto q = c.query(
        "INSERT INTO mail_throttle (email, last_sent_at) VALUES (?, ?) "
        "ON CONFLICT (email) DO UPDATE SET last_sent_at = excluded.last_sent_at "
        "WHERE mail_throttle.last_sent_at <= ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, email).bind(2, to_ms(now)).bind(3, to_ms(not_since));
    if (auto r = (*q)->run(); !r) return fail(r.error());
    return c.changes() == 1;
  });
}

Result<void> SqliteAccountRepository::store_verification_code(const Uuid& user_id,
                                                              const std::string& code_hash,
                                                              TimePoint expires_at) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q = c.query(
        "INSERT INTO verification_codes (user_id, code_hash, expires_at, failed_attempts) VALUES "
        "(?, ?, ?, 0) "
        "ON CONFLICT (user_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = "
        "excluded.expires_at, "
        "failed_attempts = 0");
    if (!q) return fail(q.error());
    (*q)->bind(1, user_id.to_string()).bind(2, code_hash).bind(3, to_ms(expires_at));
    return (*q)->run();
  });
}

Result<std::optional<accounts::StoredCode>> SqliteAccountRepository::find_verification_code(
    const std::string& email) {
  return db_.read([&](Connection& c) -> Result<std::optional<accounts::StoredCode>> {
    auto q = c.query(
        "SELECT u.id, u.status, v.code_hash, v.expires_at, v.failed_attempts FROM users u "
        "LEFT JOIN verification_codes v ON v.user_id = u.id WHERE u.email = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, email);
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<accounts::StoredCode>{};
    accounts::StoredCode code;
    code.user_id = read_uuid(**q, 0);
    code.user_active = (*q)->column_text(1) == "active";
    if (!(*q)->column_is_null(2)) {
      code.code_hash = (*q)->column_text(2);
      code.expires_at = from_ms((*q)->column_int(3));
      code.failed_attempts = static_cast<int>((*q)->column_int(4));
    }
    return std::optional<accounts::StoredCode>{code};
  });
}

Result<int> SqliteAccountRepository::record_code_failure(const Uuid& user_id) {
  return db_.write([&](Connection& c) -> Result<int> {
    auto q = c.query(
        "UPDATE verification_codes SET failed_attempts = failed_attempts + 1 WHERE user_id = ? "
        "RETURNING failed_attempts");
    if (!q) return fail(q.error());
    (*q)->bind(1, user_id.to_string());
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    // Resetting the statement (when `q` goes out of scope) completes the UPDATE.
    return *row ? static_cast<int>((*q)->column_int(0)) : 0;
  });
}

Result<bool> SqliteAccountRepository::activate(const Uuid& user_id, TimePoint now) {
  return in_transaction(db_, [&](Connection& c) -> Result<bool> {
    auto q = c.query(
        "UPDATE users SET status = 'active', updated_at = ? WHERE id = ? AND status = 'pending'");
    if (!q) return fail(q.error());
    (*q)->bind(1, to_ms(now)).bind(2, user_id.to_string());
    if (auto r = (*q)->run(); !r) return fail(r.error());
    if (c.changes() != 1) return false;
    auto del = c.query("DELETE FROM verification_codes WHERE user_id = ?");
    if (!del) return fail(del.error());
    (*del)->bind(1, user_id.to_string());
    if (auto r = (*del)->run(); !r) return fail(r.error());
    return true;
  });
}

Result<std::optional<accounts::UserWithSecret>> SqliteAccountRepository::find_by_email(
    const std::string& email) {
  return db_.read([&](Connection& c) { return select_user(c, "email", email); });
}

Result<std::optional<accounts::User>> SqliteAccountRepository::find_by_id(const Uuid& id) {
  return db_.read([&](Connection& c) -> Result<std::optional<accounts::User>> {
    auto found = select_user(c, "id", id.to_string());
    if (!found) return fail(found.error());
    if (!*found) return std::optional<accounts::User>{};
    return std::optional<accounts::User>{(*found)->user};
  });
}

Result<void> SqliteAccountRepository::update_password_hash(const Uuid& user_id,
                                                           const std::string& hash, TimePoint now) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q = c.query("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, hash).bind(2, to_ms(now)).bind(3, user_id.to_string());
    return (*q)->run();
  });
}

Result<accounts::User> SqliteAccountRepository::update_profile(const Uuid& user_id,
                                                               const accounts::ProfilePatch& patch,
                                                               TimePoint now) {
  return in_transaction(db_, [&](Connection& c) -> Result<accounts::User> {
    // Each member is replaced only when the patch carries it (flag columns ?1, ?3, ?5).
    auto q = c.query(
        "UPDATE users SET display_name = CASE WHEN ?1 THEN ?2 ELSE display_name END, "
        "timezone = CASE WHEN ?3 THEN ?4 ELSE timezone END, locale = CASE WHEN ?5 THEN ?6 ELSE "
        "locale END, "
        "updated_at = ?7 WHERE id = ?8");
    if (!q) return fail(q.error());
    (*q)->bind(1, std::int64_t{patch.set_display_name})
        .bind(3, std::int64_t{patch.timezone.has_value()});
    (*q)->bind(5, std::int64_t{patch.locale.has_value()})
        .bind(7, to_ms(now))
        .bind(8, user_id.to_string());
    bind_optional(**q, 2, patch.display_name);
    bind_optional(**q, 4, patch.timezone);
    bind_optional(**q, 6, patch.locale);
    if (auto r = (*q)->run(); !r) return fail(r.error());
    auto user = select_user(c, "id", user_id.to_string());
    if (!user) return fail(user.error());
    if (!*user)
      return fail(
          core::Error::make(core::ErrorCode::auth_unauthorized, "valid credentials are required"));
    return (*user)->user;
  });
}

Result<accounts::LoginThrottle> SqliteAccountRepository::login_throttle(const std::string& email) {
  return db_.read([&](Connection& c) -> Result<accounts::LoginThrottle> {
    auto q =
        c.query("SELECT consecutive_failures, locked_until FROM login_throttle WHERE email = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, email);
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    accounts::LoginThrottle t;
    if (*row) {
      t.consecutive_failures = static_cast<int>((*q)->column_int(0));
      if (!(*q)->column_is_null(1)) t.locked_until = from_ms((*q)->column_int(1));
    }
    return t;
  });
}

Result<accounts::LoginThrottle> SqliteAccountRepository::record_login_failure(
    const std::string& email, TimePoint now, accounts::LockPolicy lock_for) {
  return in_transaction(db_, [&](Connection& c) -> Result<accounts::LoginThrottle> {
    auto q = c.query(
        "INSERT INTO login_throttle (email, consecutive_failures) VALUES (?, 1) ON CONFLICT "
        "(email) DO UPDATE "
        "SET consecutive_failures = consecutive_failures + 1 RETURNING consecutive_failures");
    if (!q) return fail(q.error());
    (*q)->bind(1, email);
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    accounts::LoginThrottle t;
    t.consecutive_failures = static_cast<int>((*q)->column_int(0));
    if (auto done = (*q)->step(); !done) return fail(done.error());
    auto lock = lock_for(t.consecutive_failures);
    if (lock.count() > 0) {
      t.locked_until = now + lock;
      auto l = c.query("UPDATE login_throttle SET locked_until = ? WHERE email = ?");
      if (!l) return fail(l.error());
      (*l)->bind(1, to_ms(*t.locked_until)).bind(2, email);
      if (auto r = (*l)->run(); !r) return fail(r.error());
    }
    return t;
  });
}

Result<void> SqliteAccountRepository::reset_login_failures(const std::string& email) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q = c.query("DELETE FROM login_throttle WHERE email = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, email);
    return (*q)->run();
  });
}

Result<void> SqliteAccountRepository::create_session(const Uuid& session_id, const Uuid& user_id,
                                                     const std::string& refresh_hash,
                                                     TimePoint refresh_expires, TimePoint now) {
  return in_transaction(db_, [&](Connection& c) -> Result<void> {
    auto s = c.query("INSERT INTO sessions (id, user_id, created_at) VALUES (?, ?, ?)");
    if (!s) return fail(s.error());
    (*s)->bind(1, session_id.to_string()).bind(2, user_id.to_string()).bind(3, to_ms(now));
    if (auto r = (*s)->run(); !r) return fail(r.error());
    auto t =
        c.query("INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)");
    if (!t) return fail(t.error());
    (*t)->bind(1, refresh_hash).bind(2, session_id.to_string()).bind(3, to_ms(refresh_expires));
    return (*t)->run();
  });
}

Result<bool> SqliteAccountRepository::session_active(const Uuid& session_id) {
  return db_.read([&](Connection& c) -> Result<bool> {
    auto q = c.query("SELECT 1 FROM sessions WHERE id = ? AND revoked_at IS NULL");
    if (!q) return fail(q.error());
    (*q)->bind(1, session_id.to_string());
    return (*q)->step();
  });
}

Result<accounts::RefreshOutcome> SqliteAccountRepository::rotate_refresh_token(
    const std::string& presented_hash, const std::string& new_hash, TimePoint new_expires,
    TimePoint now) {
  using Kind = accounts::RefreshOutcome::Kind;
  return in_transaction(db_, [&](Connection& c) -> Result<accounts::RefreshOutcome> {
    auto q = c.query(
        "SELECT t.session_id, s.user_id, t.expires_at, t.rotated_at, s.revoked_at FROM "
        "refresh_tokens t "
        "JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, presented_hash);
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    accounts::RefreshOutcome out;
    if (!*row) return out;  // unknown
    out.session_id = read_uuid(**q, 0);
    out.user_id = read_uuid(**q, 1);
    TimePoint expires = from_ms((*q)->column_int(2));
    bool spent = !(*q)->column_is_null(3);
    bool revoked = !(*q)->column_is_null(4);

    if (spent) {
      // A spent token came back: someone holds a copy. End the whole family.
      auto revoke =
          c.query("UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");
      if (!revoke) return fail(revoke.error());
      (*revoke)->bind(1, to_ms(now)).bind(2, out.session_id.to_string());
      if (auto r = (*revoke)->run(); !r) return fail(r.error());
      out.kind = Kind::reused;
      return out;
    }
    if (revoked || now >= expires) {
      out.kind = Kind::expired;
      return out;
    }
    auto spend = c.query("UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?");
    if (!spend) return fail(spend.error());
    (*spend)->bind(1, to_ms(now)).bind(2, presented_hash);
    if (auto r = (*spend)->run(); !r) return fail(r.error());
    auto issue =
        c.query("INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?, ?, ?)");
    if (!issue) return fail(issue.error());
    (*issue)->bind(1, new_hash).bind(2, out.session_id.to_string()).bind(3, to_ms(new_expires));
    if (auto r = (*issue)->run(); !r) return fail(r.error());
    out.kind = Kind::rotated;
    return out;
  });
}

Result<void> SqliteAccountRepository::revoke_session(const Uuid& session_id, TimePoint now) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q = c.query("UPDATE sessions SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, to_ms(now)).bind(2, session_id.to_string());
    return (*q)->run();
  });
}

Result<void> SqliteAccountRepository::store_reset_token(const Uuid& user_id,
                                                        const std::string& token_hash,
                                                        TimePoint expires_at, TimePoint now) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q = c.query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, "
        "?, ?)");
    if (!q) return fail(q.error());
    (*q)->bind(1, token_hash)
        .bind(2, user_id.to_string())
        .bind(3, to_ms(now))
        .bind(4, to_ms(expires_at));
    return (*q)->run();
  });
}

Result<std::optional<accounts::StoredResetToken>> SqliteAccountRepository::find_reset_token(
    const std::string& token_hash) {
  return db_.read([&](Connection& c) -> Result<std::optional<accounts::StoredResetToken>> {
    auto q = c.query(
        "SELECT r.user_id, u.email, r.expires_at, r.used_at FROM password_resets r JOIN users u ON "
        "u.id = r.user_id "
        "WHERE r.token_hash = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, token_hash);
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    if (!*row) return std::optional<accounts::StoredResetToken>{};
    accounts::StoredResetToken t;
    t.user_id = read_uuid(**q, 0);
    t.email = (*q)->column_text(1);
    t.expires_at = from_ms((*q)->column_int(2));
    t.used = !(*q)->column_is_null(3);
    return std::optional<accounts::StoredResetToken>{t};
  });
}

Result<bool> SqliteAccountRepository::complete_password_reset(const std::string& token_hash,
                                                              const Uuid& user_id,
                                                              const std::string& email,
                                                              const std::string& new_hash,
                                                              TimePoint now) {
  return in_transaction(db_, [&](Connection& c) -> Result<bool> {
    auto spend =
        c.query("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL");
    if (!spend) return fail(spend.error());
    (*spend)->bind(1, to_ms(now)).bind(2, token_hash);
    if (auto r = (*spend)->run(); !r) return fail(r.error());
    if (c.changes() != 1) return false;
    const std::string id = user_id.to_string();
    auto set = c.query("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
    if (!set) return fail(set.error());
    (*set)->bind(1, new_hash).bind(2, to_ms(now)).bind(3, id);
    if (auto r = (*set)->run(); !r) return fail(r.error());
    auto revoke =
        c.query("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    if (!revoke) return fail(revoke.error());
    (*revoke)->bind(1, to_ms(now)).bind(2, id);
    if (auto r = (*revoke)->run(); !r) return fail(r.error());
    auto unlock = c.query("DELETE FROM login_throttle WHERE email = ?");
    if (!unlock) return fail(unlock.error());
    (*unlock)->bind(1, email);
    if (auto r = (*unlock)->run(); !r) return fail(r.error());
    return true;
  });
}

Result<bool> SqliteAccountRepository::user_opt_out(const Uuid& user_id) {
  return db_.read([&](Connection& c) -> Result<bool> {
    auto q = c.query("SELECT telemetry_opt_out FROM user_prefs WHERE user_id = ?");
    if (!q) return fail(q.error());
    (*q)->bind(1, user_id.to_string());
    auto row = (*q)->step();
    if (!row) return fail(row.error());
    return *row && (*q)->column_int(0) != 0;
  });
}

Result<void> SqliteAccountRepository::set_user_opt_out(const Uuid& user_id, bool opt_out,
                                                       TimePoint now) {
  return db_.write([&](Connection& c) -> Result<void> {
    auto q = c.query(
        "INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at) VALUES (?, ?, ?) ON "
        "CONFLICT (user_id) "
        "DO UPDATE SET telemetry_opt_out = excluded.telemetry_opt_out, updated_at = "
        "excluded.updated_at");
    if (!q) return fail(q.error());
    (*q)->bind(1, user_id.to_string()).bind(2, std::int64_t{opt_out}).bind(3, to_ms(now));
    return (*q)->run();
  });
}

}  // namespace ferr::storage::sqlite
