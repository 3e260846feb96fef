#include "crypto/tokens.hpp"

#include <sodium.h>

#include <vector>

#include "core/hex.hpp"

namespace ferr::crypto {

namespace {

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.pop_back();  // the terminating NUL libsodium writes
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  // Room for a partial last group, and never empty: libsodium wants a non-null buffer.
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(length);
  return out;
}

std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view data) {
  // The _init API takes keys of any length (longer ones are hashed first, as RFC 2104 says).
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(data), data.size());
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return mac;
}

std::string random_token(core::Random& random, std::size_t bytes) {
  std::vector<std::uint8_t> buffer(bytes);
  random.fill(buffer);
  std::string token = base64url_encode(buffer);
  sodium_memzero(buffer.data(), buffer.size());
  return token;
}

std::string sha256_hex(std::string_view data) {
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), bytes_of(data), data.size());
  return core::to_hex(digest);
}

std::string derived_token(const core::Secret& key, std::string_view input) {
  return base64url_encode(hmac_sha256(key.expose(), input));
}

std::string keyed_hash_hex(const core::Secret& key, std::string_view data) {
  return core::to_hex(hmac_sha256(key.expose(), data));
}

std::string six_digit_code(core::Random& random) {
  // 2^32 mod 10^6 values at the top would make the low codes slightly likelier: redraw them.
  constexpr std::uint64_t kRange = 1'000'000;
  constexpr std::uint64_t kLimit = (std::uint64_t{1} << 32) / kRange * kRange;
  std::uint64_t value = 0;
  do {
    std::array<std::uint8_t, 4> b{};
    random.fill(b);
    value = std::uint64_t{b[0]} | std::uint64_t{b[1]} << 8 | std::uint64_t{b[2]} << 16 |
            std::uint64_t{b[3]} << 24;
  } while (value >= kLimit);
  value %= kRange;
  std::string code(6, '0');
  for (auto it = code.rbegin(); it != code.rend(); ++it, value /= 10)
    *it = static_cast<char>('0' + value % 10);
  return code;
}

}  // namespace ferr::crypto
