#include "storage/sqlite/token_repository.hpp"

#include <string>
#include <utility>
#include <vector>

#include "core/try.hpp"
#include "storage/sqlite/audit_writer.hpp"
#include "storage/sqlite/codec.hpp"
#include "storage/sqlite/shared_sql.hpp"

namespace ferr::storage::sqlite {

namespace {

using core::Result;
using core::Task;
using core::TimePoint;
using domain::tokens::ApiToken;
using domain::tokens::TokenOutcome;

// --- Statements (each text lives here once; PostgreSQL's statements/*.sql say what each column
// is) -----------------------------------------------------------------------------------------

constexpr std::string_view kFindToken =
    "SELECT id, user_id, org_id, owner, created_by, scopes, expires_at, last_used_at, "
    "revoked_at IS NOT NULL FROM api_tokens WHERE token_hash = ?";
constexpr std::string_view kRecordUse =
    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1 AND revoked_at IS NULL AND "
    "(last_used_at IS NULL OR "
    "last_used_at <= ?3)";
// ?1 user or NULL, ?2 org or NULL, ?3 now. Inside the IMMEDIATE transaction the count stands.
constexpr std::string_view kLiveTokenCount =
    "SELECT count(*) FROM api_tokens WHERE (user_id = ?1 OR org_id = ?2) AND revoked_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > ?3)";
constexpr std::string_view kInsertToken =
    "INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, "
    "created_by, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr std::string_view kPersonalTokens =
    "SELECT id, name, token_prefix, scopes, expires_at, last_used_at, created_at FROM api_tokens "
    "WHERE user_id = ?1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?2) "
    "ORDER BY created_at DESC, id DESC";
constexpr std::string_view kRevokePersonal =
    "UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?2 AND user_id = ?1 AND revoked_at IS NULL "
    "AND (expires_at IS NULL OR expires_at > ?3)";
constexpr std::string_view kOrgTokens =
    "SELECT t.id, t.name, t.token_prefix, t.scopes, t.owner, t.created_by, u.email, "
    "t.expires_at, t.last_used_at, t.revoked_at, t.created_at FROM api_tokens t LEFT JOIN users u "
    "ON u.id = t.created_by WHERE t.org_id = ?1 AND (?2 IS NULL OR t.id = ?2) "
    "ORDER BY t.created_at DESC, t.id DESC";
constexpr std::string_view kRevokeOrgToken =
    "UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?2 AND org_id = ?1 AND revoked_at IS NULL";
const std::string kCredentialLive = "SELECT " + std::string(kSessionIsLive);

std::optional<TimePoint> optional_time(const Statement& row, int column) {
  if (row.column_is_null(column)) return std::nullopt;
  return from_ms(row.column_int(column));
}

void bind_optional_time(Statement& s, int index, const std::optional<TimePoint>& t) {
  if (t)
    s.bind(index, to_ms(*t));
  else
    s.bind_null(index);
}

Result<domain::tokens::Scopes> read_scopes(const Statement& row, int column) {
  return read_enum(row, column, domain::tokens::Scopes::parse_stored, "api_tokens.scopes");
}

Result<domain::tokens::Owner> read_owner(const Statement& row, int column) {
  return read_enum(row, column, domain::tokens::parse_owner, "api_tokens.owner");
}

Result<bool> credential_live(Connection& c, const domain::accounts::Principal& principal) {
  FERR_TRY(auto q, c.query(kCredentialLive));
  q->bind(1, principal.session_id).bind(2, principal.user_id);
  FERR_CHECK(q->step());
  return q->column_int(0) != 0;
}

Result<void> check_live_count(Connection& c, const std::optional<core::UserId>& user,
                              const std::optional<core::OrgId>& org, TimePoint now) {
  FERR_TRY(auto q, c.query(kLiveTokenCount));
  if (user)
    q->bind(1, *user);
  else
    q->bind_null(1);
  if (org)
    q->bind(2, *org);
  else
    q->bind_null(2);
  q->bind(3, to_ms(now));
  FERR_CHECK(q->step());
  return domain::tokens::check_live_count(static_cast<int>(q->column_int(0)));
}

Result<void> insert_token(Connection& c, const domain::tokens::NewToken& t) {
  const ApiToken& k = t.token;
  FERR_TRY(auto q, c.query(kInsertToken));
  q->bind(1, k.id).bind(2, t.token_hash).bind(3, k.token_prefix).bind(4, k.name);
  q->bind(5, k.scopes.stored());
  if (t.user_id)
    q->bind(6, *t.user_id);
  else
    q->bind_null(6);
  if (k.org_id)
    q->bind(7, *k.org_id);
  else
    q->bind_null(7);
  if (k.owner)
    q->bind(8, domain::tokens::to_string(*k.owner));
  else
    q->bind_null(8);
  q->bind(9, k.created_by);
  bind_optional_time(*q, 10, k.expires_at);
  q->bind(11, to_ms(k.created_at));
  return q->run();
}

/// The org's tokens (or only `id`), as kOrgTokens reads them.
Result<std::vector<ApiToken>> select_org_tokens(Connection& c, const core::OrgId& org_id,
                                                const std::optional<core::ApiTokenId>& id) {
  FERR_TRY(auto q, c.query(kOrgTokens));
  q->bind(1, org_id);
  if (id)
    q->bind(2, *id);
  else
    q->bind_null(2);
  std::vector<ApiToken> tokens;
  for (;;) {
    FERR_TRY(bool row, q->step());
    if (!row) return tokens;
    ApiToken t;
    t.org_id = org_id;
    t.id = read_id<core::ApiTokenId>(*q, 0);
    t.name = q->column_text(1);
    t.token_prefix = q->column_text(2);
    FERR_TRY(t.scopes, read_scopes(*q, 3));
    FERR_TRY(t.owner, read_owner(*q, 4));
    t.created_by = read_id<core::UserId>(*q, 5);
    if (!q->column_is_null(6)) t.created_by_email = q->column_text(6);
    t.expires_at = optional_time(*q, 7);
    t.last_used_at = optional_time(*q, 8);
    t.revoked_at = optional_time(*q, 9);
    t.created_at = from_ms(q->column_int(10));
    tokens.push_back(std::move(t));
  }
}

}  // namespace

Task<Result<std::optional<domain::tokens::PresentedToken>>> SqliteTokenRepository::find_by_hash(
    const std::string& hash) {
  using Found = std::optional<domain::tokens::PresentedToken>;
  co_return co_await db_.read_async([&](Connection& c) -> Result<Found> {
    FERR_TRY(auto q, c.query(kFindToken));
    q->bind(1, hash);
    FERR_TRY(bool row, q->step());
    if (!row) return Found{};
    domain::tokens::PresentedToken t;
    t.id = read_id<core::ApiTokenId>(*q, 0);
    if (!q->column_is_null(1)) t.user_id = read_id<core::UserId>(*q, 1);
    if (!q->column_is_null(2)) {
      t.org_id = read_id<core::OrgId>(*q, 2);
      FERR_TRY(t.owner, read_owner(*q, 3));
    }
    t.created_by = read_id<core::UserId>(*q, 4);
    FERR_TRY(t.scopes, read_scopes(*q, 5));
    t.expires_at = optional_time(*q, 6);
    t.last_used_at = optional_time(*q, 7);
    t.revoked = q->column_int(8) != 0;
    return Found{t};
  });
}

Task<Result<void>> SqliteTokenRepository::record_use(const core::ApiTokenId& id, TimePoint now,
                                                     TimePoint not_since) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<void> {
    FERR_TRY(auto q, c.query(kRecordUse));
    q->bind(1, id).bind(2, to_ms(now)).bind(3, to_ms(not_since));
    return q->run();
  });
}

Task<Result<TokenOutcome>> SqliteTokenRepository::create_personal(
    const domain::accounts::Principal& principal, const domain::tokens::NewToken& token,
    TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<TokenOutcome> {
    FERR_TRY(bool live, credential_live(c, principal));
    if (!live) return TokenOutcome::caller_not_live;
    FERR_CHECK(check_live_count(c, principal.user_id, std::nullopt, now));
    FERR_CHECK(insert_token(c, token));
    return TokenOutcome::done;
  });
}

Task<Result<std::optional<std::vector<ApiToken>>>> SqliteTokenRepository::personal_tokens(
    const domain::accounts::Principal& principal, TimePoint now) {
  using Found = std::optional<std::vector<ApiToken>>;
  co_return co_await db_.read_async([&](Connection& c) -> Result<Found> {
    FERR_TRY(bool live, credential_live(c, principal));
    if (!live) return Found{};
    FERR_TRY(auto q, c.query(kPersonalTokens));
    q->bind(1, principal.user_id).bind(2, to_ms(now));
    std::vector<ApiToken> tokens;
    for (;;) {
      FERR_TRY(bool row, q->step());
      if (!row) return Found{std::move(tokens)};
      ApiToken t;
      t.id = read_id<core::ApiTokenId>(*q, 0);
      t.name = q->column_text(1);
      t.token_prefix = q->column_text(2);
      FERR_TRY(t.scopes, read_scopes(*q, 3));
      t.expires_at = optional_time(*q, 4);
      t.last_used_at = optional_time(*q, 5);
      t.created_at = from_ms(q->column_int(6));
      t.created_by = principal.user_id;
      tokens.push_back(std::move(t));
    }
  });
}

Task<Result<TokenOutcome>> SqliteTokenRepository::revoke_personal(
    const domain::accounts::Principal& principal, const core::ApiTokenId& id, TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<TokenOutcome> {
    FERR_TRY(bool live, credential_live(c, principal));
    if (!live) return TokenOutcome::caller_not_live;
    FERR_TRY(auto q, c.query(kRevokePersonal));
    q->bind(1, principal.user_id).bind(2, id).bind(3, to_ms(now));
    FERR_CHECK(q->run());
    return c.changes() > 0 ? TokenOutcome::done : TokenOutcome::not_found;
  });
}

Task<Result<ApiToken>> SqliteTokenRepository::create_for_org(const core::OrgId& org_id,
                                                             const domain::tokens::NewToken& token,
                                                             const domain::orgs::AuditRecord& audit,
                                                             TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<ApiToken> {
    FERR_CHECK(check_live_count(c, std::nullopt, org_id, now));
    FERR_CHECK(insert_token(c, token));
    FERR_CHECK(write_audit(c, org_id, audit));
    FERR_TRY(auto stored, select_org_tokens(c, org_id, token.token.id));
    if (stored.size() != 1) return core::fail(core::Error::database("org token not read back"));
    return std::move(stored[0]);
  });
}

Task<Result<std::vector<ApiToken>>> SqliteTokenRepository::org_tokens(const core::OrgId& org_id) {
  co_return co_await db_.read_async([&](Connection& c) -> Result<std::vector<ApiToken>> {
    return select_org_tokens(c, org_id, std::nullopt);
  });
}

Task<Result<bool>> SqliteTokenRepository::revoke_for_org(const core::OrgId& org_id,
                                                         const core::ApiTokenId& id,
                                                         const domain::orgs::AuditRecord& audit,
                                                         TimePoint now) {
  co_return co_await db_.transaction_async([&](Connection& c) -> Result<bool> {
    FERR_TRY(auto q, c.query(kRevokeOrgToken));
    q->bind(1, org_id).bind(2, id).bind(3, to_ms(now));
    FERR_CHECK(q->run());
    if (c.changes() == 0) return false;
    FERR_CHECK(write_audit(c, org_id, audit));
    return true;
  });
}

}  // namespace ferr::storage::sqlite
