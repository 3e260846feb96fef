// The URL → hostaddr rewrite that keeps libpq from resolving host names (conninfo.hpp).
#include "storage/postgres/conninfo.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferr::storage::postgres {
namespace {

ConnInfo parsed(const std::string& url) {
  auto info = parse_conninfo(url);
  EXPECT_TRUE(info) << url;
  return info ? *info : ConnInfo{};
}

std::string value(const ConnInfo& info, const char* keyword) {
  const std::string* v = info.find(keyword);
  return v ? *v : "<none>";
}

TEST(ConnInfo, ANameIsResolvedToEveryAddressWithItsHostKept) {
  const auto info = parsed("postgres://app:s3cret@db.example:5433/ferr?sslmode=verify-full");
  EXPECT_EQ(names_to_resolve(info), std::vector<std::string>{"db.example"});
  auto rewritten = with_host_addresses(info, {{"db.example", {"10.0.0.1", "fd00::2"}}});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "db.example,db.example");  // for TLS and messages
  EXPECT_EQ(value(*rewritten, "hostaddr"), "10.0.0.1,fd00::2");
  EXPECT_EQ(value(*rewritten, "port"), "5433");  // one port for all
  EXPECT_EQ(value(*rewritten, "dbname"), "ferr");
  EXPECT_EQ(value(*rewritten, "user"), "app");
  EXPECT_EQ(value(*rewritten, "password"), "s3cret");
  EXPECT_EQ(value(*rewritten, "sslmode"), "verify-full");
}

TEST(ConnInfo, LiteralAddressesNeedNoResolving) {
  const auto v4 = parsed("postgres://postgres@127.0.0.1:5432/postgres");
  EXPECT_TRUE(names_to_resolve(v4).empty());
  auto rewritten = with_host_addresses(v4, {});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "127.0.0.1");
  EXPECT_EQ(value(*rewritten, "hostaddr"), "127.0.0.1");

  const auto v6 = parsed("postgresql://[::1]:5432/db");
  EXPECT_TRUE(names_to_resolve(v6).empty());
  EXPECT_EQ(value(with_host_addresses(v6, {}).value(), "hostaddr"), "::1");
}

TEST(ConnInfo, SocketDirectoriesAreLeftToLibpq) {
  const auto info = parsed("postgresql:///ferr?host=/var/run/postgresql");
  EXPECT_TRUE(names_to_resolve(info).empty());
  auto rewritten = with_host_addresses(info, {});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "/var/run/postgresql");
  EXPECT_EQ(value(*rewritten, "hostaddr"), "<none>");

  const auto no_host = parsed("postgresql:///ferr");
  EXPECT_TRUE(names_to_resolve(no_host).empty());
  EXPECT_EQ(value(with_host_addresses(no_host, {}).value(), "host"), "<none>");
}

TEST(ConnInfo, SeveralHostsKeepTheirOwnPorts) {
  const auto info = parsed("postgres://primary:5432,standby:5433,10.1.1.9:5434/ferr");
  EXPECT_EQ(names_to_resolve(info), (std::vector<std::string>{"primary", "standby"}));
  auto rewritten =
      with_host_addresses(info, {{"primary", {"10.0.0.1", "10.0.0.2"}}, {"standby", {"10.0.0.3"}}});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "primary,primary,standby,10.1.1.9");
  EXPECT_EQ(value(*rewritten, "hostaddr"), "10.0.0.1,10.0.0.2,10.0.0.3,10.1.1.9");
  EXPECT_EQ(value(*rewritten, "port"), "5432,5432,5433,5434");
}

TEST(ConnInfo, AGivenHostaddrIsKept) {
  const auto info = parsed("host=db.example hostaddr=10.1.1.1 dbname=ferr");
  EXPECT_TRUE(names_to_resolve(info).empty());
  auto rewritten = with_host_addresses(info, {});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "db.example");
  EXPECT_EQ(value(*rewritten, "hostaddr"), "10.1.1.1");
}

TEST(ConnInfo, KeywordValueStringsAreResolvedToo) {
  const auto info = parsed("host=localhost port=5432 dbname=ferr");
  EXPECT_EQ(names_to_resolve(info), std::vector<std::string>{"localhost"});
  auto rewritten = with_host_addresses(info, {{"localhost", {"::1", "127.0.0.1"}}});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "localhost,localhost");
  EXPECT_EQ(value(*rewritten, "hostaddr"), "::1,127.0.0.1");
}

TEST(ConnInfo, AHostWithoutAddressIsDroppedAndNoneLeftIsUnavailable) {
  const auto two = parsed("postgres://gone,here/ferr");
  auto rewritten = with_host_addresses(two, {{"gone", {}}, {"here", {"10.0.0.5"}}});
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(value(*rewritten, "host"), "here");
  EXPECT_EQ(value(*rewritten, "hostaddr"), "10.0.0.5");

  auto none = with_host_addresses(parsed("postgres://gone/ferr"), {{"gone", {}}});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::service_unavailable);
}

TEST(ConnInfo, AMalformedUrlFailsWithoutQuotingIt) {
  auto info = parse_conninfo("postgres://user:s3cret@[broken");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, core::ErrorCode::service_unavailable);
  EXPECT_EQ(info.error().log_detail.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace ferr::storage::postgres
