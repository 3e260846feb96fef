#include "crypto/password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/random.hpp"

namespace ferr::crypto {

namespace {

constexpr std::string_view kArgon2idPrefix = crypto_pwhash_argon2id_STRPREFIX;

/// libsodium wants a NUL-terminated PHC string; nullopt for one that cannot be ours (too long for
/// libsodium's buffer, or with an embedded NUL that would silently cut it short).
std::optional<std::string> c_string(std::string_view phc) {
  if (phc.size() >= crypto_pwhash_STRBYTES || phc.find('\0') != std::string_view::npos)
    return std::nullopt;
  return std::string(phc);
}

}  // namespace

PasswordHasher::PasswordHasher(PasswordParams params) : params_(params) {
  core::init_sodium();
  if (params_.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      params_.ops_limit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      params_.mem_limit_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      params_.mem_limit_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX)
    throw std::invalid_argument("argon2id parameters outside libsodium's limits");
  // Nobody knows this password, so the dummy hash can never verify.
  std::array<unsigned char, 32> unguessable{};
  randombytes_buf(unguessable.data(), unguessable.size());
  auto dummy =
      hash(std::string_view(reinterpret_cast<const char*>(unguessable.data()), unguessable.size()));
  sodium_memzero(unguessable.data(), unguessable.size());
  if (!dummy) throw std::runtime_error("argon2id: the dummy hash could not be computed");
  dummy_hash_ = std::move(*dummy);
}

core::Result<std::string> PasswordHasher::hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), params_.ops_limit,
                            params_.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return core::fail(core::Error::internal("argon2id hashing failed (out of memory?)"));
  return std::string(out.data());
}

// A swapped call cannot pass: a password is not a PHC string, so every verification fails and
// so does every login test.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
bool PasswordHasher::verify(std::string_view phc, std::string_view password) const {
  auto str = c_string(phc);
  if (!str) return false;
  return crypto_pwhash_str_verify(str->c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view phc) const {
  // libsodium's check also passes an argon2i string with the same costs: require argon2id.
  if (phc.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) return true;
  auto str = c_string(phc);
  if (!str) return true;
  return crypto_pwhash_str_needs_rehash(str->c_str(), params_.ops_limit, params_.mem_limit_bytes) !=
         0;
}

}  // namespace ferr::crypto
