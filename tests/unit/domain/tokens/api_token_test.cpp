// The rules of API tokens, written once in the domain: their form, scopes, what presenting one
// grants, and when its use is recorded.

#include "domain/tokens/api_token.hpp"

#include <gtest/gtest.h>

namespace ferr::domain::tokens {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;

const core::TimePoint kNow{std::chrono::seconds(1'800'000'000)};

PresentedToken personal() {
  PresentedToken t;
  t.id.value.bytes[15] = 1;
  t.user_id = core::UserId{};
  t.user_id->value.bytes[15] = 2;
  t.created_by = *t.user_id;
  t.scopes = Scopes{true, false};
  return t;
}

TEST(ApiToken, IssuedTokensHaveTheirFormAndOnlyTheirHashIsStored) {
  core::ManualClock clock{kNow};
  core::SeededRandom random{1};
  core::UserId creator;
  auto pat = issue_token(clock, random, "ci", Scopes{true, false}, std::nullopt, creator,
                         std::nullopt, std::nullopt);
  EXPECT_EQ(pat.plaintext.substr(0, 7), "fl_pat_");
  EXPECT_EQ(pat.plaintext.size(), 50u);
  EXPECT_EQ(pat.stored.token.token_prefix, pat.plaintext.substr(0, 12));
  EXPECT_EQ(pat.stored.token_hash, token_hash(pat.plaintext));
  EXPECT_EQ(pat.stored.token_hash.size(), 64u);
  EXPECT_EQ(pat.stored.user_id, creator);
  EXPECT_FALSE(pat.stored.token.owner);
  auto org = issue_token(clock, random, "bot", Scopes{false, true}, std::nullopt, creator,
                         core::OrgId{}, std::nullopt);
  EXPECT_EQ(org.plaintext.substr(0, 7), "fl_org_");
  EXPECT_EQ(org.stored.token.owner, Owner::creator) << "the default owner";
  EXPECT_FALSE(org.stored.user_id);
  EXPECT_TRUE(looks_like_api_token(pat.plaintext));
  EXPECT_TRUE(is_org_token(org.plaintext));
  EXPECT_FALSE(looks_like_api_token("eyJhbGciOi"));
}

TEST(ApiToken, ScopesAreANonEmptySubsetOfStarAndRead) {
  EXPECT_FALSE(Scopes::from_list({}));
  EXPECT_FALSE(Scopes::from_list({"write"}));
  EXPECT_FALSE(Scopes::from_list({"*", "admin"}));
  EXPECT_EQ(Scopes::from_list({"read", "*"})->stored(), "*,read");
  EXPECT_EQ(Scopes::from_list({"read"})->stored(), "read");
  EXPECT_FALSE(Scopes::parse_stored("all")) << "a stored value the code does not know";
  EXPECT_EQ(Scopes::parse_stored("*")->names(), (std::vector<std::string_view>{"*"}));
}

TEST(ApiToken, WhatPresentingOneGrants) {
  auto t = personal();
  auto principal = principal_of(t, kNow, RequestKind::write);
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->user_id, *t.user_id);
  EXPECT_EQ(principal->session_id.value, t.id.value) << "what live_credentials knows it by";
  EXPECT_TRUE(principal->token);
  EXPECT_EQ(principal->actor(), *t.user_id);

  t.scopes = Scopes{false, true};
  EXPECT_TRUE(principal_of(t, kNow, RequestKind::read));
  EXPECT_EQ(principal_of(t, kNow, RequestKind::write).error().code, ErrorCode::auth_forbidden);

  t.expires_at = kNow;
  EXPECT_EQ(principal_of(t, kNow, RequestKind::read).error().code, ErrorCode::auth_unauthorized);
  t.expires_at = kNow + 1ms;
  EXPECT_TRUE(principal_of(t, kNow, RequestKind::read));
  t.revoked = true;
  EXPECT_EQ(principal_of(t, kNow, RequestKind::read).error().code, ErrorCode::auth_unauthorized);
}

TEST(ApiToken, AnOrgOwnedTokenActsForNoPerson) {
  PresentedToken t;
  t.org_id = core::OrgId{};
  t.owner = Owner::org;
  t.scopes = Scopes{true, false};
  auto principal = principal_of(t, kNow, RequestKind::write);
  ASSERT_TRUE(principal);
  EXPECT_TRUE(principal->via_org_token());
  EXPECT_FALSE(principal->actor());
  EXPECT_EQ(principal->key_owner().value, t.id.value) << "its idempotency keys are its own";
}

TEST(ApiToken, UseIsRecordedAtMostOnceAMinuteAndStaleAfterNinetyDays) {
  auto t = personal();
  EXPECT_TRUE(due_for_last_used(t, kNow));
  t.last_used_at = kNow - 59s;
  EXPECT_FALSE(due_for_last_used(t, kNow));
  t.last_used_at = kNow - 60s;
  EXPECT_TRUE(due_for_last_used(t, kNow));

  ApiToken listed;
  listed.created_at = kNow - std::chrono::hours(24 * 91);
  EXPECT_TRUE(listed.stale(kNow));
  listed.last_used_at = kNow - std::chrono::hours(24);
  EXPECT_FALSE(listed.stale(kNow));
}

TEST(ApiToken, NewTokensAreCheckedBeforeTheyAreStored) {
  EXPECT_TRUE(check_new_token("ci", std::nullopt, kNow));
  EXPECT_EQ(check_new_token("", std::nullopt, kNow).error().field, "name");
  EXPECT_EQ(check_new_token(std::string(101, 'a'), std::nullopt, kNow).error().field, "name");
  EXPECT_EQ(check_new_token("ci", kNow, kNow).error().field, "expires_at");
  EXPECT_TRUE(check_live_count(kMaxLiveTokens - 1));
  EXPECT_EQ(check_live_count(kMaxLiveTokens).error().code, ErrorCode::validation_failed);
}

}  // namespace
}  // namespace ferr::domain::tokens
