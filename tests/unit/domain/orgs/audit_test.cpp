// The audit metadata of every change, as exact JSON text, and the stamp of an audit row.

#include "domain/orgs/audit.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace ferr::domain::orgs {
namespace {

TEST(AuditMetadata, OrgCreatedCarriesSlugAndName) {
  EXPECT_EQ(org_created_metadata("acme", "Acme Inc."), R"({"slug":"acme","name":"Acme Inc."})");
}

TEST(AuditMetadata, OrgCreatedEscapesTheName) {
  // A name is user text: quotes, backslashes, control characters and broken UTF-8 stay inside
  // the string literal, and non-ASCII text is kept as it is.
  EXPECT_EQ(org_created_metadata("acme", R"(Say "hi" \ bye)"),
            R"({"slug":"acme","name":"Say \"hi\" \\ bye"})");
  EXPECT_EQ(org_created_metadata("acme", "tab\tnew\nline\x01"),
            R"({"slug":"acme","name":"tab\tnew\nline\u0001"})");
  EXPECT_EQ(org_created_metadata("acme", "caf\xc3\xa9"),
            "{\"slug\":\"acme\",\"name\":\"caf\xc3\xa9\"}");
  EXPECT_EQ(org_created_metadata("acme", "bad\xff"), R"({"slug":"acme","name":"bad\ufffd"})");
  EXPECT_EQ(org_created_metadata("acme", R"(","injected":")"),
            R"({"slug":"acme","name":"\",\"injected\":\""})")
      << "no member can be smuggled in";
}

class OrgUpdated : public ::testing::Test {
 protected:
  OrgUpdated() {
    current_.slug = "acme";
    current_.name = "Acme";
  }
  OrgView current_;
};

TEST_F(OrgUpdated, NamesOnlyTheMembersThatChange) {
  EXPECT_EQ(org_updated_metadata(current_, "Acme Two", std::nullopt), R"({"name":"Acme Two"})");
  EXPECT_EQ(org_updated_metadata(current_, std::nullopt, "acme-2"), R"({"slug":"acme-2"})");
  EXPECT_EQ(org_updated_metadata(current_, "Acme Two", "acme-2"),
            R"({"name":"Acme Two","slug":"acme-2"})");
  EXPECT_EQ(org_updated_metadata(current_, "Acme", "acme-2"), R"({"slug":"acme-2"})")
      << "the same name is not a change";
  EXPECT_EQ(org_updated_metadata(current_, "Acme Two", "acme"), R"({"name":"Acme Two"})")
      << "the same slug is not a change";
}

TEST_F(OrgUpdated, IsNulloptWhenNothingChanges) {
  EXPECT_EQ(org_updated_metadata(current_, std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(org_updated_metadata(current_, "Acme", std::nullopt), std::nullopt);
  EXPECT_EQ(org_updated_metadata(current_, std::nullopt, "acme"), std::nullopt);
  EXPECT_EQ(org_updated_metadata(current_, "Acme", "acme"), std::nullopt);
}

TEST_F(OrgUpdated, EscapesTheNewName) {
  EXPECT_EQ(org_updated_metadata(current_, "A \"quoted\"\\name\n", std::nullopt),
            R"({"name":"A \"quoted\"\\name\n"})");
  EXPECT_EQ(org_updated_metadata(current_, "\xc3(", std::nullopt), R"({"name":"\ufffd("})");
}

TEST(AuditMetadata, MembersRolesTiersAndFlags) {
  EXPECT_EQ(member_added_metadata(Role::admin), R"({"role":"admin"})");
  EXPECT_EQ(member_added_metadata(Role::viewer), R"({"role":"viewer"})");
  EXPECT_EQ(role_changed_metadata(Role::owner, Role::member), R"({"from":"owner","to":"member"})");
  EXPECT_EQ(member_removed_metadata(Role::owner), R"({"role":"owner"})");
  EXPECT_EQ(opt_out_metadata(false, true), R"({"from":false,"to":true})");
  EXPECT_EQ(opt_out_metadata(true, false), R"({"from":true,"to":false})");
  EXPECT_EQ(opt_out_metadata(true, true), R"({"from":true,"to":true})");
  EXPECT_EQ(subscription_activated_metadata(subscriptions::Product::ferrvault,
                                            subscriptions::Tier::enterprise),
            R"({"product":"ferrvault","tier":"enterprise"})");
  EXPECT_EQ(tier_changed_metadata(subscriptions::Tier::free, subscriptions::Tier::team),
            R"({"from":"free","to":"team"})");
  EXPECT_EQ(subscription_canceled_metadata(subscriptions::Tier::pro), R"({"tier":"pro"})");
}

TEST(AuditMetadata, JsonStringQuotesAndEscapes) {
  EXPECT_EQ(json_string("plain"), R"("plain")");
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string(""), R"("")");
}

TEST(AuditRecord, IsStampedNowWithATimeOrderedId) {
  core::ManualClock clock(core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5)));
  core::SeededRandom random(3);
  auto actor = core::UserId::parse("0196a0b0-0000-7000-8000-000000000001").value();
  auto first = audit_record(clock, random, actor, "org.created", "acme",
                            org_created_metadata("acme", "Acme"));
  EXPECT_EQ(first.actor_id, actor);
  EXPECT_EQ(first.action, "org.created");
  EXPECT_EQ(first.target, "acme");
  EXPECT_EQ(first.metadata, R"({"slug":"acme","name":"Acme"})");
  EXPECT_EQ(first.created_at, clock.now());
  EXPECT_EQ(first.id.value.bytes[6] >> 4, 7) << "a UUIDv7";

  clock.advance(std::chrono::milliseconds(1));
  auto second = audit_record(clock, random, actor, "org.member.removed", "x");
  EXPECT_EQ(second.metadata, "{}") << "an empty object by default";
  EXPECT_LT(first.id, second.id);
}

}  // namespace
}  // namespace ferr::domain::orgs
