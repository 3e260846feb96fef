#pragma once
/// The telemetry pseudonyms of telemetry.md §2: BLAKE3 in keyed mode over raw UUID bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/random.hpp"
#include "core/secret.hpp"
#include "core/uuid.hpp"

namespace ferr::crypto {

/// The 32-byte telemetry key. It has no accessor, no stream or format operator and no
/// comparison: only `pseudonym` and `key_id` read it, so it cannot reach a log or a response.
class TelemetryKey {
 public:
  /// BLAKE3's key length.
  static constexpr std::size_t kSize = 32;

  /// From the 32 raw bytes config.cpp decodes out of FERRLABS_TELEMETRY_SALT; nullopt otherwise.
  static std::optional<TelemetryKey> from_salt(const core::Secret& salt);
  /// A fresh key for development without a salt: pseudonyms then change at every restart.
  static TelemetryKey random(core::Random& random);
  /// From raw bytes (the spec's test vectors).
  explicit TelemetryKey(const std::array<std::uint8_t, kSize>& bytes) : bytes_(bytes) {}

  TelemetryKey(const TelemetryKey&) = default;
  TelemetryKey& operator=(const TelemetryKey&) = default;
  /// Wipes the bytes, so a freed key does not linger in memory.
  ~TelemetryKey();

 private:
  friend std::string pseudonym(const TelemetryKey& key, const core::Uuid& id);
  friend std::string key_id(const TelemetryKey& key);

  std::array<std::uint8_t, kSize> bytes_;
};

/// `org_hash`/`user_hash`/`actor_hash`: the first 16 bytes of keyed BLAKE3 over the 16 raw bytes
/// of `id` (never its 36-character text), as 32 lowercase hex characters.
std::string pseudonym(const TelemetryKey& key, const core::Uuid& id);

/// 8 lowercase hex characters naming the key without revealing it, so that analysts can see salt
/// rotations: the first 4 bytes of keyed BLAKE3 over `ferrlabs.telemetry.key-id`.
std::string key_id(const TelemetryKey& key);

}  // namespace ferr::crypto
