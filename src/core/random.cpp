#include "core/random.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace ferr::core {

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

void SodiumRandom::fill(std::span<std::uint8_t> out) {
  // libsodium asks the kernel (getrandom) on every call: a system call per id and per token.
  // Each thread draws 4 KiB at a time instead and hands them out once, wiping what it hands out,
  // so no byte serves twice and none stays in memory after use.
  constexpr std::size_t kBlock = 4096;
  thread_local std::array<std::uint8_t, kBlock> block{};
  thread_local std::size_t used = kBlock;
  std::size_t done = 0;
  while (done < out.size()) {
    if (used == kBlock) {
      randombytes_buf(block.data(), block.size());
      used = 0;
    }
    const std::size_t n = std::min(out.size() - done, kBlock - used);
    std::memcpy(out.data() + done, block.data() + used, n);
    sodium_memzero(block.data() + used, n);
    used += n;
    done += n;
  }
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  std::size_t i = 0;
  while (i < out.size()) {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (int b = 0; b < 8 && i < out.size(); ++b, ++i)
      out[i] = static_cast<std::uint8_t>(z >> (8 * b));
  }
}

}  // namespace ferr::core
