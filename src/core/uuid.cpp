#include "core/uuid.hpp"

#include "core/hex.hpp"

namespace ferr::core {

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string digits;
  digits.reserve(32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position) {
      if (text[i] != '-') return std::nullopt;
    } else {
      digits.push_back(text[i]);
    }
  }
  auto raw = from_hex(digits);
  if (!raw) return std::nullopt;
  Uuid u;
  for (std::size_t i = 0; i < 16; ++i) u.bytes[i] = (*raw)[i];
  return u;
}

Uuid Uuid::v7(const Clock& clock, Random& random) {
  Uuid u;
  random.fill(u.bytes);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  auto unix_ms = static_cast<std::uint64_t>(ms);
  for (int i = 0; i < 6; ++i) u.bytes[i] = static_cast<std::uint8_t>(unix_ms >> (8 * (5 - i)));
  u.bytes[6] = static_cast<std::uint8_t>(0x70 | (u.bytes[6] & 0x0f));  // version 7
  u.bytes[8] = static_cast<std::uint8_t>(0x80 | (u.bytes[8] & 0x3f));  // RFC 9562 variant
  return u;
}

std::string Uuid::to_string() const {
  std::string hex = to_hex(bytes);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20, 12);
}

}  // namespace ferr::core
