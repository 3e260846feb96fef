#include "storage/postgres/account_repository.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>
#include <utility>
#include <vector>

#include "storage/postgres/codec.hpp"

namespace ferr::storage::postgres {

using boost::asio::awaitable;
using core::Error;
using core::ErrorCode;
using core::fail;
using core::Result;
using core::TimePoint;
using core::Uuid;
namespace accounts = domain::accounts;

namespace {

// The columns read_user expects, in SQLite's order.
constexpr std::string_view kUserByEmail =
    "SELECT id, email, status, display_name, timezone, locale, ts_to_ms(created_at), "
    "ts_to_ms(updated_at), password_hash FROM users WHERE email = $1";
constexpr std::string_view kUserById =
    "SELECT id, email, status, display_name, timezone, locale, ts_to_ms(created_at), "
    "ts_to_ms(updated_at), password_hash FROM users WHERE id = $1";

// The statements below are migrations/README.md's, verbatim (its test runs them as written).

// Statement `register`.
constexpr std::string_view kRegister =
    R"sql(-- $1 new id, $2 e-mail, $3 password hash, $4 display name or NULL, $5 now (ms).
INSERT INTO users (id, email, password_hash, status, display_name, created_at, updated_at)
VALUES ($1, $2, $3, 'pending', $4, ms_to_ts($5), ms_to_ts($5))
ON CONFLICT (email) DO NOTHING
RETURNING id)sql";

// Statement `lock-user-by-email` (same columns as kUserByEmail).
constexpr std::string_view kLockUserByEmail =
    R"sql(SELECT id, email, status, display_name, timezone, locale,
       ts_to_ms(created_at), ts_to_ms(updated_at), password_hash
FROM users
WHERE email = $1
FOR UPDATE)sql";

// Statement `login-failure`.
constexpr std::string_view kLoginFailure =
    R"sql(INSERT INTO login_throttle AS t (email, consecutive_failures)
VALUES ($1, 1)
ON CONFLICT (email) DO UPDATE
SET consecutive_failures = t.consecutive_failures + 1
RETURNING consecutive_failures)sql";

// Statement `lock-refresh-token`.
constexpr std::string_view kLockRefreshToken =
    R"sql(SELECT t.session_id, s.user_id, ts_to_ms(t.expires_at), ts_to_ms(t.rotated_at),
       ts_to_ms(s.revoked_at)
FROM refresh_tokens t
JOIN sessions s ON s.id = t.session_id
WHERE t.token_hash = $1
FOR UPDATE OF t)sql";

// Statement `mail-slot`.
constexpr std::string_view kMailSlot =
    R"sql(-- One row back = the mail may go; $2 now, $3 "not since" (ms).
INSERT INTO mail_throttle AS m (email, last_sent_at)
VALUES ($1, ms_to_ts($2))
ON CONFLICT (email) DO UPDATE
SET last_sent_at = EXCLUDED.last_sent_at
WHERE m.last_sent_at <= ms_to_ts($3)
RETURNING 1)sql";

constexpr std::string_view kInsertRefreshToken =
    "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) "
    "VALUES ($1, $2, ms_to_ts($3))";

/// The first row of a kUserBy*/kLockUserByEmail result; nullopt when there is none.
Result<std::optional<accounts::UserWithSecret>> first_user(const QueryResult& rows) {
  if (rows.rows() == 0) return std::optional<accounts::UserWithSecret>{};
  accounts::UserWithSecret u;
  FERR_PG_READ(u.user.id, read_uuid(rows, 0, 0));
  FERR_PG_READ(u.user.email, rows.string(0, 1));
  std::string status;
  FERR_PG_READ(status, rows.string(0, 2));
  u.user.active = status == "active";
  FERR_PG_READ(u.user.display_name, rows.optional_string(0, 3));
  FERR_PG_READ(u.user.timezone, rows.string(0, 4));
  FERR_PG_READ(u.user.locale, rows.string(0, 5));
  FERR_PG_READ(u.user.created_at, read_time(rows, 0, 6));
  FERR_PG_READ(u.user.updated_at, read_time(rows, 0, 7));
  FERR_PG_READ(u.password_hash, rows.string(0, 8));
  return std::optional<accounts::UserWithSecret>{std::move(u)};
}

}  // namespace

Result<std::pair<accounts::RegisterOutcome, Uuid>> PgAccountRepository::register_account(
    const std::string& email, const std::string& password_hash,
    const std::optional<std::string>& display_name, const Uuid& new_id, TimePoint now) {
  using Outcome = std::pair<accounts::RegisterOutcome, Uuid>;
  return db_.transaction<Outcome>([&](Connection& c) -> awaitable<Result<Outcome>> {
    // The insert waits for any concurrent registration of the address and yields no row if
    // that one committed; the row is then locked, so later registrations wait for this one.
    // The row vanishing between the two statements (a deleted account) means trying again.
    for (int attempt = 0; attempt < 3; ++attempt) {
      FERR_PG_TRY(inserted, co_await c.query(kRegister, new_id.to_string(), email, password_hash,
                                             display_name, to_ms(now)));
      if (inserted.rows() == 1) co_return Outcome{accounts::RegisterOutcome::created, new_id};
      FERR_PG_TRY(locked, co_await c.query(kLockUserByEmail, email));
      FERR_PG_TRY(existing, first_user(locked));
      if (!existing) continue;
      const auto& user = existing->user;
      if (user.active) co_return Outcome{accounts::RegisterOutcome::already_active, user.id};
      FERR_PG_DO(co_await c.query(
          "UPDATE users SET password_hash = $1, display_name = coalesce($2, display_name), "
          "updated_at = ms_to_ts($3) WHERE id = $4",
          password_hash, display_name, to_ms(now), user.id.to_string()));
      co_return Outcome{accounts::RegisterOutcome::pending_updated, user.id};
    }
    co_return fail(Error::database("register_account: the address kept appearing and vanishing"));
  });
}

Result<bool> PgAccountRepository::claim_mail_slot(const std::string& email, TimePoint now,
                                                  TimePoint not_since) {
  return db_.run<bool>([&]() -> awaitable<Result<bool>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(kMailSlot, email, to_ms(now), to_ms(not_since)));
    co_return rows.rows() == 1;
  });
}

Result<void> PgAccountRepository::store_verification_code(const Uuid& user_id,
                                                          const std::string& code_hash,
                                                          TimePoint expires_at) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "INSERT INTO verification_codes (user_id, code_hash, expires_at, failed_attempts) "
        "VALUES ($1, $2, ms_to_ts($3), 0) "
        "ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, "
        "expires_at = EXCLUDED.expires_at, failed_attempts = 0",
        user_id.to_string(), code_hash, to_ms(expires_at)));
    co_return Result<void>{};
  });
}

Result<std::optional<accounts::StoredCode>> PgAccountRepository::find_verification_code(
    const std::string& email) {
  using Found = std::optional<accounts::StoredCode>;
  return db_.run<Found>([&]() -> awaitable<Result<Found>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(
                          "SELECT u.id, u.status, v.code_hash, ts_to_ms(v.expires_at), "
                          "v.failed_attempts FROM users u "
                          "LEFT JOIN verification_codes v ON v.user_id = u.id WHERE u.email = $1",
                          email));
    if (rows.rows() == 0) co_return Found{};
    accounts::StoredCode code;
    FERR_PG_TRY(user_id, read_uuid(rows, 0, 0));
    FERR_PG_TRY(status, rows.string(0, 1));
    code.user_id = user_id;
    code.user_active = status == "active";
    if (!rows.is_null(0, 2)) {  // a code is outstanding
      FERR_PG_TRY(hash, rows.string(0, 2));
      FERR_PG_TRY(expires, read_time(rows, 0, 3));
      FERR_PG_TRY(failures, rows.int64(0, 4));
      code.code_hash = std::move(hash);
      code.expires_at = expires;
      code.failed_attempts = static_cast<int>(failures);
    }
    co_return Found{std::move(code)};
  });
}

Result<int> PgAccountRepository::record_code_failure(const Uuid& user_id) {
  return db_.run<int>([&]() -> awaitable<Result<int>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(
                          "UPDATE verification_codes SET failed_attempts = failed_attempts + 1 "
                          "WHERE user_id = $1 RETURNING failed_attempts",
                          user_id.to_string()));
    if (rows.rows() == 0) co_return 0;
    FERR_PG_TRY(failures, rows.int64(0, 0));
    co_return static_cast<int>(failures);
  });
}

Result<bool> PgAccountRepository::activate(const Uuid& user_id, TimePoint now) {
  return db_.transaction<bool>([&](Connection& c) -> awaitable<Result<bool>> {
    // The conditional UPDATE decides: a concurrent activation waits for it, then finds the
    // account active and changes nothing.
    FERR_PG_TRY(updated,
                co_await c.query("UPDATE users SET status = 'active', updated_at = ms_to_ts($1) "
                                 "WHERE id = $2 AND status = 'pending'",
                                 to_ms(now), user_id.to_string()));
    if (updated.affected_rows() != 1) co_return false;
    FERR_PG_DO(
        co_await c.query("DELETE FROM verification_codes WHERE user_id = $1", user_id.to_string()));
    co_return true;
  });
}

Result<std::optional<accounts::UserWithSecret>> PgAccountRepository::find_by_email(
    const std::string& email) {
  using Found = std::optional<accounts::UserWithSecret>;
  return db_.run<Found>([&]() -> awaitable<Result<Found>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(kUserByEmail, email));
    co_return first_user(rows);
  });
}

Result<std::optional<accounts::User>> PgAccountRepository::find_by_id(const Uuid& id) {
  using Found = std::optional<accounts::User>;
  return db_.run<Found>([&]() -> awaitable<Result<Found>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(kUserById, id.to_string()));
    FERR_PG_TRY(found, first_user(rows));
    if (!found) co_return Found{};
    co_return Found{std::move(found->user)};
  });
}

Result<void> PgAccountRepository::update_password_hash(const Uuid& user_id, const std::string& hash,
                                                       TimePoint now) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "UPDATE users SET password_hash = $1, updated_at = ms_to_ts($2) WHERE id = $3", hash,
        to_ms(now), user_id.to_string()));
    co_return Result<void>{};
  });
}

Result<accounts::User> PgAccountRepository::update_profile(const Uuid& user_id,
                                                           const accounts::ProfilePatch& patch,
                                                           TimePoint now) {
  return db_.transaction<accounts::User>([&](Connection& c) -> awaitable<Result<accounts::User>> {
    // Each member is replaced only when the patch carries it (flags $1, $3, $5).
    std::vector<Param> params{patch.set_display_name,
                              patch.display_name,
                              patch.timezone.has_value(),
                              patch.timezone,
                              patch.locale.has_value(),
                              patch.locale,
                              to_ms(now),
                              user_id.to_string()};
    FERR_PG_DO(co_await c.query(
        "UPDATE users SET display_name = CASE WHEN $1::boolean THEN $2::text ELSE display_name "
        "END, timezone = CASE WHEN $3::boolean THEN $4::text ELSE timezone END, "
        "locale = CASE WHEN $5::boolean THEN $6::text ELSE locale END, "
        "updated_at = ms_to_ts($7) WHERE id = $8",
        std::move(params)));
    FERR_PG_TRY(rows, co_await c.query(kUserById, user_id.to_string()));
    FERR_PG_TRY(user, first_user(rows));
    if (!user)
      co_return fail(Error::make(ErrorCode::auth_unauthorized, "valid credentials are required"));
    co_return std::move(user->user);
  });
}

Result<accounts::LoginThrottle> PgAccountRepository::login_throttle(const std::string& email) {
  return db_.run<accounts::LoginThrottle>([&]() -> awaitable<Result<accounts::LoginThrottle>> {
    FERR_PG_TRY(rows, co_await db_.pool().query("SELECT consecutive_failures, "
                                                "ts_to_ms(locked_until) FROM login_throttle "
                                                "WHERE email = $1",
                                                email));
    accounts::LoginThrottle t;
    if (rows.rows() == 0) co_return t;
    FERR_PG_TRY(failures, rows.int64(0, 0));
    FERR_PG_TRY(locked_until, read_optional_time(rows, 0, 1));
    t.consecutive_failures = static_cast<int>(failures);
    t.locked_until = locked_until;
    co_return t;
  });
}

Result<accounts::LoginThrottle> PgAccountRepository::record_login_failure(
    const std::string& email, TimePoint now, accounts::LockPolicy lock_for) {
  return db_.transaction<accounts::LoginThrottle>(
      [&](Connection& c) -> awaitable<Result<accounts::LoginThrottle>> {
        // The upsert keeps the address's row locked until commit: concurrent failures
        // serialise, and each caller locks according to its own count.
        FERR_PG_TRY(rows, co_await c.query(kLoginFailure, email));
        FERR_PG_TRY(failures, rows.int64(0, 0));
        accounts::LoginThrottle t;
        t.consecutive_failures = static_cast<int>(failures);
        auto lock = lock_for(t.consecutive_failures);
        if (lock.count() > 0) {
          t.locked_until = now + lock;
          FERR_PG_DO(co_await c.query(
              "UPDATE login_throttle SET locked_until = ms_to_ts($1) WHERE email = $2",
              to_ms(*t.locked_until), email));
        }
        co_return t;
      });
}

Result<void> PgAccountRepository::reset_login_failures(const std::string& email) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query("DELETE FROM login_throttle WHERE email = $1", email));
    co_return Result<void>{};
  });
}

Result<void> PgAccountRepository::create_session(const Uuid& session_id, const Uuid& user_id,
                                                 const std::string& refresh_hash,
                                                 TimePoint refresh_expires, TimePoint now) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    // One round trip; a pipeline is all or nothing, like SQLite's transaction.
    std::vector<Statement> statements{
        {"INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $2, ms_to_ts($3))",
         {session_id.to_string(), user_id.to_string(), to_ms(now)}},
        {std::string(kInsertRefreshToken),
         {refresh_hash, session_id.to_string(), to_ms(refresh_expires)}}};
    FERR_PG_DO(co_await db_.pool().pipeline(std::move(statements)));
    co_return Result<void>{};
  });
}

Result<bool> PgAccountRepository::session_active(const Uuid& session_id) {
  return db_.run<bool>([&]() -> awaitable<Result<bool>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(
                          "SELECT 1 FROM sessions WHERE id = $1 AND revoked_at IS NULL",
                          session_id.to_string()));
    co_return rows.rows() > 0;
  });
}

Result<accounts::RefreshOutcome> PgAccountRepository::rotate_refresh_token(
    const std::string& presented_hash, const std::string& new_hash, TimePoint new_expires,
    TimePoint now) {
  using Kind = accounts::RefreshOutcome::Kind;
  return db_.transaction<accounts::RefreshOutcome>(
      [&](Connection& c) -> awaitable<Result<accounts::RefreshOutcome>> {
        // The token's row stays locked until commit: the same token presented twice at once
        // waits here, then sees it spent and revokes the family.
        FERR_PG_TRY(rows, co_await c.query(kLockRefreshToken, presented_hash));
        accounts::RefreshOutcome out;
        if (rows.rows() == 0) co_return out;  // unknown
        FERR_PG_TRY(session_id, read_uuid(rows, 0, 0));
        FERR_PG_TRY(user_id, read_uuid(rows, 0, 1));
        FERR_PG_TRY(expires, read_time(rows, 0, 2));
        out.session_id = session_id;
        out.user_id = user_id;
        const bool spent = !rows.is_null(0, 3);
        const bool revoked = !rows.is_null(0, 4);

        if (spent) {
          // A spent token came back: someone holds a copy. End the whole family.
          FERR_PG_DO(co_await c.query(
              "UPDATE sessions SET revoked_at = coalesce(revoked_at, ms_to_ts($1)) WHERE id = $2",
              to_ms(now), session_id.to_string()));
          out.kind = Kind::reused;
          co_return out;
        }
        if (revoked || now >= expires) {
          out.kind = Kind::expired;
          co_return out;
        }
        FERR_PG_DO(co_await c.query(
            "UPDATE refresh_tokens SET rotated_at = ms_to_ts($1) WHERE token_hash = $2", to_ms(now),
            presented_hash));
        FERR_PG_DO(co_await c.query(kInsertRefreshToken, new_hash, session_id.to_string(),
                                    to_ms(new_expires)));
        out.kind = Kind::rotated;
        co_return out;
      });
}

Result<void> PgAccountRepository::revoke_session(const Uuid& session_id, TimePoint now) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "UPDATE sessions SET revoked_at = coalesce(revoked_at, ms_to_ts($1)) WHERE id = $2",
        to_ms(now), session_id.to_string()));
    co_return Result<void>{};
  });
}

Result<void> PgAccountRepository::store_reset_token(const Uuid& user_id,
                                                    const std::string& token_hash,
                                                    TimePoint expires_at, TimePoint now) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) "
        "VALUES ($1, $2, ms_to_ts($3), ms_to_ts($4))",
        token_hash, user_id.to_string(), to_ms(now), to_ms(expires_at)));
    co_return Result<void>{};
  });
}

Result<std::optional<accounts::StoredResetToken>> PgAccountRepository::find_reset_token(
    const std::string& token_hash) {
  using Found = std::optional<accounts::StoredResetToken>;
  return db_.run<Found>([&]() -> awaitable<Result<Found>> {
    FERR_PG_TRY(
        rows, co_await db_.pool().query("SELECT r.user_id, u.email, ts_to_ms(r.expires_at), "
                                        "r.used_at IS NOT NULL FROM password_resets r "
                                        "JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1",
                                        token_hash));
    if (rows.rows() == 0) co_return Found{};
    FERR_PG_TRY(user_id, read_uuid(rows, 0, 0));
    FERR_PG_TRY(email, rows.string(0, 1));
    FERR_PG_TRY(expires, read_time(rows, 0, 2));
    FERR_PG_TRY(used, rows.boolean(0, 3));
    accounts::StoredResetToken t;
    t.user_id = user_id;
    t.email = std::move(email);
    t.expires_at = expires;
    t.used = used;
    co_return Found{std::move(t)};
  });
}

Result<bool> PgAccountRepository::complete_password_reset(const std::string& token_hash,
                                                          const Uuid& user_id,
                                                          const std::string& email,
                                                          const std::string& new_hash,
                                                          TimePoint now) {
  return db_.transaction<bool>([&](Connection& c) -> awaitable<Result<bool>> {
    // The conditional UPDATE decides: a concurrent completion waits for it, then finds the
    // token used and changes nothing.
    FERR_PG_TRY(spent, co_await c.query("UPDATE password_resets SET used_at = ms_to_ts($1) "
                                        "WHERE token_hash = $2 AND used_at IS NULL",
                                        to_ms(now), token_hash));
    if (spent.affected_rows() != 1) co_return false;
    const std::string id = user_id.to_string();
    FERR_PG_DO(co_await c.query(
        "UPDATE users SET password_hash = $1, updated_at = ms_to_ts($2) WHERE id = $3", new_hash,
        to_ms(now), id));
    FERR_PG_DO(
        co_await c.query("UPDATE sessions SET revoked_at = ms_to_ts($1) "
                         "WHERE user_id = $2 AND revoked_at IS NULL",
                         to_ms(now), id));
    FERR_PG_DO(co_await c.query("DELETE FROM login_throttle WHERE email = $1", email));
    co_return true;
  });
}

Result<bool> PgAccountRepository::user_opt_out(const Uuid& user_id) {
  return db_.run<bool>([&]() -> awaitable<Result<bool>> {
    FERR_PG_TRY(rows, co_await db_.pool().query(
                          "SELECT telemetry_opt_out FROM user_prefs WHERE user_id = $1",
                          user_id.to_string()));
    if (rows.rows() == 0) co_return false;  // no row: not opted out
    co_return rows.boolean(0, 0);
  });
}

Result<void> PgAccountRepository::set_user_opt_out(const Uuid& user_id, bool opt_out,
                                                   TimePoint now) {
  return db_.run<void>([&]() -> awaitable<Result<void>> {
    FERR_PG_DO(co_await db_.pool().query(
        "INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at) "
        "VALUES ($1, $2, ms_to_ts($3)) ON CONFLICT (user_id) DO UPDATE "
        "SET telemetry_opt_out = EXCLUDED.telemetry_opt_out, updated_at = EXCLUDED.updated_at",
        user_id.to_string(), opt_out, to_ms(now)));
    co_return Result<void>{};
  });
}

}  // namespace ferr::storage::postgres
