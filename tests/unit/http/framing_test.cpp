#include "http/framing.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

namespace ferr::http {
namespace {

Headers fields(std::initializer_list<std::pair<const char*, const char*>> list) {
  Headers h;
  for (const auto& [name, value] : list) h.add(name, value);
  return h;
}

TEST(Framing, OneHostAndNoBodyFramingIsFine) {
  EXPECT_FALSE(framing_error(fields({{"Host", "api.example.com"}}), 11));
  EXPECT_FALSE(framing_error(fields({{"host", "127.0.0.1:8080"}}), 11));
  EXPECT_FALSE(framing_error(fields({{"Host", "[2001:db8::1]:443"}}), 11));
  EXPECT_FALSE(framing_error(fields({{"Host", "x"}, {"Content-Length", "5"}}), 11));
  // An empty Host is what a client sends when the target has no authority (RFC 9112 §3.2).
  EXPECT_FALSE(framing_error(fields({{"Host", ""}}), 11));
}

TEST(Framing, Http11NeedsExactlyOneHost) {
  EXPECT_TRUE(framing_error(fields({}), 11));
  EXPECT_TRUE(framing_error(fields({{"Host", "a"}, {"Host", "a"}}), 11));
  EXPECT_TRUE(framing_error(fields({{"Host", "a"}, {"HOST", "b"}}), 11));
}

TEST(Framing, Http10MayOmitHostButNotRepeatIt) {
  EXPECT_FALSE(framing_error(fields({}), 10));
  EXPECT_FALSE(framing_error(fields({{"Host", "a"}}), 10));
  EXPECT_TRUE(framing_error(fields({{"Host", "a"}, {"Host", "b"}}), 10));
}

TEST(Framing, HostWithCharactersNoHostHasIsRefused) {
  for (const char* bad : {"a b", "a/b", "user@host", "a?b", "a#b", "a\x01"})
    EXPECT_TRUE(framing_error(fields({{"Host", bad}}), 11)) << bad;
}

TEST(Framing, ChunkedAloneIsTheOnlyTransferEncoding) {
  EXPECT_FALSE(framing_error(fields({{"Host", "x"}, {"Transfer-Encoding", "chunked"}}), 11));
  EXPECT_FALSE(framing_error(fields({{"Host", "x"}, {"Transfer-Encoding", "Chunked"}}), 11));
  // Empty list elements are part of the list syntax.
  EXPECT_FALSE(framing_error(fields({{"Host", "x"}, {"Transfer-Encoding", " , chunked ,"}}), 11));
}

TEST(Framing, TransferEncodingNotEndingInChunkedIsRefused) {
  for (const char* te : {"gzip", "xchunked", "identity", "", "chunked, identity", "chunkedx",
                         "chunked;q=1", " , "}) {
    auto error = framing_error(fields({{"Host", "x"}, {"Transfer-Encoding", te}}), 11);
    ASSERT_TRUE(error) << "[" << te << "]";
    EXPECT_EQ(*error, "the last transfer coding must be chunked") << te;
  }
  // The codings of all lines form one list: its last coding decides.
  EXPECT_TRUE(framing_error(
      fields({{"Host", "x"}, {"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "gzip"}}),
      11));
}

TEST(Framing, OtherCodingsBeforeChunkedAreRefused) {
  EXPECT_TRUE(framing_error(fields({{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}}), 11));
  EXPECT_TRUE(
      framing_error(fields({{"Host", "x"}, {"Transfer-Encoding", "chunked, chunked"}}), 11));
  EXPECT_TRUE(framing_error(
      fields({{"Host", "x"}, {"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}}),
      11));
}

TEST(Framing, TransferEncodingBesideContentLengthIsRefusedInEitherOrder) {
  for (const char* te : {"chunked", "gzip", "identity"}) {
    EXPECT_TRUE(framing_error(
        fields({{"Host", "x"}, {"Transfer-Encoding", te}, {"Content-Length", "5"}}), 11))
        << te;
    EXPECT_TRUE(framing_error(
        fields({{"Host", "x"}, {"Content-Length", "5"}, {"Transfer-Encoding", te}}), 11))
        << te;
  }
}

TEST(Framing, TransferEncodingInHttp10IsRefused) {
  EXPECT_TRUE(framing_error(fields({{"Transfer-Encoding", "chunked"}}), 10));
}

}  // namespace
}  // namespace ferr::http
