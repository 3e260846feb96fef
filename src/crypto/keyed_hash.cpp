#include "crypto/keyed_hash.hpp"

#include <blake3.h>
#include <sodium.h>

#include <span>
#include <string_view>

#include "core/hex.hpp"

namespace ferr::crypto {

namespace {

static_assert(TelemetryKey::kSize == BLAKE3_KEY_LEN);

/// The message of `key_id`, without a terminating NUL (25 bytes).
constexpr std::string_view kKeyIdMessage = "ferrlabs.telemetry.key-id";

/// Keyed BLAKE3 of `input`, truncated to `Size` bytes (BLAKE3 output is a prefix-stable stream).
template <std::size_t Size>
std::string keyed_blake3_hex(const std::array<std::uint8_t, TelemetryKey::kSize>& key,
                             std::span<const std::uint8_t> input) {
  blake3_hasher hasher;
  blake3_hasher_init_keyed(&hasher, key.data());
  blake3_hasher_update(&hasher, input.data(), input.size());
  std::array<std::uint8_t, Size> out{};
  blake3_hasher_finalize(&hasher, out.data(), out.size());
  // The hasher state is derived from the key: do not leave it on the stack.
  sodium_memzero(&hasher, sizeof hasher);
  return core::to_hex(out);
}

}  // namespace

std::optional<TelemetryKey> TelemetryKey::from_salt(const core::Secret& salt) {
  const std::string& raw = salt.expose();
  if (raw.size() != kSize) return std::nullopt;
  std::array<std::uint8_t, kSize> bytes{};
  for (std::size_t i = 0; i < kSize; ++i) bytes[i] = static_cast<std::uint8_t>(raw[i]);
  TelemetryKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

TelemetryKey TelemetryKey::random(core::Random& random) {
  std::array<std::uint8_t, kSize> bytes{};
  random.fill(bytes);
  TelemetryKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

TelemetryKey::~TelemetryKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string pseudonym(const TelemetryKey& key, const core::Uuid& id) {
  return keyed_blake3_hex<16>(key.bytes_, id.bytes);
}

std::string key_id(const TelemetryKey& key) {
  const auto* message = reinterpret_cast<const std::uint8_t*>(kKeyIdMessage.data());
  return keyed_blake3_hex<4>(key.bytes_, {message, kKeyIdMessage.size()});
}

}  // namespace ferr::crypto
