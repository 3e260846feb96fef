#include "crypto/password_hasher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <stdexcept>
#include <string>

namespace ferr::crypto {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Small costs keep the suite fast; only DefaultParameters uses the production ones.
constexpr PasswordParams kFast{1, kMiB};
constexpr PasswordParams kFastButStronger{2, 2 * kMiB};

TEST(PasswordHasher, RoundTrip) {
  PasswordHasher hasher(kFast);
  auto phc = hasher.hash("correct horse battery staple");
  ASSERT_TRUE(phc) << phc.error().log_detail;
  EXPECT_TRUE(hasher.verify(*phc, "correct horse battery staple"));
}

TEST(PasswordHasher, WrongPasswordFails) {
  PasswordHasher hasher(kFast);
  auto phc = hasher.hash("correct horse battery staple");
  ASSERT_TRUE(phc);
  EXPECT_FALSE(hasher.verify(*phc, "correct horse battery stapl"));
  EXPECT_FALSE(hasher.verify(*phc, "Correct horse battery staple"));
  EXPECT_FALSE(hasher.verify(*phc, ""));
}

TEST(PasswordHasher, SaltMakesEveryHashDifferent) {
  PasswordHasher hasher(kFast);
  auto a = hasher.hash("same password");
  auto b = hasher.hash("same password");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(hasher.verify(*a, "same password"));
  EXPECT_TRUE(hasher.verify(*b, "same password"));
}

TEST(PasswordHasher, MultibyteAndEmptyPasswords) {
  PasswordHasher hasher(kFast);
  auto unicode = hasher.hash("mot de passe é 日本語 😀");
  ASSERT_TRUE(unicode);
  EXPECT_TRUE(hasher.verify(*unicode, "mot de passe é 日本語 😀"));
  EXPECT_FALSE(hasher.verify(*unicode, "mot de passe e 日本語 😀"));
  auto empty = hasher.hash("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(hasher.verify(*empty, ""));
  EXPECT_FALSE(hasher.verify(*empty, " "));
}

TEST(PasswordHasher, DefaultParameters) {
  PasswordHasher hasher(PasswordParams{});
  auto phc = hasher.hash("a password of the default cost");
  ASSERT_TRUE(phc);
  EXPECT_EQ(phc->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *phc;
  EXPECT_FALSE(hasher.needs_rehash(*phc));
  EXPECT_TRUE(hasher.verify(*phc, "a password of the default cost"));
}

TEST(PasswordHasher, FreshHashNeedsNoRehash) {
  PasswordHasher hasher(kFast);
  auto phc = hasher.hash("pw");
  ASSERT_TRUE(phc);
  EXPECT_EQ(phc->rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << *phc;
  EXPECT_FALSE(hasher.needs_rehash(*phc));
}

TEST(PasswordHasher, OlderParametersStillVerifyAndNeedRehash) {
  auto old = PasswordHasher(kFast).hash("upgrade me");
  ASSERT_TRUE(old);
  PasswordHasher current(kFastButStronger);
  EXPECT_TRUE(current.verify(*old, "upgrade me"));
  EXPECT_FALSE(current.verify(*old, "upgrade you"));
  EXPECT_TRUE(current.needs_rehash(*old));

  auto upgraded = current.hash("upgrade me");
  ASSERT_TRUE(upgraded);
  EXPECT_FALSE(current.needs_rehash(*upgraded));
  // And the other way round: a stronger hash verifies under weaker current parameters.
  PasswordHasher weaker(kFast);
  EXPECT_TRUE(weaker.verify(*upgraded, "upgrade me"));
  EXPECT_TRUE(weaker.needs_rehash(*upgraded));
}

TEST(PasswordHasher, OnlyMemoryOrOnlyPassesDifferingNeedsRehash) {
  PasswordHasher current(kFastButStronger);
  auto less_memory = PasswordHasher({2, kMiB}).hash("pw");
  auto fewer_passes = PasswordHasher({1, 2 * kMiB}).hash("pw");
  ASSERT_TRUE(less_memory && fewer_passes);
  EXPECT_TRUE(current.needs_rehash(*less_memory));
  EXPECT_TRUE(current.needs_rehash(*fewer_passes));
  EXPECT_TRUE(current.verify(*less_memory, "pw"));
  EXPECT_TRUE(current.verify(*fewer_passes, "pw"));
}

TEST(PasswordHasher, Argon2iHashVerifiesButIsUpgraded) {
  // libsodium's own rehash check would accept argon2i with the same costs; we want argon2id.
  // (argon2i needs at least 3 passes, so both use t = 3.)
  constexpr PasswordParams kSameCosts{3, kMiB};
  std::array<char, crypto_pwhash_STRBYTES> out{};
  ASSERT_EQ(crypto_pwhash_str_alg(out.data(), "legacy", 6, kSameCosts.ops_limit,
                                  kSameCosts.mem_limit_bytes, crypto_pwhash_ALG_ARGON2I13),
            0);
  std::string argon2i(out.data());
  ASSERT_EQ(argon2i.rfind("$argon2i$v=19$m=1024,t=3,p=1$", 0), 0u) << argon2i;
  ASSERT_EQ(crypto_pwhash_str_needs_rehash(argon2i.c_str(), kSameCosts.ops_limit,
                                           kSameCosts.mem_limit_bytes),
            0);
  PasswordHasher hasher(kSameCosts);
  EXPECT_TRUE(hasher.verify(argon2i, "legacy"));
  EXPECT_TRUE(hasher.needs_rehash(argon2i));
}

TEST(PasswordHasher, GarbageNeverVerifies) {
  PasswordHasher hasher(kFast);
  auto good = hasher.hash("pw");
  ASSERT_TRUE(good);
  std::string flipped = *good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  std::string with_nul = *good + std::string(1, '\0') + "tail";
  const std::string garbage[] = {
      "",
      "garbage",
      "$argon2id$",
      "$argon2id$v=19$m=1024,t=1,p=1$",
      "$argon2id$v=19$m=abc,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=1024,t=1,p=0$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo",
      "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
      good->substr(0, good->size() - 10),
      flipped,
      with_nul,
      std::string(1000, '$'),
  };
  for (const auto& phc : garbage) EXPECT_FALSE(hasher.verify(phc, "pw")) << phc;
  // Whatever cannot be parsed is due for replacement too.
  for (const auto& phc : {garbage[0], garbage[1], garbage[2], garbage[4], garbage[7], with_nul})
    EXPECT_TRUE(hasher.needs_rehash(phc)) << phc;
}

TEST(PasswordHasher, DummyHashIsARealHashNobodyKnows) {
  PasswordHasher hasher(kFast);
  const std::string& dummy = hasher.dummy_hash();
  EXPECT_EQ(dummy.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << dummy;
  EXPECT_FALSE(hasher.needs_rehash(dummy));
  EXPECT_EQ(&dummy, &hasher.dummy_hash());  // computed once
  for (const char* guess : {"", "password", "dummy", "0000000000000000"})
    EXPECT_FALSE(hasher.verify(dummy, guess));
  EXPECT_NE(PasswordHasher(kFast).dummy_hash(), dummy);  // a fresh salt and password each time
}

TEST(PasswordHasher, ParametersOutsideLibsodiumLimitsAreRefused) {
  EXPECT_THROW(PasswordHasher({0, kMiB}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({1, 1024}), std::invalid_argument);
  EXPECT_NO_THROW(
      PasswordHasher({1, std::size_t{8} * 1024}));  // the smallest memory the config accepts
}

}  // namespace
}  // namespace ferr::crypto
