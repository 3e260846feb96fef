#pragma once
/// The use cases of API tokens: presenting one, and managing one's personal tokens and an
/// organization's tokens (api.md "API tokens").

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/task.hpp"
#include "domain/accounts/principal.hpp"
#include "domain/orgs/org_repository.hpp"
#include "domain/tokens/api_token.hpp"
#include "domain/tokens/known_tokens.hpp"
#include "domain/tokens/token_repository.hpp"

namespace ferr::domain::tokens {

/// What creating a token asks for.
struct TokenRequest {
  std::string name;
  Scopes scopes;
  std::optional<core::TimePoint> expires_at;
  std::optional<Owner> owner;  ///< org tokens only; default `creator`
};

/// A created token: its row, and the plaintext shown this once.
struct CreatedToken {
  ApiToken token;
  std::string plaintext;
};

class TokenService {
 public:
  TokenService(TokenRepository& tokens, orgs::OrgRepository& orgs, const core::Clock& clock,
               core::Random& random);

  /// The principal of a presented token (a hash lookup, no password hashing; none at all for a
  /// token this instance knows: KnownTokens): AUTH_UNAUTHORIZED when unknown, revoked or expired;
  /// AUTH_FORBIDDEN when a `read` token writes. Records the use at most once a minute. A token
  /// revoked since this instance knew it is refused by the use case's first storage step.
  core::Task<core::Result<accounts::Principal>> authenticate(const std::string& plaintext,
                                                             RequestKind kind);

  core::Task<core::Result<CreatedToken>> create_personal(const accounts::Principal& caller,
                                                         const TokenRequest& request);
  core::Task<core::Result<std::vector<ApiToken>>> personal(const accounts::Principal& caller);
  core::Task<core::Result<void>> revoke_personal(const accounts::Principal& caller,
                                                 std::string_view id);

  /// Admin+ of the org (an org token acts as admin in its own org).
  core::Task<core::Result<std::vector<ApiToken>>> of_org(const accounts::Principal& caller,
                                                         const std::string& slug);
  /// Admin+ with a session: tokens cannot mint tokens.
  core::Task<core::Result<CreatedToken>> create_for_org(const accounts::Principal& caller,
                                                        const std::string& slug,
                                                        const TokenRequest& request);
  core::Task<core::Result<void>> revoke_for_org(const accounts::Principal& caller,
                                                const std::string& slug, std::string_view id);

 private:
  TokenRepository& tokens_;
  orgs::OrgRepository& orgs_;
  const core::Clock& clock_;
  core::Random& random_;
  KnownTokens known_;
};

}  // namespace ferr::domain::tokens
