#pragma once
/// Password hashing with argon2id (libsodium), stored as PHC strings.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace ferr::crypto {

/// argon2id cost for new hashes; libsodium always uses one lane (p = 1).
struct PasswordParams {
  /// t: passes over the memory.
  unsigned long long ops_limit = 2;
  /// m, in bytes (the PHC string shows it in KiB): 19 MiB.
  std::size_t mem_limit_bytes = std::size_t{19} * 1024 * 1024;
};

/// Hashes and verifies passwords. Thread-safe: every member is const after construction.
class PasswordHasher {
 public:
  /// Computes the dummy hash, so construction costs one hash. Throws std::invalid_argument when
  /// `params` are outside libsodium's limits (a start-up error, never a request-time one).
  explicit PasswordHasher(PasswordParams params);

  /// A fresh PHC string (`$argon2id$v=19$m=…,t=…,p=1$salt$hash`) with a random salt.
  core::Result<std::string> hash(std::string_view password) const;

  /// True when `password` matches `phc`, whatever argon2 parameters `phc` was made with; false
  /// for a wrong password and for anything that is not a valid PHC string.
  bool verify(std::string_view phc, std::string_view password) const;

  /// True when `phc` was not made by argon2id with the current parameters (so it should be
  /// replaced after the next successful login).
  bool needs_rehash(std::string_view phc) const;

  /// A valid hash of an unguessable password, to verify against when the account is unknown so
  /// that the answer takes as long as for a wrong password.
  const std::string& dummy_hash() const { return dummy_hash_; }

  /// The parameters new hashes are made with.
  const PasswordParams& params() const { return params_; }

 private:
  PasswordParams params_;
  std::string dummy_hash_;
};

}  // namespace ferr::crypto
