#include "fakes/token_repository.hpp"

#include <algorithm>

namespace ferr::fakes {

namespace {

using core::Result;
using core::Task;
using core::TimePoint;
using domain::tokens::ApiToken;
using domain::tokens::TokenOutcome;

bool live(const TokenRow& t, TimePoint now) {
  return !t.stored.token.revoked_at &&
         (!t.stored.token.expires_at || *t.stored.token.expires_at > now);
}

/// Newest first, as the statements order them.
std::vector<ApiToken> newest_first(std::vector<ApiToken> tokens) {
  std::ranges::sort(tokens, [](const auto& a, const auto& b) {
    return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
  });
  return tokens;
}

}  // namespace

Task<Result<std::optional<domain::tokens::PresentedToken>>> FakeTokenRepository::find_by_hash(
    const std::string& hash) {
  using Found = std::optional<domain::tokens::PresentedToken>;
  auto body = [&]() -> Result<Found> {
    for (const auto& row : db_.api_tokens) {
      if (row.stored.token_hash != hash) continue;
      const ApiToken& t = row.stored.token;
      return Found{domain::tokens::PresentedToken{t.id, row.stored.user_id, t.org_id, t.owner,
                                                  t.created_by, t.scopes, t.expires_at,
                                                  t.last_used_at, t.revoked_at.has_value()}};
    }
    return Found{};
  };
  co_return co_await hooks.call<Found>("find_by_hash", db_.mutex, body);
}

Task<Result<void>> FakeTokenRepository::record_use(const core::ApiTokenId& id, TimePoint now,
                                                   TimePoint not_since) {
  auto body = [&]() -> Result<void> {
    for (auto& row : db_.api_tokens) {
      auto& t = row.stored.token;
      if (t.id == id && (!t.last_used_at || *t.last_used_at <= not_since)) t.last_used_at = now;
    }
    return {};
  };
  co_return co_await hooks.call<void>("record_use", db_.mutex, body);
}

Task<Result<TokenOutcome>> FakeTokenRepository::create_personal(
    const domain::accounts::Principal& principal, const domain::tokens::NewToken& token,
    TimePoint now) {
  auto body = [&]() -> Result<TokenOutcome> {
    if (!db_.session_live(principal)) return TokenOutcome::caller_not_live;
    auto count = std::ranges::count_if(db_.api_tokens, [&](const auto& row) {
      return row.stored.user_id == principal.user_id && live(row, now);
    });
    if (auto allowed = domain::tokens::check_live_count(static_cast<int>(count)); !allowed)
      return core::fail(allowed.error());
    db_.api_tokens.push_back(TokenRow{token});
    return TokenOutcome::done;
  };
  co_return co_await hooks.call<TokenOutcome>("create_personal", db_.mutex, body);
}

Task<Result<std::optional<std::vector<ApiToken>>>> FakeTokenRepository::personal_tokens(
    const domain::accounts::Principal& principal, TimePoint now) {
  using Found = std::optional<std::vector<ApiToken>>;
  auto body = [&]() -> Result<Found> {
    if (!db_.session_live(principal)) return Found{};
    std::vector<ApiToken> out;
    for (const auto& row : db_.api_tokens)
      if (row.stored.user_id == principal.user_id && live(row, now))
        out.push_back(row.stored.token);
    return Found{newest_first(std::move(out))};
  };
  co_return co_await hooks.call<Found>("personal_tokens", db_.mutex, body);
}

Task<Result<TokenOutcome>> FakeTokenRepository::revoke_personal(
    const domain::accounts::Principal& principal, const core::ApiTokenId& id, TimePoint now) {
  auto body = [&]() -> Result<TokenOutcome> {
    if (!db_.session_live(principal)) return TokenOutcome::caller_not_live;
    for (auto& row : db_.api_tokens) {
      if (row.stored.token.id == id && row.stored.user_id == principal.user_id && live(row, now)) {
        row.stored.token.revoked_at = now;
        return TokenOutcome::done;
      }
    }
    return TokenOutcome::not_found;
  };
  co_return co_await hooks.call<TokenOutcome>("revoke_personal", db_.mutex, body);
}

Task<Result<ApiToken>> FakeTokenRepository::create_for_org(const core::OrgId& org_id,
                                                           const domain::tokens::NewToken& token,
                                                           const domain::orgs::AuditRecord& audit,
                                                           TimePoint now) {
  auto body = [&]() -> Result<ApiToken> {
    auto count = std::ranges::count_if(db_.api_tokens, [&](const auto& row) {
      return row.stored.token.org_id == org_id && live(row, now);
    });
    if (auto allowed = domain::tokens::check_live_count(static_cast<int>(count)); !allowed)
      return core::fail(allowed.error());
    db_.api_tokens.push_back(TokenRow{token});
    db_.audit_log.push_back(AuditRow{org_id, audit});
    ApiToken stored = token.token;
    auto creator = db_.users.find(stored.created_by);
    if (creator != db_.users.end()) stored.created_by_email = creator->second.user.email;
    return stored;
  };
  co_return co_await hooks.call<ApiToken>("create_for_org", db_.mutex, body);
}

Task<Result<std::vector<ApiToken>>> FakeTokenRepository::org_tokens(const core::OrgId& org_id) {
  auto body = [&]() -> Result<std::vector<ApiToken>> {
    std::vector<ApiToken> out;
    for (const auto& row : db_.api_tokens) {
      if (row.stored.token.org_id != org_id) continue;
      ApiToken t = row.stored.token;
      auto creator = db_.users.find(t.created_by);
      if (creator != db_.users.end()) t.created_by_email = creator->second.user.email;
      out.push_back(std::move(t));
    }
    return newest_first(std::move(out));
  };
  co_return co_await hooks.call<std::vector<ApiToken>>("org_tokens", db_.mutex, body);
}

Task<Result<bool>> FakeTokenRepository::revoke_for_org(const core::OrgId& org_id,
                                                       const core::ApiTokenId& id,
                                                       const domain::orgs::AuditRecord& audit,
                                                       TimePoint now) {
  auto body = [&]() -> Result<bool> {
    for (auto& row : db_.api_tokens) {
      auto& t = row.stored.token;
      if (t.id == id && t.org_id == org_id && !t.revoked_at) {
        t.revoked_at = now;
        db_.audit_log.push_back(AuditRow{org_id, audit});
        return true;
      }
    }
    return false;
  };
  co_return co_await hooks.call<bool>("revoke_for_org", db_.mutex, body);
}

}  // namespace ferr::fakes
