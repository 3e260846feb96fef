#include "http/middleware/request_id.hpp"

#include <array>
#include <cstdint>

#include "core/hex.hpp"
#include "core/random.hpp"

namespace ferr::http {

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string assign_request_id(const Headers& headers) {
  if (auto incoming = headers.get("x-request-id"); incoming && is_safe_request_id(*incoming))
    return std::string(*incoming);
  // Ids only need to be unique, not secret: a per-thread generator seeded once from libsodium
  // keeps this off the kernel's random source on every request.
  thread_local core::SeededRandom generator = [] {
    std::array<std::uint8_t, 8> seed{};
    core::SodiumRandom().fill(seed);
    std::uint64_t s = 0;
    for (auto b : seed) s = s << 8 | b;
    return core::SeededRandom(s);
  }();
  std::array<std::uint8_t, 16> bytes{};
  generator.fill(bytes);
  return core::to_hex(bytes);
}

}  // namespace ferr::http
