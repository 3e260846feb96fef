#include "fakes/idempotency_store.hpp"

#include <utility>

namespace ferr::fakes {

using core::Result;
using core::Task;
using domain::idempotency::ClaimTimes;
using domain::idempotency::Entry;
using domain::idempotency::StoredResponse;

Task<Result<Entry>> FakeIdempotencyStore::claim(const core::UserId& user, const std::string& key,
                                                const std::string& fingerprint,
                                                const ClaimTimes& times) {
  auto body = [&]() -> Result<Entry> {
    last_claim =
        ClaimCall{user, key, fingerprint, times.now, times.expired_before, times.abandoned_before};
    std::erase_if(db_.idempotency_keys, [&](const auto& entry) {
      return entry.second.created_at < times.expired_before;
    });
    auto held = db_.idempotency_keys.find({user, key});
    if (held != db_.idempotency_keys.end()) {
      const IdempotencyRow& row = held->second;
      if (row.response) return Entry{false, row.fingerprint, row.response};
      if (row.created_at >= times.abandoned_before)
        return Entry{false, row.fingerprint, std::nullopt};
    }
    // New, or an in-flight entry whose request died: it is ours now.
    db_.idempotency_keys[{user, key}] = IdempotencyRow{fingerprint, times.now, std::nullopt};
    return Entry{true, fingerprint, std::nullopt};
  };
  co_return co_await hooks.call<Entry>("claim", db_.mutex, body);
}

Task<Result<void>> FakeIdempotencyStore::complete(const core::UserId& user, const std::string& key,
                                                  const StoredResponse& response) {
  auto body = [&]() -> Result<void> {
    last_complete = CompleteCall{user, key, response};
    auto held = db_.idempotency_keys.find({user, key});
    if (held != db_.idempotency_keys.end()) held->second.response = response;
    return {};
  };
  co_return co_await hooks.call<void>("complete", db_.mutex, body);
}

Task<Result<void>> FakeIdempotencyStore::release(const core::UserId& user, const std::string& key) {
  auto body = [&]() -> Result<void> {
    last_release = ReleaseCall{user, key};
    auto held = db_.idempotency_keys.find({user, key});
    // Only an entry still in flight: a stored response is kept for replays.
    if (held != db_.idempotency_keys.end() && !held->second.response)
      db_.idempotency_keys.erase(held);
    return {};
  };
  co_return co_await hooks.call<void>("release", db_.mutex, body);
}

}  // namespace ferr::fakes
