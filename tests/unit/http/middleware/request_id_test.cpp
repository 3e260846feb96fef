#include "http/middleware/request_id.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace ferr::http {
namespace {

bool is_lower_hex(const std::string& s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Headers with_request_id(std::string value) {
  Headers h;
  h.add("X-Request-Id", std::move(value));
  return h;
}

TEST(IsSafeRequestId, AcceptsOneToSixtyFourSafeCharacters) {
  EXPECT_TRUE(is_safe_request_id("a"));
  EXPECT_TRUE(is_safe_request_id("Abc-123_x.y:z"));
  EXPECT_TRUE(is_safe_request_id("0190163d-8694-739b-aea5-966c26f8ad91"));
  EXPECT_TRUE(is_safe_request_id(std::string(64, 'x')));
}

TEST(IsSafeRequestId, RejectsEmptyTooLongAndUnsafeCharacters) {
  EXPECT_FALSE(is_safe_request_id(""));
  EXPECT_FALSE(is_safe_request_id(std::string(65, 'x')));
  for (const char* id : {"a b", "a/b", "a\"b", "<script>", "a\nb", "a\tb", "caf\xc3\xa9", "a%20b",
                         "a,b", "a=b", "{}"}) {
    EXPECT_FALSE(is_safe_request_id(id)) << id;
  }
}

TEST(AssignRequestId, KeepsASafeIncomingId) {
  EXPECT_EQ(assign_request_id(with_request_id("client-id_1.2:3")), "client-id_1.2:3");
  std::string longest(64, '7');
  EXPECT_EQ(assign_request_id(with_request_id(longest)), longest);
}

TEST(AssignRequestId, HeaderNameIsCaseInsensitive) {
  Headers h;
  h.add("x-REQUEST-id", "abc");
  EXPECT_EQ(assign_request_id(h), "abc");
}

TEST(AssignRequestId, ReplacesUnsafeOrTooLongIds) {
  for (std::string incoming : {std::string("bad id"), std::string("x\r\nSet-Cookie: a=b"),
                               std::string(65, 'a'), std::string()}) {
    std::string id = assign_request_id(with_request_id(incoming));
    EXPECT_NE(id, incoming);
    EXPECT_EQ(id.size(), 32u) << id;
    EXPECT_TRUE(is_lower_hex(id)) << id;
  }
}

TEST(AssignRequestId, MakesOneWhenNoneIsSent) {
  std::string id = assign_request_id(Headers{});
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(is_lower_hex(id)) << id;
}

TEST(AssignRequestId, GeneratedIdsAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(assign_request_id(Headers{}));
  EXPECT_EQ(seen.size(), 10000u);
}

}  // namespace
}  // namespace ferr::http
