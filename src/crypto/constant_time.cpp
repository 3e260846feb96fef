#include "crypto/constant_time.hpp"

#include <sodium.h>

#include <array>

namespace ferr::crypto {

bool constant_time_equals(std::string_view a, std::string_view b) {
  std::array<unsigned char, crypto_generichash_BYTES> ha{}, hb{};
  crypto_generichash(ha.data(), ha.size(), reinterpret_cast<const unsigned char*>(a.data()),
                     a.size(), nullptr, 0);
  crypto_generichash(hb.data(), hb.size(), reinterpret_cast<const unsigned char*>(b.data()),
                     b.size(), nullptr, 0);
  return sodium_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

}  // namespace ferr::crypto
