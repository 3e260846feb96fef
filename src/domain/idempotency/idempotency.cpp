#include "domain/idempotency/idempotency.hpp"

#include "core/field_limits.hpp"
#include "core/try.hpp"
#include "domain/accounts/session_check.hpp"

namespace ferr::domain::idempotency {

bool is_valid_key(std::string_view key) {
  if (key.empty() || key.size() > core::limits::kIdempotencyKeyMaxChars) return false;
  for (unsigned char c : key)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

core::Task<core::Result<Claim>> Idempotency::claim(const accounts::Principal& caller,
                                                   const std::string& key,
                                                   const std::string& fingerprint) {
  FERR_CO_CHECK(co_await accounts::require_session(accounts_, caller));
  auto now = clock_.now();
  // Named, not a braced temporary in the co_await: GCC 12 destroys such a temporary twice.
  const ClaimTimes times{
      .now = now, .expired_before = now - kKeepFor, .abandoned_before = now - kAbandonedAfter};
  FERR_CO_TRY(auto entry, co_await store_.claim(caller.key_owner(), key, fingerprint, times));
  if (entry.claimed) co_return Claim{Decision::run, {}};
  if (entry.fingerprint != fingerprint) co_return Claim{Decision::key_reused, {}};
  if (!entry.response) co_return Claim{Decision::in_flight, {}};
  co_return Claim{Decision::replay, *entry.response};
}

}  // namespace ferr::domain::idempotency
