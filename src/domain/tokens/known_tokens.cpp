#include "domain/tokens/known_tokens.hpp"

namespace ferr::domain::tokens {

std::optional<PresentedToken> KnownTokens::find(const std::string& hash) const {
  std::lock_guard lock(mutex_);
  auto found = by_hash_.find(hash);
  if (found == by_hash_.end()) return std::nullopt;
  return found->second;
}

void KnownTokens::remember(const std::string& hash, const PresentedToken& token) {
  if (token.revoked) return;
  std::lock_guard lock(mutex_);
  if (by_hash_.size() >= kCapacity) by_hash_.clear();
  by_hash_.insert_or_assign(hash, token);
}

void KnownTokens::used(const std::string& hash, core::TimePoint at) {
  std::lock_guard lock(mutex_);
  auto found = by_hash_.find(hash);
  if (found != by_hash_.end()) found->second.last_used_at = at;
}

}  // namespace ferr::domain::tokens
