#pragma once
/// API tokens (api.md "API tokens"): what is stored of one, and the rules every backend and use
/// case asks — written once here.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/random.hpp"
#include "domain/accounts/principal.hpp"

namespace ferr::domain::tokens {

/// At most this many live tokens per user and per organization.
inline constexpr int kMaxLiveTokens = 50;
/// `last_used_at` moves at most this often per token: no write per request.
inline constexpr std::chrono::seconds kLastUsedResolution{60};
/// An org token unused (or, never used, created) this long is `stale`.
inline constexpr std::chrono::hours kStaleAfter{24 * 90};

/// `*` (everything its holder may do, except what needs a session) and/or `read`.
struct Scopes {
  bool full = false;
  bool read = false;
  /// The stored form: `*`, `read` or `*,read`.
  std::string stored() const;
  /// The stored form back; nullopt for anything else (a value the code does not know).
  static std::optional<Scopes> parse_stored(std::string_view text);
  /// A request's `scopes`: a non-empty list of `*` and `read`; nullopt otherwise.
  static std::optional<Scopes> from_list(const std::vector<std::string>& names);
  /// The wire form, `["*"]`, `["read"]` or `["*","read"]`.
  std::vector<std::string_view> names() const;
};

/// Who holds an org token: its creator (it dies when they stop being admin+) or the org itself.
enum class Owner { creator, org };
std::string_view to_string(Owner owner);
std::optional<Owner> parse_owner(std::string_view text);

/// One token as its lists show it (never its secret).
struct ApiToken {
  core::ApiTokenId id;
  std::string name;
  std::string token_prefix;
  Scopes scopes;
  std::optional<core::OrgId> org_id;  ///< set for an org token
  std::optional<Owner> owner;         ///< set for an org token
  core::UserId created_by;
  std::optional<std::string> created_by_email;  ///< org lists: null once the creator is gone
  std::optional<core::TimePoint> expires_at;
  std::optional<core::TimePoint> last_used_at;
  std::optional<core::TimePoint> revoked_at;
  core::TimePoint created_at;

  bool stale(core::TimePoint now) const;
};

/// A token about to be stored: its row and its hash. The plaintext goes to the caller only.
struct NewToken {
  ApiToken token;
  std::string token_hash;               ///< SHA-256 hex of the plaintext
  std::optional<core::UserId> user_id;  ///< set for a personal token
};

/// A new token's plaintext, and what is stored of it.
struct IssuedToken {
  NewToken stored;
  std::string plaintext;
};

/// What presenting a token found, before any rule was applied.
struct PresentedToken {
  core::ApiTokenId id;
  std::optional<core::UserId> user_id;  ///< personal tokens
  std::optional<core::OrgId> org_id;    ///< org tokens
  std::optional<Owner> owner;
  core::UserId created_by;
  Scopes scopes;
  std::optional<core::TimePoint> expires_at;
  std::optional<core::TimePoint> last_used_at;
  bool revoked = false;
};

/// A new token: `fl_pat_` (personal, `org` absent) or `fl_org_` followed by 32 random bytes in
/// base64url; its prefix is its first 12 characters.
IssuedToken issue_token(const core::Clock& clock, core::Random& random, std::string name,
                        Scopes scopes, std::optional<core::TimePoint> expires_at,
                        const core::UserId& creator, std::optional<core::OrgId> org,
                        std::optional<Owner> owner);

/// Whether `credential` has the form of an API token (and so is looked up, not verified as a JWT).
bool looks_like_api_token(std::string_view credential);

/// Whether `credential` has the form of an organization token (`fl_org_…`).
bool is_org_token(std::string_view credential);

/// The SHA-256 under which a token is stored and looked up.
std::string token_hash(std::string_view plaintext);

/// The request that presents a token: whether its method only reads (GET, HEAD).
enum class RequestKind { read, write };

/// The principal of a presented token, or the error: AUTH_UNAUTHORIZED when it is revoked or
/// expired at `now`; AUTH_FORBIDDEN naming the missing scope when a `read` token writes.
core::Result<accounts::Principal> principal_of(const PresentedToken& token, core::TimePoint now,
                                               RequestKind kind);

/// Whether presenting the token at `now` should record it as used (at most once a minute).
bool due_for_last_used(const PresentedToken& token, core::TimePoint now);

/// VALIDATION_FAILED unless the name is 1–100 printable characters, the expiry (when given) is
/// after `now`, and fewer than kMaxLiveTokens are live (`live_count`).
core::Result<void> check_new_token(const std::string& name,
                                   const std::optional<core::TimePoint>& expires_at,
                                   core::TimePoint now);
core::Result<void> check_live_count(int live_count);

/// TOKEN_NOT_FOUND.
core::Error token_not_found();

}  // namespace ferr::domain::tokens
