#pragma once
/// What never changes about a presented API token (its holder, org, owner, creator, scopes and
/// expiry), kept by hash so that a token presented again costs no lookup: presenting one costs
/// what presenting an access token costs (issue 15, docs/tokens.md).
///
/// Whether the token is still live is never kept here. Every use case checks it in its first
/// storage step, as it checks a session: the live_credentials view for a personal token,
/// org_for_token.sql for an org token. So a revocation on any instance holds at once on all.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "domain/tokens/api_token.hpp"

namespace ferr::domain::tokens {

class KnownTokens {
 public:
  /// Past this many tokens the map starts again empty: a bound on memory, paid by one lookup
  /// per token afterwards.
  static constexpr std::size_t kCapacity = 10'000;

  /// The token stored under `hash`, as it was found live (its `revoked` is false), with the
  /// last use this instance recorded.
  std::optional<PresentedToken> find(const std::string& hash) const;
  /// Keeps a token found live. A revoked one is never kept.
  void remember(const std::string& hash, const PresentedToken& token);
  /// Notes a use recorded at `at`, so this instance writes at most once a minute per token.
  void used(const std::string& hash, core::TimePoint at);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, PresentedToken> by_hash_;
};

}  // namespace ferr::domain::tokens
