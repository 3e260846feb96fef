#include "storage/postgres/token_repository.hpp"

#include <string>
#include <utility>
#include <vector>

#include "core/stored_value.hpp"
#include "core/try.hpp"
#include "storage/postgres/audit_writer.hpp"
#include "storage/postgres/codec.hpp"
#include "storage/postgres/statements.hpp"
#include "storage/postgres/transaction.hpp"

namespace ferr::storage::postgres {

namespace {

using core::Result;
using core::Task;
using core::TimePoint;
using domain::tokens::ApiToken;
using domain::tokens::TokenOutcome;

std::optional<std::string> optional_text(const std::optional<core::UserId>& id) {
  if (!id) return std::nullopt;
  return id->to_string();
}

std::optional<std::string> optional_text(const std::optional<core::OrgId>& id) {
  if (!id) return std::nullopt;
  return id->to_string();
}

Result<domain::tokens::Scopes> read_scopes(const QueryResult& rows, int row, int column) {
  FERR_TRY(auto text, rows.string(row, column));
  return core::known_stored_value(domain::tokens::Scopes::parse_stored(text), "api_tokens.scopes",
                                  text);
}

Result<domain::tokens::Owner> read_owner(const QueryResult& rows, int row, int column) {
  FERR_TRY(auto text, rows.string(row, column));
  return core::known_stored_value(domain::tokens::parse_owner(text), "api_tokens.owner", text);
}

/// The rows of statements/org_tokens.sql.
Result<std::vector<ApiToken>> read_org_tokens(const QueryResult& rows, const core::OrgId& org_id) {
  std::vector<ApiToken> tokens;
  for (int r = 0; r < rows.rows(); ++r) {
    ApiToken t;
    t.org_id = org_id;
    FERR_TRY(t.id, read_id<core::ApiTokenId>(rows, r, 0));
    FERR_TRY(t.name, rows.string(r, 1));
    FERR_TRY(t.token_prefix, rows.string(r, 2));
    FERR_TRY(t.scopes, read_scopes(rows, r, 3));
    FERR_TRY(t.owner, read_owner(rows, r, 4));
    FERR_TRY(t.created_by, read_id<core::UserId>(rows, r, 5));
    FERR_TRY(t.created_by_email, rows.optional_string(r, 6));
    FERR_TRY(t.expires_at, read_optional_time(rows, r, 7));
    FERR_TRY(t.last_used_at, read_optional_time(rows, r, 8));
    FERR_TRY(t.revoked_at, read_optional_time(rows, r, 9));
    FERR_TRY(t.created_at, read_time(rows, r, 10));
    tokens.push_back(std::move(t));
  }
  return tokens;
}

Statement insert_token(const domain::tokens::NewToken& t) {
  const ApiToken& k = t.token;
  std::optional<std::string> owner;
  if (k.owner) owner = std::string(domain::tokens::to_string(*k.owner));
  std::optional<std::int64_t> expires;
  if (k.expires_at) expires = to_ms(*k.expires_at);
  return Statement{sql::insert_api_token,
                   {k.id.to_string(), t.token_hash, k.token_prefix, k.name, k.scopes.stored(),
                    optional_text(t.user_id), optional_text(k.org_id), owner,
                    k.created_by.to_string(), expires, to_ms(k.created_at)}};
}

}  // namespace

Task<Result<std::optional<domain::tokens::PresentedToken>>> PgTokenRepository::find_by_hash(
    const std::string& hash) {
  using Found = std::optional<domain::tokens::PresentedToken>;
  FERR_CO_TRY(auto rows, co_await db_.pool().shared_query(sql::find_api_token, hash));
  if (rows.rows() == 0) co_return Found{};
  domain::tokens::PresentedToken t;
  FERR_CO_TRY(t.id, read_id<core::ApiTokenId>(rows, 0, 0));
  if (!rows.is_null(0, 1)) {
    FERR_CO_TRY(t.user_id, read_id<core::UserId>(rows, 0, 1));
  }
  if (!rows.is_null(0, 2)) {
    FERR_CO_TRY(t.org_id, read_id<core::OrgId>(rows, 0, 2));
    FERR_CO_TRY(t.owner, read_owner(rows, 0, 3));
  }
  FERR_CO_TRY(t.created_by, read_id<core::UserId>(rows, 0, 4));
  FERR_CO_TRY(t.scopes, read_scopes(rows, 0, 5));
  FERR_CO_TRY(t.expires_at, read_optional_time(rows, 0, 6));
  FERR_CO_TRY(t.last_used_at, read_optional_time(rows, 0, 7));
  FERR_CO_TRY(t.revoked, rows.boolean(0, 8));
  co_return Found{t};
}

Task<Result<void>> PgTokenRepository::record_use(const core::ApiTokenId& id, TimePoint now,
                                                 TimePoint not_since) {
  FERR_CO_CHECK(co_await db_.pool().query(sql::record_token_use, id.to_string(), to_ms(now),
                                          to_ms(not_since)));
  co_return Result<void>{};
}

Task<Result<TokenOutcome>> PgTokenRepository::create_personal(
    const domain::accounts::Principal& principal, const domain::tokens::NewToken& token,
    TimePoint now) {
  auto body = [&](Transaction& tx) -> Task<Result<TokenOutcome>> {
    std::vector<Statement> reads;
    reads.push_back(
        {sql::session_active, {principal.session_id.to_string(), principal.user_id.to_string()}});
    reads.push_back({sql::lock_user, {principal.user_id.to_string()}});
    reads.push_back({sql::live_token_count,
                     {principal.user_id.to_string(), std::optional<std::string>{}, to_ms(now)}});
    FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
    if (read[0].rows() == 0) co_return TokenOutcome::caller_not_live;
    FERR_CO_TRY(const std::int64_t live, read[2].int64(0, 0));
    FERR_CO_CHECK(domain::tokens::check_live_count(static_cast<int>(live)));
    std::vector<Statement> writes;
    writes.push_back(insert_token(token));
    FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));
    co_return TokenOutcome::done;
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::optional<std::vector<ApiToken>>>> PgTokenRepository::personal_tokens(
    const domain::accounts::Principal& principal, TimePoint now) {
  using Found = std::optional<std::vector<ApiToken>>;
  // The caller's credential check and the list in one round trip.
  std::vector<Statement> statements;
  statements.push_back(
      {sql::session_active, {principal.session_id.to_string(), principal.user_id.to_string()}});
  statements.push_back({sql::personal_tokens, {principal.user_id.to_string(), to_ms(now)}});
  FERR_CO_TRY(auto results, co_await db_.pool().pipeline(std::move(statements)));
  if (results[0].rows() == 0) co_return Found{};
  const QueryResult& rows = results[1];
  std::vector<ApiToken> tokens;
  for (int r = 0; r < rows.rows(); ++r) {
    ApiToken t;
    FERR_CO_TRY(t.id, read_id<core::ApiTokenId>(rows, r, 0));
    FERR_CO_TRY(t.name, rows.string(r, 1));
    FERR_CO_TRY(t.token_prefix, rows.string(r, 2));
    FERR_CO_TRY(t.scopes, read_scopes(rows, r, 3));
    FERR_CO_TRY(t.expires_at, read_optional_time(rows, r, 4));
    FERR_CO_TRY(t.last_used_at, read_optional_time(rows, r, 5));
    FERR_CO_TRY(t.created_at, read_time(rows, r, 6));
    t.created_by = principal.user_id;
    tokens.push_back(std::move(t));
  }
  co_return Found{std::move(tokens)};
}

Task<Result<TokenOutcome>> PgTokenRepository::revoke_personal(
    const domain::accounts::Principal& principal, const core::ApiTokenId& id, TimePoint now) {
  std::vector<Statement> statements;
  statements.push_back(
      {sql::session_active, {principal.session_id.to_string(), principal.user_id.to_string()}});
  statements.push_back(
      {sql::revoke_personal_token, {principal.user_id.to_string(), id.to_string(), to_ms(now)}});
  // A pipeline outside a transaction runs each statement on its own: when the caller's
  // credential is dead the revocation may still run, which is what that token's owner asked for
  // before their credential died; the answer is the caller's 401 all the same.
  FERR_CO_TRY(auto results, co_await db_.pool().pipeline(std::move(statements)));
  if (results[0].rows() == 0) co_return TokenOutcome::caller_not_live;
  co_return results[1].rows() > 0 ? TokenOutcome::done : TokenOutcome::not_found;
}

Task<Result<ApiToken>> PgTokenRepository::create_for_org(const core::OrgId& org_id,
                                                         const domain::tokens::NewToken& token,
                                                         const domain::orgs::AuditRecord& audit,
                                                         TimePoint now) {
  auto body = [&](Transaction& tx) -> Task<Result<ApiToken>> {
    std::vector<Statement> reads;
    reads.push_back(lock_org(org_id));
    reads.push_back(
        {sql::live_token_count, {std::optional<std::string>{}, org_id.to_string(), to_ms(now)}});
    FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
    FERR_CO_TRY(const std::int64_t live, read[1].int64(0, 0));
    FERR_CO_CHECK(domain::tokens::check_live_count(static_cast<int>(live)));
    std::vector<Statement> writes;
    writes.push_back(insert_token(token));
    writes.push_back(insert_audit(org_id, audit));
    writes.push_back({sql::org_tokens, {org_id.to_string(), token.token.id.to_string()}});
    FERR_CO_TRY(auto written, co_await tx.commit_with(std::move(writes)));
    FERR_CO_TRY(auto stored, read_org_tokens(written[2], org_id));
    if (stored.size() != 1) co_return core::fail(core::Error::database("org token not read back"));
    co_return std::move(stored[0]);
  };
  co_return co_await in_transaction(db_.pool(), body);
}

Task<Result<std::vector<ApiToken>>> PgTokenRepository::org_tokens(const core::OrgId& org_id) {
  FERR_CO_TRY(auto rows, co_await db_.pool().query(sql::org_tokens, org_id.to_string(),
                                                   std::optional<std::string>{}));
  co_return read_org_tokens(rows, org_id);
}

Task<Result<bool>> PgTokenRepository::revoke_for_org(const core::OrgId& org_id,
                                                     const core::ApiTokenId& id,
                                                     const domain::orgs::AuditRecord& audit,
                                                     TimePoint now) {
  auto body = [&](Transaction& tx) -> Task<Result<bool>> {
    std::vector<Statement> reads;
    reads.push_back(lock_org(org_id));
    reads.push_back({sql::revoke_org_token, {org_id.to_string(), id.to_string(), to_ms(now)}});
    FERR_CO_TRY(auto read, co_await tx.pipeline(std::move(reads)));
    if (read[1].rows() == 0) co_return false;  // nothing revoked, nothing to audit
    std::vector<Statement> writes;
    writes.push_back(insert_audit(org_id, audit));
    FERR_CO_CHECK(co_await tx.commit_with(std::move(writes)));
    co_return true;
  };
  co_return co_await in_transaction(db_.pool(), body);
}

}  // namespace ferr::storage::postgres
