#include "crypto/keyed_hash.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <concepts>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "core/hex.hpp"
#include "core/random.hpp"
#include "support/b3sum.hpp"

namespace ferr::crypto {
namespace {

using Bytes32 = std::array<std::uint8_t, 32>;

Bytes32 filled(std::uint8_t value) {
  Bytes32 key{};
  key.fill(value);
  return key;
}

Bytes32 counting() {
  Bytes32 key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return key;
}

core::Uuid uuid(std::string_view text) {
  auto parsed = core::Uuid::parse(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(core::Uuid{});
}

/// The oracle, failing the test when b3sum cannot run.
std::string b3sum_keyed(const Bytes32& key, std::string_view message) {
  auto hex = testing::b3sum_keyed(key, message);
  if (!hex) ADD_FAILURE() << "b3sum failed; is it installed? scripts/install-deps.sh installs it";
  return hex.value_or("");
}

std::string raw(const core::Uuid& id) { return std::string(id.bytes.begin(), id.bytes.end()); }

template <typename T>
concept Streamable = requires(std::ostream& os, const T& value) {
  os << value;
};

// The key must not be printable by any route a log line could take.
static_assert(!Streamable<TelemetryKey>);
static_assert(!fmt::is_formattable<TelemetryKey>::value);
static_assert(!std::equality_comparable<TelemetryKey>);
static_assert(!std::default_initializable<TelemetryKey>);

TEST(KeyedHash, SpecPseudonymVectors) {
  struct Vector {
    Bytes32 key;
    std::string_view id;
    std::string_view expected;
  };
  const Vector vectors[] = {
      {filled(0x00), "00000000-0000-0000-0000-000000000001", "9b4429e2c86e1f62c668de210a87608e"},
      {filled(0x2a), "00000000-0000-0000-0000-000000000000", "909120c0efb07e143b777d0821877455"},
      {filled(0x00), "0190f5c2-7b1a-7cde-8f00-123456789abc", "6c3d2249c3b8e94b559f909bc2c7f2e7"},
      {counting(), "0190f5c2-7b1a-7cde-8f00-123456789abc", "035e47d8c714f918304f386198e9b331"},
  };
  for (const auto& v : vectors)
    EXPECT_EQ(pseudonym(TelemetryKey(v.key), uuid(v.id)), v.expected) << v.id;
}

TEST(KeyedHash, SpecKeyIdVectors) {
  EXPECT_EQ(key_id(TelemetryKey(filled(0x00))), "30b234f0");
  EXPECT_EQ(key_id(TelemetryKey(counting())), "8e1199f3");
}

TEST(KeyedHash, HashingTheTextFormGivesADifferentValue) {
  const core::Uuid id = uuid("0190f5c2-7b1a-7cde-8f00-123456789abc");
  const TelemetryKey key(filled(0x00));
  // Keyed BLAKE3 of the 36 ASCII characters (b3sum, first 16 bytes): the bug the spec warns of.
  const std::string of_text = "99f338be9f96346f860bc0ac9ad3df4f";
  EXPECT_EQ(b3sum_keyed(filled(0x00), id.to_string()).substr(0, 32), of_text);
  EXPECT_NE(pseudonym(key, id), of_text);
  EXPECT_EQ(pseudonym(key, id), "6c3d2249c3b8e94b559f909bc2c7f2e7");
}

TEST(KeyedHash, AgreesWithB3sumOnRandomKeysAndIds) {
  core::init_sodium();
  core::SodiumRandom random;
  for (int round = 0; round < 3; ++round) {
    Bytes32 bytes{};
    random.fill(bytes);
    const TelemetryKey key(bytes);
    SCOPED_TRACE("key " + core::to_hex(bytes));
    EXPECT_EQ(key_id(key), b3sum_keyed(bytes, "ferrlabs.telemetry.key-id").substr(0, 8));
    for (int i = 0; i < 3; ++i) {
      core::Uuid id;
      random.fill(id.bytes);
      EXPECT_EQ(pseudonym(key, id), b3sum_keyed(bytes, raw(id)).substr(0, 32)) << id.to_string();
    }
  }
}

TEST(KeyedHash, OutputIsLowercaseHexOfTheSpecifiedLength) {
  core::SeededRandom random(3);
  const TelemetryKey key = TelemetryKey::random(random);
  core::Uuid id;
  random.fill(id.bytes);
  const std::string p = pseudonym(key, id);
  const std::string k = key_id(key);
  EXPECT_EQ(p.size(), 32u);
  EXPECT_EQ(k.size(), 8u);
  EXPECT_EQ(p.find_first_not_of("0123456789abcdef"), std::string::npos) << p;
  EXPECT_EQ(k.find_first_not_of("0123456789abcdef"), std::string::npos) << k;
}

TEST(KeyedHash, FromSaltTakesExactly32RawBytes) {
  const Bytes32 bytes = counting();
  auto key = TelemetryKey::from_salt(core::Secret(std::string(bytes.begin(), bytes.end())));
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key_id(*key), "8e1199f3");

  EXPECT_FALSE(TelemetryKey::from_salt(core::Secret("")));
  EXPECT_FALSE(TelemetryKey::from_salt(core::Secret(std::string(31, 'a'))));
  EXPECT_FALSE(TelemetryKey::from_salt(core::Secret(std::string(33, 'a'))));
  // 64 hex characters are the configuration's text form, not the key: config.cpp decodes them.
  EXPECT_FALSE(TelemetryKey::from_salt(core::Secret(std::string(64, '0'))));
}

TEST(KeyedHash, RandomKeyUsesTheInjectedRandomness) {
  core::SeededRandom a(7), same(7), other(8);
  Bytes32 expected{};
  same.fill(expected);
  const TelemetryKey key = TelemetryKey::random(a);
  EXPECT_EQ(key_id(key), key_id(TelemetryKey(expected)));
  EXPECT_NE(key_id(key), key_id(TelemetryKey::random(other)));
}

TEST(KeyedHash, CopiesHashAlike) {
  const TelemetryKey key(counting());
  TelemetryKey copy = key;
  EXPECT_EQ(key_id(copy), key_id(key));
  copy = TelemetryKey(filled(0x00));
  EXPECT_EQ(key_id(copy), "30b234f0");
  EXPECT_EQ(key_id(key), "8e1199f3");
}

TEST(KeyedHash, DistinctIdsAndKeysGiveDistinctPseudonyms) {
  const core::Uuid a = uuid("00000000-0000-0000-0000-000000000000");
  const core::Uuid b = uuid("00000000-0000-0000-0000-000000000001");
  const TelemetryKey zero(filled(0x00));
  const TelemetryKey other(filled(0x2a));
  EXPECT_NE(pseudonym(zero, a), pseudonym(zero, b));
  EXPECT_NE(pseudonym(zero, a), pseudonym(other, a));
}

}  // namespace
}  // namespace ferr::crypto
