#include "domain/idempotency/idempotency.hpp"

namespace ferr::domain::idempotency {

bool is_valid_key(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (unsigned char c : key)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

core::Result<Claim> Idempotency::claim(const core::Uuid& user, const std::string& key,
                                       const std::string& fingerprint) {
  auto now = clock_.now();
  auto entry = store_.claim(user, key, fingerprint, now, now - kKeepFor, now - kAbandonedAfter);
  if (!entry) return core::fail(entry.error());
  if (entry->claimed) return Claim{Decision::run, {}};
  if (entry->fingerprint != fingerprint) return Claim{Decision::key_reused, {}};
  if (!entry->response) return Claim{Decision::in_flight, {}};
  return Claim{Decision::replay, *entry->response};
}

}  // namespace ferr::domain::idempotency
