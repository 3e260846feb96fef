#include "fakes/account_repository.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "domain/accounts/account_rules.hpp"
#include "domain/accounts/login_throttle.hpp"

namespace ferr::fakes {

using core::Result;
using core::Task;
using core::TimePoint;
using core::UserId;
namespace accounts = domain::accounts;

// Each method builds its body first and then awaits it: GCC 12 cannot compile some braced lists
// inside a co_await expression.

Task<Result<std::pair<accounts::RegisterOutcome, UserId>>> FakeAccountRepository::register_account(
    const std::string& email, const std::string& password_hash,
    const std::optional<std::string>& display_name, const UserId& new_id, TimePoint now) {
  using Outcome = std::pair<accounts::RegisterOutcome, UserId>;
  auto body = [&]() -> Result<Outcome> {
    auto* existing = db_.user_by_email(email);
    std::optional<accounts::StoredStatus> status;
    if (existing != nullptr)
      status =
          existing->user.active ? accounts::StoredStatus::active : accounts::StoredStatus::pending;
    switch (accounts::decide_registration(status)) {
      case accounts::RegisterAction::leave_active:
        return Outcome{accounts::RegisterOutcome::already_active, existing->user.id};
      case accounts::RegisterAction::update_pending:
        existing->password_hash = password_hash;
        if (display_name) existing->user.display_name = display_name;
        existing->user.updated_at = now;
        return Outcome{accounts::RegisterOutcome::pending_updated, existing->user.id};
      case accounts::RegisterAction::create: break;
    }
    accounts::UserWithSecret account;
    account.user.id = new_id;
    account.user.email = email;
    account.user.display_name = display_name;
    account.user.created_at = account.user.updated_at = now;
    account.password_hash = password_hash;
    db_.users.emplace(new_id, std::move(account));
    return Outcome{accounts::RegisterOutcome::created, new_id};
  };
  co_return co_await hooks.call<Outcome>("register_account", db_.mutex, body);
}

Task<Result<bool>> FakeAccountRepository::claim_mail_slot(const std::string& email, TimePoint now,
                                                          TimePoint not_since) {
  auto body = [&]() -> Result<bool> {
    auto [last, inserted] = db_.mail_throttle.emplace(email, now);
    if (inserted) return true;
    if (last->second > not_since) return false;  // mailed too recently
    last->second = now;
    return true;
  };
  co_return co_await hooks.call<bool>("claim_mail_slot", db_.mutex, body);
}

Task<Result<void>> FakeAccountRepository::store_verification_code(const UserId& user_id,
                                                                  const std::string& code_hash,
                                                                  TimePoint expires_at) {
  auto body = [&]() -> Result<void> {
    db_.verification_codes[user_id] = CodeRow{code_hash, expires_at, 0};
    return {};
  };
  co_return co_await hooks.call<void>("store_verification_code", db_.mutex, body);
}

Task<Result<std::optional<accounts::StoredCode>>> FakeAccountRepository::find_verification_code(
    const std::string& email) {
  using Found = std::optional<accounts::StoredCode>;
  auto body = [&]() -> Result<Found> {
    const auto* account = db_.user_by_email(email);
    if (account == nullptr) return Found{};
    accounts::StoredCode code;
    code.user_id = account->user.id;
    code.user_active = account->user.active;
    auto row = db_.verification_codes.find(account->user.id);
    if (row != db_.verification_codes.end()) {
      code.code_hash = row->second.code_hash;
      code.expires_at = row->second.expires_at;
      code.failed_attempts = row->second.failed_attempts;
    }
    return Found{std::move(code)};
  };
  co_return co_await hooks.call<Found>("find_verification_code", db_.mutex, body);
}

Task<Result<int>> FakeAccountRepository::record_code_failure(const UserId& user_id) {
  auto body = [&]() -> Result<int> {
    auto row = db_.verification_codes.find(user_id);
    if (row == db_.verification_codes.end()) return 0;
    return ++row->second.failed_attempts;
  };
  co_return co_await hooks.call<int>("record_code_failure", db_.mutex, body);
}

Task<Result<bool>> FakeAccountRepository::activate(const UserId& user_id, TimePoint now) {
  auto body = [&]() -> Result<bool> {
    auto account = db_.users.find(user_id);
    if (account == db_.users.end() || account->second.user.active) return false;
    account->second.user.active = true;
    account->second.user.updated_at = now;
    db_.verification_codes.erase(user_id);
    return true;
  };
  co_return co_await hooks.call<bool>("activate", db_.mutex, body);
}

Task<Result<std::optional<accounts::UserWithSecret>>> FakeAccountRepository::find_by_email(
    const std::string& email) {
  using Found = std::optional<accounts::UserWithSecret>;
  auto body = [&]() -> Result<Found> {
    const auto* account = db_.user_by_email(email);
    if (account == nullptr) return Found{};
    return Found{*account};
  };
  co_return co_await hooks.call<Found>("find_by_email", db_.mutex, body);
}

Task<Result<std::optional<accounts::User>>> FakeAccountRepository::find_by_id(const UserId& id) {
  using Found = std::optional<accounts::User>;
  auto body = [&]() -> Result<Found> {
    auto account = db_.users.find(id);
    if (account == db_.users.end()) return Found{};
    return Found{account->second.user};
  };
  co_return co_await hooks.call<Found>("find_by_id", db_.mutex, body);
}

Task<Result<std::optional<accounts::User>>> FakeAccountRepository::find_by_session(
    const accounts::Principal& principal) {
  using Found = std::optional<accounts::User>;
  auto body = [&]() -> Result<Found> {
    auto account = db_.users.find(principal.user_id);
    if (!db_.session_live(principal) || account == db_.users.end()) return Found{};
    return Found{account->second.user};
  };
  co_return co_await hooks.call<Found>("find_by_session", db_.mutex, body);
}

Task<Result<void>> FakeAccountRepository::update_password_hash(const UserId& user_id,
                                                               const std::string& hash,
                                                               TimePoint now) {
  auto body = [&]() -> Result<void> {
    auto account = db_.users.find(user_id);
    if (account != db_.users.end()) {
      account->second.password_hash = hash;
      account->second.user.updated_at = now;
    }
    return {};
  };
  co_return co_await hooks.call<void>("update_password_hash", db_.mutex, body);
}

Task<Result<std::optional<accounts::User>>> FakeAccountRepository::update_profile(
    const accounts::Principal& principal, const accounts::ProfilePatch& patch, TimePoint now) {
  using Found = std::optional<accounts::User>;
  auto body = [&]() -> Result<Found> {
    auto account = db_.users.find(principal.user_id);
    if (!db_.session_live(principal) || account == db_.users.end()) return Found{};
    accounts::User& user = account->second.user;
    if (patch.set_display_name) user.display_name = patch.display_name;
    if (patch.timezone) user.timezone = *patch.timezone;
    if (patch.locale) user.locale = *patch.locale;
    if (patch.set_avatar_url) user.avatar_url = patch.avatar_url;
    user.updated_at = now;
    return Found{user};
  };
  co_return co_await hooks.call<Found>("update_profile", db_.mutex, body);
}

Task<Result<accounts::LoginThrottle>> FakeAccountRepository::login_throttle(
    const std::string& email) {
  auto body = [&]() -> Result<accounts::LoginThrottle> {
    auto row = db_.login_throttle.find(email);
    if (row == db_.login_throttle.end()) return accounts::LoginThrottle{};
    return row->second;
  };
  co_return co_await hooks.call<accounts::LoginThrottle>("login_throttle", db_.mutex, body);
}

Task<Result<accounts::LoginThrottle>> FakeAccountRepository::record_login_failure(
    const std::string& email, TimePoint now) {
  auto body = [&]() -> Result<accounts::LoginThrottle> {
    accounts::LoginThrottle& row = db_.login_throttle[email];
    ++row.consecutive_failures;
    TimePoint& last = db_.login_last_failure[email];
    last = std::max(last, now);
    accounts::LoginThrottle answer{row.consecutive_failures, std::nullopt};
    auto lock = accounts::login_lock_for(row.consecutive_failures);
    if (lock.count() > 0) row.locked_until = answer.locked_until = now + lock;
    return answer;
  };
  co_return co_await hooks.call<accounts::LoginThrottle>("record_login_failure", db_.mutex, body);
}

Task<Result<void>> FakeAccountRepository::reset_login_failures(const std::string& email) {
  auto body = [&]() -> Result<void> {
    db_.login_throttle.erase(email);
    db_.login_last_failure.erase(email);
    return {};
  };
  co_return co_await hooks.call<void>("reset_login_failures", db_.mutex, body);
}

Task<Result<std::optional<TimePoint>>> FakeAccountRepository::claim_export_slot(
    const UserId& user_id, TimePoint now, TimePoint not_since) {
  using Held = std::optional<TimePoint>;
  auto body = [&]() -> Result<Held> {
    auto last = db_.last_export_at.find(user_id);
    if (last != db_.last_export_at.end() && last->second > not_since) return Held{last->second};
    db_.last_export_at[user_id] = now;
    return Held{};
  };
  co_return co_await hooks.call<Held>("claim_export_slot", db_.mutex, body);
}

Task<Result<void>> FakeAccountRepository::create_session(const accounts::NewSession& session,
                                                         TimePoint now) {
  auto body = [&]() -> Result<void> {
    if (db_.sessions.contains(session.id) || db_.refresh_tokens.contains(session.refresh_hash))
      return core::fail(core::Error::database("UNIQUE constraint failed"));
    db_.sessions.emplace(session.id, SessionRow{session.user_id, now, std::nullopt,
                                                session.user_agent, now, session.refresh_expires});
    db_.refresh_tokens.emplace(session.refresh_hash,
                               RefreshTokenRow{session.id, session.refresh_expires, std::nullopt});
    if (auto user = db_.users.find(session.user_id); user != db_.users.end())
      user->second.user.last_login_at = now;
    return {};
  };
  co_return co_await hooks.call<void>("create_session", db_.mutex, body);
}

Task<Result<std::optional<std::vector<accounts::SessionInfo>>>>
FakeAccountRepository::list_sessions(const accounts::Principal& principal, TimePoint now) {
  using Found = std::optional<std::vector<accounts::SessionInfo>>;
  auto body = [&]() -> Result<Found> {
    if (!db_.session_live(principal)) return Found{};
    std::vector<accounts::SessionInfo> live;
    for (const auto& [id, row] : db_.sessions) {
      if (row.user_id == principal.user_id && !row.revoked_at && row.expires_at > now)
        live.push_back({id, row.user_agent, row.last_active_at, row.expires_at, row.created_at});
    }
    std::ranges::sort(live, [](const auto& a, const auto& b) {
      return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
    });
    return Found{std::move(live)};
  };
  co_return co_await hooks.call<Found>("list_sessions", db_.mutex, body);
}

Task<Result<accounts::SessionRevocation>> FakeAccountRepository::revoke_session_by_id(
    const accounts::Principal& principal, const core::SessionId& session_id, TimePoint now) {
  auto body = [&]() -> Result<accounts::SessionRevocation> {
    if (!db_.session_live(principal)) return accounts::SessionRevocation::caller_not_live;
    auto row = db_.sessions.find(session_id);
    if (row == db_.sessions.end() || row->second.user_id != principal.user_id ||
        row->second.revoked_at || row->second.expires_at <= now)
      return accounts::SessionRevocation::not_found;
    row->second.revoked_at = now;
    return accounts::SessionRevocation::revoked;
  };
  co_return co_await hooks.call<accounts::SessionRevocation>("revoke_session_by_id", db_.mutex,
                                                             body);
}

Task<Result<bool>> FakeAccountRepository::session_active(const accounts::Principal& principal) {
  auto body = [&]() -> Result<bool> { return db_.session_live(principal); };
  co_return co_await hooks.call<bool>("session_active", db_.mutex, body);
}

Task<Result<accounts::RefreshOutcome>> FakeAccountRepository::rotate_refresh_token(
    const accounts::RefreshRotation& rotation, TimePoint now) {
  using Kind = accounts::RefreshOutcome::Kind;
  auto body = [&]() -> Result<accounts::RefreshOutcome> {
    accounts::RefreshOutcome out;
    auto token = db_.refresh_tokens.find(rotation.presented_hash);
    if (token == db_.refresh_tokens.end()) return out;  // Kind::unknown
    SessionRow& session = db_.sessions.at(token->second.session_id);
    out.session_id = token->second.session_id;
    out.user_id = session.user_id;
    accounts::StoredRefreshToken stored{token->second.expires_at, token->second.rotated_at,
                                        session.revoked_at.has_value()};
    switch (accounts::decide_refresh(stored, now)) {
      case accounts::RefreshAction::revoke_family:
        if (!session.revoked_at) session.revoked_at = now;
        out.kind = Kind::reused;
        return out;
      case accounts::RefreshAction::refuse: out.kind = Kind::expired; return out;
      case accounts::RefreshAction::reissue: out.kind = Kind::reissued; return out;
      case accounts::RefreshAction::rotate: break;
    }
    token->second.rotated_at = now;
    session.last_active_at = now;
    session.expires_at = rotation.new_expires;
    db_.refresh_tokens.emplace(rotation.new_hash,
                               RefreshTokenRow{out.session_id, rotation.new_expires, std::nullopt});
    out.kind = Kind::rotated;
    return out;
  };
  co_return co_await hooks.call<accounts::RefreshOutcome>("rotate_refresh_token", db_.mutex, body);
}

Task<Result<bool>> FakeAccountRepository::revoke_session(const accounts::Principal& principal,
                                                         TimePoint now) {
  auto body = [&]() -> Result<bool> {
    if (!db_.session_live(principal)) return false;
    db_.sessions.at(principal.session_id).revoked_at = now;
    return true;
  };
  co_return co_await hooks.call<bool>("revoke_session", db_.mutex, body);
}

Task<Result<void>> FakeAccountRepository::store_reset_token(const UserId& user_id,
                                                            const std::string& token_hash,
                                                            TimePoint expires_at, TimePoint now) {
  auto body = [&]() -> Result<void> {
    if (!db_.password_resets.emplace(token_hash, ResetTokenRow{user_id, now, expires_at, {}})
             .second)
      return core::fail(core::Error::database("UNIQUE constraint failed"));
    return {};
  };
  co_return co_await hooks.call<void>("store_reset_token", db_.mutex, body);
}

Task<Result<std::optional<accounts::StoredResetToken>>> FakeAccountRepository::find_reset_token(
    const std::string& token_hash) {
  using Found = std::optional<accounts::StoredResetToken>;
  auto body = [&]() -> Result<Found> {
    auto token = db_.password_resets.find(token_hash);
    if (token == db_.password_resets.end()) return Found{};
    auto account = db_.users.find(token->second.user_id);
    if (account == db_.users.end()) return Found{};
    return Found{accounts::StoredResetToken{token->second.user_id, account->second.user.email,
                                            token->second.expires_at,
                                            token->second.used_at.has_value()}};
  };
  co_return co_await hooks.call<Found>("find_reset_token", db_.mutex, body);
}

Task<Result<bool>> FakeAccountRepository::complete_password_reset(const std::string& token_hash,
                                                                  const UserId& user_id,
                                                                  const std::string& email,
                                                                  const std::string& new_hash,
                                                                  TimePoint now) {
  auto body = [&]() -> Result<bool> {
    auto token = db_.password_resets.find(token_hash);
    if (token == db_.password_resets.end() || token->second.used_at) return false;
    token->second.used_at = now;
    auto account = db_.users.find(user_id);
    if (account != db_.users.end()) {
      account->second.password_hash = new_hash;
      account->second.user.updated_at = now;
    }
    for (auto& [id, session] : db_.sessions)
      if (session.user_id == user_id && !session.revoked_at) session.revoked_at = now;
    db_.login_throttle.erase(email);
    return true;
  };
  co_return co_await hooks.call<bool>("complete_password_reset", db_.mutex, body);
}

Task<Result<accounts::HousekeepingRemoved>> FakeAccountRepository::delete_expired(
    const accounts::HousekeepingCutoffs& cutoffs) {
  auto body = [&]() -> Result<accounts::HousekeepingRemoved> {
    accounts::HousekeepingRemoved removed;
    removed.verification_codes =
        static_cast<std::int64_t>(std::erase_if(db_.verification_codes, [&](const auto& c) {
          return c.second.expires_at < cutoffs.codes_expired_before;
        }));
    removed.reset_tokens =
        static_cast<std::int64_t>(std::erase_if(db_.password_resets, [&](const auto& r) {
          const auto before = cutoffs.reset_tokens_ended_before;
          return r.second.expires_at < before || (r.second.used_at && *r.second.used_at < before);
        }));
    removed.refresh_tokens =
        static_cast<std::int64_t>(std::erase_if(db_.refresh_tokens, [&](const auto& t) {
          return t.second.expires_at < cutoffs.refresh_tokens_expired_before;
        }));
    const auto before = cutoffs.sessions_ended_before;
    removed.sessions = static_cast<std::int64_t>(std::erase_if(db_.sessions, [&](const auto& s) {
      if (s.second.created_at >= before) return false;
      if (s.second.revoked_at && *s.second.revoked_at < before) return true;
      return std::none_of(db_.refresh_tokens.begin(), db_.refresh_tokens.end(), [&](const auto& t) {
        return t.second.session_id == s.first && t.second.expires_at >= before;
      });
    }));
    std::erase_if(db_.refresh_tokens,
                  [&](const auto& t) { return !db_.sessions.contains(t.second.session_id); });
    removed.pending_accounts =
        static_cast<std::int64_t>(std::erase_if(db_.users, [&](const auto& u) {
          if (u.second.user.active || u.second.user.updated_at >= cutoffs.pending_registered_before)
            return false;
          auto code = db_.verification_codes.find(u.first);
          return code == db_.verification_codes.end() || code->second.expires_at <= cutoffs.now;
        }));
    // What the users' foreign keys cascade to.
    std::erase_if(db_.verification_codes,
                  [&](const auto& c) { return !db_.users.contains(c.first); });
    std::erase_if(db_.password_resets,
                  [&](const auto& r) { return !db_.users.contains(r.second.user_id); });
    std::erase_if(db_.user_opt_out, [&](const auto& o) { return !db_.users.contains(o.first); });
    removed.mail_throttle = static_cast<std::int64_t>(std::erase_if(
        db_.mail_throttle, [&](const auto& m) { return m.second < cutoffs.mail_sent_before; }));
    removed.login_throttle =
        static_cast<std::int64_t>(std::erase_if(db_.login_throttle, [&](const auto& l) {
          auto last = db_.login_last_failure.find(l.first);
          bool quiet =
              last == db_.login_last_failure.end() || last->second < cutoffs.login_failed_before;
          bool unlocked = !l.second.locked_until || *l.second.locked_until <= cutoffs.now;
          return quiet && unlocked;
        }));
    std::erase_if(db_.login_last_failure,
                  [&](const auto& l) { return !db_.login_throttle.contains(l.first); });
    return removed;
  };
  co_return co_await hooks.call<accounts::HousekeepingRemoved>("delete_expired", db_.mutex, body);
}

Task<Result<accounts::Erasure>> FakeAccountRepository::erase_account(
    const UserId& user_id, const std::string& email, const accounts::RemovalAudit& audit,
    TimePoint) {
  auto body = [&]() -> Result<accounts::Erasure> {
    std::vector<accounts::ErasedMembership> memberships;
    for (const auto& m : db_.memberships) {
      if (m.user_id != user_id) continue;
      const OrgRow* org = db_.org_by_id(m.org_id);
      int owners = static_cast<int>(std::ranges::count_if(db_.memberships, [&](const auto& o) {
        return o.org_id == m.org_id && o.role == domain::orgs::Role::owner;
      }));
      memberships.push_back({m.org_id, org->slug, m.role, owners});
    }
    accounts::Erasure erasure{accounts::sole_owner_orgs(memberships)};
    if (!erasure.sole_owner_of.empty()) return erasure;
    for (const auto& m : memberships) db_.audit_log.push_back(AuditRow{m.org_id, audit(m)});
    // The fake holds no API tokens; the rest is what the user row's foreign keys cascade to.
    std::erase_if(db_.memberships, [&](const auto& m) { return m.user_id == user_id; });
    std::erase_if(db_.sessions, [&](const auto& s) { return s.second.user_id == user_id; });
    std::erase_if(db_.refresh_tokens,
                  [&](const auto& t) { return !db_.sessions.contains(t.second.session_id); });
    std::erase_if(db_.idempotency_keys, [&](const auto& k) { return k.first.first == user_id; });
    db_.login_throttle.erase(email);
    db_.login_last_failure.erase(email);
    db_.mail_throttle.erase(email);
    db_.verification_codes.erase(user_id);
    std::erase_if(db_.password_resets, [&](const auto& r) { return r.second.user_id == user_id; });
    db_.user_opt_out.erase(user_id);
    db_.last_export_at.erase(user_id);
    db_.users.erase(user_id);
    return erasure;
  };
  co_return co_await hooks.call<accounts::Erasure>("erase_account", db_.mutex, body);
}

Task<Result<bool>> FakeAccountRepository::user_opt_out(const UserId& user_id) {
  auto body = [&]() -> Result<bool> {
    auto row = db_.user_opt_out.find(user_id);
    return row != db_.user_opt_out.end() && row->second;
  };
  co_return co_await hooks.call<bool>("user_opt_out", db_.mutex, body);
}

Task<Result<void>> FakeAccountRepository::set_user_opt_out(const UserId& user_id, bool opt_out,
                                                           TimePoint now) {
  auto body = [&]() -> Result<void> {
    bool& flag = db_.user_opt_out[user_id];
    if (flag != opt_out) {
      db_.opt_out_changed_at[{domain::telemetry::OptOutSubject::user, user_id.value}] = now;
    }
    flag = opt_out;
    return {};
  };
  co_return co_await hooks.call<void>("set_user_opt_out", db_.mutex, body);
}

}  // namespace ferr::fakes
