#pragma once
/// Per-client token buckets (FERRLABS_AUTH_RATE, FERRLABS_INGEST_RATE).
///
/// Clients are keyed by a keyed hash of their address under a random key made at start-up, so
/// the addresses themselves are never held, and are forgotten when their bucket is full again.

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"
#include "http/request.hpp"

namespace ferr::http {

/// A token bucket's shape, named: a rate and a burst in a row are too easily swapped.
struct RateLimit {
  double per_second = 0;  ///< tokens added per second; 0 disables the limiter
  double burst = 1;       ///< the bucket's size (at least 1)
};

class RateLimiter {
 public:
  RateLimiter(RateLimit limit, const core::Clock& clock);

  /// Takes one token for `client`; nullopt when allowed, otherwise the seconds until a token.
  std::optional<int> acquire(std::string_view client);
  /// The 429 RATE_LIMIT_EXCEEDED answer when `request`'s client is over its rate.
  std::optional<Response> check(const Request& request);
  bool enabled() const { return rate_ > 0; }
  /// Clients currently tracked (bounded by kShards × kMaxBucketsPerShard).
  std::size_t tracked_clients();

 private:
  struct Bucket {
    double tokens;
    core::TimePoint updated;
  };
  struct Key {
    std::array<std::uint8_t, 16> bytes;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<Key, Bucket, KeyHash> buckets;
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kMaxBucketsPerShard = 8192;

  void evict_full_buckets(Shard& shard, core::TimePoint now);

  double rate_;
  double burst_;
  const core::Clock& clock_;
  std::array<std::uint8_t, 32> key_{};
  std::array<Shard, kShards> shards_;
};

}  // namespace ferr::http
