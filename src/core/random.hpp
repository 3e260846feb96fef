#pragma once
/// Injectable randomness: production uses libsodium, tests may use a seeded sequence.

#include <cstddef>
#include <cstdint>
#include <span>

namespace ferr::core {

/// Source of random bytes.
class Random {
 public:
  virtual ~Random() = default;
  /// Fills `out` with random bytes.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

/// Cryptographically secure randomness from libsodium (`randombytes_buf`), drawn from the kernel
/// 4 KiB at a time per thread.
class SodiumRandom final : public Random {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

/// Deterministic, non-cryptographic bytes for tests (splitmix64 from a seed).
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint64_t state_;
};

/// Initialises libsodium once; safe to call from several places.
void init_sodium();

}  // namespace ferr::core
