#include "domain/tokens/api_token.hpp"

#include "crypto/tokens.hpp"
#include "domain/accounts/session_check.hpp"
#include "domain/accounts/validation.hpp"

namespace ferr::domain::tokens {

namespace {

constexpr std::string_view kPersonalPrefix = "fl_pat_";
constexpr std::string_view kOrgPrefix = "fl_org_";
constexpr std::size_t kShownPrefix = 12;

}  // namespace

std::string Scopes::stored() const {
  if (full && read) return "*,read";
  return full ? "*" : "read";
}

std::optional<Scopes> Scopes::parse_stored(std::string_view text) {
  if (text == "*") return Scopes{true, false};
  if (text == "read") return Scopes{false, true};
  if (text == "*,read") return Scopes{true, true};
  return std::nullopt;
}

std::optional<Scopes> Scopes::from_list(const std::vector<std::string>& names) {
  Scopes scopes;
  for (const auto& name : names) {
    if (name == "*")
      scopes.full = true;
    else if (name == "read")
      scopes.read = true;
    else
      return std::nullopt;
  }
  if (!scopes.full && !scopes.read) return std::nullopt;
  return scopes;
}

std::vector<std::string_view> Scopes::names() const {
  std::vector<std::string_view> out;
  if (full) out.emplace_back("*");
  if (read) out.emplace_back("read");
  return out;
}

std::string_view to_string(Owner owner) { return owner == Owner::org ? "org" : "creator"; }

std::optional<Owner> parse_owner(std::string_view text) {
  if (text == "creator") return Owner::creator;
  if (text == "org") return Owner::org;
  return std::nullopt;
}

bool ApiToken::stale(core::TimePoint now) const {
  return now - last_used_at.value_or(created_at) > kStaleAfter;
}

IssuedToken issue_token(const core::Clock& clock, core::Random& random, std::string name,
                        Scopes scopes, std::optional<core::TimePoint> expires_at,
                        const core::UserId& creator, std::optional<core::OrgId> org,
                        std::optional<Owner> owner) {
  std::string plaintext(org ? kOrgPrefix : kPersonalPrefix);
  plaintext += crypto::random_token(random, 32);
  IssuedToken issued;
  auto& t = issued.stored.token;
  t.id = core::ApiTokenId::generate(clock, random);
  t.name = std::move(name);
  t.token_prefix = plaintext.substr(0, kShownPrefix);
  t.scopes = scopes;
  t.org_id = org;
  t.owner = org ? std::optional<Owner>(owner.value_or(Owner::creator)) : std::nullopt;
  t.created_by = creator;
  t.expires_at = expires_at;
  t.created_at = clock.now();
  issued.stored.token_hash = token_hash(plaintext);
  if (!org) issued.stored.user_id = creator;
  issued.plaintext = std::move(plaintext);
  return issued;
}

bool looks_like_api_token(std::string_view credential) {
  return credential.starts_with(kPersonalPrefix) || credential.starts_with(kOrgPrefix);
}

bool is_org_token(std::string_view credential) { return credential.starts_with(kOrgPrefix); }

std::string token_hash(std::string_view plaintext) { return crypto::sha256_hex(plaintext); }

core::Result<accounts::Principal> principal_of(const PresentedToken& token, core::TimePoint now,
                                               RequestKind kind) {
  if (token.revoked || (token.expires_at && *token.expires_at <= now))
    return core::fail(accounts::unauthorized());
  if (kind == RequestKind::write && !token.scopes.full)
    return core::fail(core::Error::make(core::ErrorCode::auth_forbidden,
                                        "this token has the read scope only: writing needs *"));
  accounts::Principal principal;
  accounts::TokenGrant grant{token.id, token.scopes.full, token.org_id, token.owner == Owner::org};
  if (token.org_id) {
    // An org token acts for its org; a creator-owned one through its creator's membership.
    principal.user_id = grant.org_owned ? core::UserId{} : token.created_by;
  } else {
    if (!token.user_id) return core::fail(accounts::unauthorized());
    principal.user_id = *token.user_id;
  }
  principal.session_id = core::SessionId{token.id.value};
  principal.token = grant;
  return principal;
}

bool due_for_last_used(const PresentedToken& token, core::TimePoint now) {
  return !token.last_used_at || now - *token.last_used_at >= kLastUsedResolution;
}

core::Result<void> check_new_token(const std::string& name,
                                   const std::optional<core::TimePoint>& expires_at,
                                   core::TimePoint now) {
  if (!accounts::is_valid_display_name(name))
    return core::fail(core::Error::validation("name", "name must be 1 to 100 characters"));
  if (expires_at && *expires_at <= now)
    return core::fail(core::Error::validation("expires_at", "expires_at must be in the future"));
  return {};
}

core::Result<void> check_live_count(int live_count) {
  if (live_count >= kMaxLiveTokens)
    return core::fail(core::Error::validation(
        "name", "at most " + std::to_string(kMaxLiveTokens) + " live tokens are allowed"));
  return {};
}

core::Error token_not_found() {
  return core::Error::make(core::ErrorCode::token_not_found, "token not found");
}

}  // namespace ferr::domain::tokens
