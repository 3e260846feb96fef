#include "http/client_ip.hpp"

#include <gtest/gtest.h>

namespace ferr::http {
namespace {

constexpr const char* kPeer = "10.0.0.5";

// The client address of a request from kPeer with this one X-Forwarded-For line (none when empty).
std::string resolve(std::string_view forwarded_for, unsigned trusted_hops) {
  Headers headers;
  if (!forwarded_for.empty()) headers.add("X-Forwarded-For", std::string(forwarded_for));
  return resolve_client_ip(kPeer, headers, trusted_hops);
}

TEST(ResolveClientIp, WithoutTrustedHopsThePeerIsTheClient) {
  EXPECT_EQ(resolve("", 0), kPeer);
  // X-Forwarded-For is the client's to write when no proxy is trusted.
  EXPECT_EQ(resolve("203.0.113.7", 0), kPeer);
}

TEST(ResolveClientIp, OneHopTakesTheLastEntry) {
  EXPECT_EQ(resolve("203.0.113.7", 1), "203.0.113.7");
}

TEST(ResolveClientIp, TwoHopsTakeTheSecondEntryFromTheRight) {
  // client -> outer proxy (appends client) -> inner proxy (appends outer) -> us
  EXPECT_EQ(resolve("203.0.113.7, 10.0.0.2", 2), "203.0.113.7");
}

TEST(ResolveClientIp, SpoofedEntriesOnTheLeftAreIgnored) {
  // The client sent "X-Forwarded-For: 1.1.1.1"; our one proxy appended the real address.
  EXPECT_EQ(resolve("1.1.1.1, 203.0.113.7", 1), "203.0.113.7");
  EXPECT_EQ(resolve("1.1.1.1, 2.2.2.2, 203.0.113.7, 10.0.0.2", 2), "203.0.113.7");
}

TEST(ResolveClientIp, TooFewEntriesFallBackToThePeer) {
  EXPECT_EQ(resolve("203.0.113.7", 2), kPeer);
  EXPECT_EQ(resolve("", 1), kPeer);
}

TEST(ResolveClientIp, TrimsSpacesAndTabs) {
  EXPECT_EQ(resolve("1.1.1.1 ,\t203.0.113.7\t ", 1), "203.0.113.7");
  EXPECT_EQ(resolve("2001:db8::1 , 10.0.0.2", 2), "2001:db8::1");
}

TEST(ResolveClientIp, EmptyEntryFallsBackToThePeer) {
  EXPECT_EQ(resolve("203.0.113.7, ", 1), kPeer);
  EXPECT_EQ(resolve(" ,10.0.0.2", 2), kPeer);
}

TEST(JoinedForwardedFor, JoinsEveryLineInArrivalOrder) {
  Headers h;
  h.add("Accept", "*/*");
  h.add("X-Forwarded-For", "10.0.3.1");
  h.add("x-forwarded-for", "203.0.113.7, 10.0.0.2");
  EXPECT_EQ(joined_forwarded_for(h), "10.0.3.1, 203.0.113.7, 10.0.0.2");
  EXPECT_EQ(joined_forwarded_for(Headers{}), "");
}

TEST(JoinedForwardedFor, AProxyAddingItsOwnLineDecidesTheClient) {
  // HAProxy's `option forwardfor` adds a line instead of appending: the client's forged line
  // comes first and must not choose the address.
  Headers h;
  h.add("X-Forwarded-For", "10.0.7.1");
  h.add("X-Forwarded-For", "198.51.100.9");
  EXPECT_EQ(resolve_client_ip(kPeer, h, 1), "198.51.100.9");
}

}  // namespace
}  // namespace ferr::http
