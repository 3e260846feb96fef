#include "core/base64.hpp"

namespace ferr::core {

std::string base64_encode(std::span<const std::uint8_t> bytes, Base64 alphabet) {
  const std::string_view letters =
      alphabet == Base64::url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                              : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const bool pad = alphabet == Base64::standard;
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) |
                            std::uint32_t{bytes[i + 2]};
    out += letters[(v >> 18) & 63];
    out += letters[(v >> 12) & 63];
    out += letters[(v >> 6) & 63];
    out += letters[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return out;
  std::uint32_t v = std::uint32_t{bytes[i]} << 16;
  if (rest == 2) v |= std::uint32_t{bytes[i + 1]} << 8;
  out += letters[(v >> 18) & 63];
  out += letters[(v >> 12) & 63];
  if (rest == 2) out += letters[(v >> 6) & 63];
  if (pad) out.append(rest == 2 ? 1 : 2, '=');
  return out;
}

std::string base64_encode(std::string_view text, Base64 alphabet) {
  return base64_encode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
                       alphabet);
}

}  // namespace ferr::core
