#include "http/middleware/rate_limiter.hpp"

#include <sodium.h>

#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "http/error_response.hpp"

namespace ferr::http {

RateLimiter::RateLimiter(RateLimit limit, const core::Clock& clock)
    : rate_(limit.per_second), burst_(std::max(1.0, limit.burst)), clock_(clock) {
  randombytes_buf(key_.data(), key_.size());
}

std::size_t RateLimiter::KeyHash::operator()(const Key& k) const {
  std::size_t h;
  std::memcpy(&h, k.bytes.data(), sizeof h);  // already a uniform keyed hash
  return h;
}

void RateLimiter::evict_full_buckets(Shard& shard, core::TimePoint now) {
  // A bucket that has refilled completely holds no information: drop it.
  std::erase_if(shard.buckets, [&](const auto& entry) {
    double elapsed = std::chrono::duration<double>(now - entry.second.updated).count();
    return entry.second.tokens + elapsed * rate_ >= burst_;
  });
  // Still full: a flood of distinct addresses. Memory stays bounded at the price of giving the
  // forgotten clients a fresh burst.
  if (shard.buckets.size() > kMaxBucketsPerShard) shard.buckets.clear();
}

std::size_t RateLimiter::tracked_clients() {
  std::size_t n = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.buckets.size();
  }
  return n;
}

std::optional<int> RateLimiter::acquire(std::string_view client) {
  if (rate_ <= 0) return std::nullopt;
  Key key;
  crypto_generichash(key.bytes.data(), key.bytes.size(),
                     reinterpret_cast<const unsigned char*>(client.data()), client.size(),
                     key_.data(), key_.size());
  Shard& shard = shards_[key.bytes[15] % kShards];
  auto now = clock_.now();
  std::lock_guard lock(shard.mutex);
  auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    double elapsed = std::max(0.0, std::chrono::duration<double>(now - bucket.updated).count());
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    if (inserted && shard.buckets.size() > kMaxBucketsPerShard) evict_full_buckets(shard, now);
    return std::nullopt;
  }
  return static_cast<int>(std::ceil((1.0 - bucket.tokens) / rate_));
}

std::optional<Response> RateLimiter::check(const Request& request) {
  auto retry_after = acquire(request.client_ip);
  if (!retry_after) return std::nullopt;
  core::Error e =
      core::Error::make(core::ErrorCode::rate_limit_exceeded, "too many requests: slow down");
  e.retry_after_seconds = *retry_after;
  return error_response(e, request.request_id);
}

}  // namespace ferr::http
