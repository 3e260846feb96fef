#include "telemetry/catalog.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace ferr::telemetry {
namespace {

// The table of telemetry.md §1, written out again by hand: the catalog must match it exactly.
struct ExpectedField {
  std::string name;
  std::string kind;
  std::vector<std::string> values = {};
};

struct ExpectedEvent {
  std::string name;
  std::string surface;
  std::string subject;
  std::vector<ExpectedField> fields;
};

const std::vector<std::string> kTierValues = {"free", "pro", "team", "enterprise"};
// telemetry.md: the same product table as subscriptions, FerrLens included.
const std::vector<std::string> kProductValues = {"ferrflow",   "ferrvault", "ferrtrack",
                                                 "ferrgrowth", "ferrfleet", "ferrlens"};
const std::vector<std::string> kMethodValues = {"password", "oauth-google", "oauth-github", "sso"};
const std::vector<std::string> kCommandValues = {"bump", "release", "changelog", "check",
                                                 "init", "status",  "version",   "other"};

const std::vector<ExpectedEvent>& spec_table() {
  static const std::vector<ExpectedEvent> table = {
      {"org.created", "ferrlabs", "org", {{"org_hash", "hash"}, {"user_hash", "hash"}}},
      {"org.member.added",
       "ferrlabs",
       "org",
       {{"org_hash", "hash"},
        {"actor_hash", "hash"},
        {"role", "enum", {"owner", "admin", "member", "viewer", "billing", "auditor"}}}},
      {"product.activated",
       "ferrlabs",
       "org",
       {{"org_hash", "hash"}, {"product", "enum", kProductValues}, {"tier", "enum", kTierValues}}},
      {"product.tier_changed",
       "ferrlabs",
       "org",
       {{"org_hash", "hash"},
        {"product", "enum", kProductValues},
        {"tier_from", "enum", kTierValues},
        {"tier_to", "enum", kTierValues}}},
      {"product.canceled",
       "ferrlabs",
       "org",
       {{"org_hash", "hash"}, {"product", "enum", kProductValues}}},
      {"auth.login",
       "ferrlabs",
       "user",
       {{"user_hash", "hash"}, {"method", "enum", kMethodValues}}},
      {"auth.signup",
       "ferrlabs",
       "user",
       {{"user_hash", "hash"}, {"method", "enum", kMethodValues}}},
      {"cli.run",
       "ferrflow",
       "none",
       {{"command", "enum", kCommandValues},
        {"exit_code", "int"},
        {"duration_ms", "int"},
        {"cli_version", "string"},
        {"os", "enum", {"linux", "macos", "windows"}},
        {"arch", "enum", {"x86_64", "aarch64"}}}},
      {"cli.error",
       "ferrflow",
       "none",
       {{"command", "enum", kCommandValues}, {"error_code", "string"}, {"cli_version", "string"}}},
      {"vault.secret.injected",
       "ferrvault",
       "org",
       {{"org_hash", "hash"}, {"kind", "enum", {"native", "external_helm", "external_other"}}}},
      {"track.issue.created",
       "ferrtrack",
       "org",
       {{"org_hash", "hash"}, {"source", "enum", {"ui", "api", "git_link", "automation"}}}},
      {"growth.site.published",
       "ferrgrowth",
       "org",
       {{"org_hash", "hash"}, {"custom_domain", "bool"}}},
      {"fleet.agent.run",
       "ferrfleet",
       "org",
       {{"org_hash", "hash"},
        {"agent_kind", "enum", {"first_party", "custom"}},
        {"first_party_slug", "string"},
        {"exit_code", "int"},
        {"duration_ms", "int"}}},
  };
  return table;
}

std::string snake_case(std::string_view dotted) {
  std::string out(dotted);
  for (char& c : out)
    if (c == '.') c = '_';
  return out;
}

TEST(Catalog, SurfacesAreTheSixOfTheSpecInOrder) {
  const std::vector<std::string> expected = {"ferrlabs",  "ferrflow",   "ferrvault",
                                             "ferrtrack", "ferrgrowth", "ferrfleet"};
  ASSERT_EQ(kSurfaces.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(surface_name(kSurfaces[i]), expected[i]);
    EXPECT_EQ(find_surface(expected[i]), kSurfaces[i]);
  }
  EXPECT_FALSE(find_surface("FerrFlow"));
  EXPECT_FALSE(find_surface("ferrlab"));
  EXPECT_FALSE(find_surface(""));
}

TEST(Catalog, HoldsExactlyTheSpecEventsInOrder) {
  const auto& expected = spec_table();
  ASSERT_EQ(kEvents.size(), 13u);
  ASSERT_EQ(kEvents.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Event& event = kEvents[i];
    const ExpectedEvent& want = expected[i];
    SCOPED_TRACE(want.name);
    EXPECT_EQ(event.name, want.name);
    EXPECT_EQ(surface_name(event.surface), want.surface);
    EXPECT_EQ(subject_name(event.subject), want.subject);
    ASSERT_EQ(event.fields.size(), want.fields.size());
    for (std::size_t f = 0; f < want.fields.size(); ++f) {
      const Field& field = event.fields[f];
      SCOPED_TRACE(want.fields[f].name);
      EXPECT_EQ(field.name, want.fields[f].name);
      EXPECT_EQ(kind_name(field.kind), want.fields[f].kind);
      EXPECT_EQ(std::vector<std::string>(field.values.begin(), field.values.end()),
                want.fields[f].values);
    }
  }
}

TEST(Catalog, OnlyOrgAndUserHashesTravelInTheEnvelope) {
  for (const Event& event : kEvents)
    for (const Field& field : event.fields) {
      const bool envelope = field.name == "org_hash" || field.name == "user_hash";
      EXPECT_EQ(field.placement, envelope ? Placement::envelope : Placement::properties)
          << event.name << "." << field.name;
    }
}

TEST(Catalog, NamesAndSnakeSpellingsAreUnique) {
  std::set<std::string_view> names;
  std::set<std::string> snake;
  for (const Event& event : kEvents) {
    EXPECT_TRUE(names.insert(event.name).second) << event.name;
    EXPECT_TRUE(snake.insert(snake_case(event.name)).second) << event.name;
    std::set<std::string_view> fields;
    for (const Field& field : event.fields)
      EXPECT_TRUE(fields.insert(field.name).second) << event.name << "." << field.name;
  }
}

TEST(Catalog, EveryTextIsInEnglishAndFrench) {
  for (const Event& event : kEvents) {
    EXPECT_FALSE(event.when.en.empty()) << event.name;
    EXPECT_FALSE(event.when.fr.empty()) << event.name;
    EXPECT_NE(event.when.en, event.when.fr) << event.name;
    for (const Field& field : event.fields) {
      EXPECT_FALSE(field.doc.en.empty()) << event.name << "." << field.name;
      EXPECT_FALSE(field.doc.fr.empty()) << event.name << "." << field.name;
      EXPECT_NE(field.doc.en, field.doc.fr) << event.name << "." << field.name;
    }
  }
}

TEST(Catalog, NeverCollectedListIsBilingualAndNamesIpAddresses) {
  ASSERT_EQ(kNeverCollected.size(), 8u);
  bool ip = false;
  for (const Text& item : kNeverCollected) {
    EXPECT_FALSE(item.en.empty());
    EXPECT_FALSE(item.fr.empty());
    EXPECT_NE(item.en, item.fr);
    ip = ip || (item.en.find("IP addresses") != std::string_view::npos &&
                item.fr.find("adresses IP") != std::string_view::npos);
  }
  EXPECT_TRUE(ip);
}

TEST(Catalog, FindsEventsByDottedAndSnakeName) {
  for (const Event& event : kEvents) {
    EXPECT_EQ(find_event(event.name), &event) << event.name;
    EXPECT_EQ(find_event(snake_case(event.name)), &event) << event.name;
  }
  const Event* added = find_event("org_member_added");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->name, "org.member.added");
  EXPECT_EQ(find_event("product_tier_changed"), find_event("product.tier_changed"));
}

TEST(Catalog, RejectsOtherSpellings) {
  for (const char* name :
       {"", "org", "org.member", "org_member.added", "org.member_added", "Org.Created",
        "ORG_CREATED", "org-created", "org.created ", "product.tier.changed", "org.deleted"})
    EXPECT_EQ(find_event(name), nullptr) << name;
}

TEST(Catalog, FindsFieldsOfAnEventOnly) {
  const Event& added = *find_event("org.member.added");
  const Field* role = find_field(added, "role");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->kind, FieldKind::enumeration);
  EXPECT_NE(find_field(added, "actor_hash"), nullptr);
  EXPECT_EQ(find_field(added, "user_hash"), nullptr);
  EXPECT_EQ(find_field(added, "tier"), nullptr);
  EXPECT_EQ(find_field(added, ""), nullptr);
}

TEST(Catalog, ChecksEnumValues) {
  const Event& changed = *find_event("product.tier_changed");
  const Field& tier_to = *find_field(changed, "tier_to");
  for (const char* tier : {"free", "pro", "team", "enterprise"})
    EXPECT_TRUE(allows_value(tier_to, tier)) << tier;
  for (const char* tier : {"", "Pro", "gold", "pro "}) EXPECT_FALSE(allows_value(tier_to, tier));

  const Event& login = *find_event("auth.login");
  EXPECT_TRUE(allows_value(*find_field(login, "method"), "oauth-github"));
  EXPECT_FALSE(allows_value(*find_field(login, "method"), "oauth_github"));
  // Only enums have listed values.
  EXPECT_FALSE(allows_value(*find_field(login, "user_hash"), ""));
}

TEST(Catalog, KindAndSubjectWireNames) {
  EXPECT_EQ(kind_name(FieldKind::hash), "hash");
  EXPECT_EQ(kind_name(FieldKind::enumeration), "enum");
  EXPECT_EQ(kind_name(FieldKind::integer), "int");
  EXPECT_EQ(kind_name(FieldKind::string), "string");
  EXPECT_EQ(kind_name(FieldKind::boolean), "bool");
  EXPECT_EQ(subject_name(Subject::org), "org");
  EXPECT_EQ(subject_name(Subject::user), "user");
  EXPECT_EQ(subject_name(Subject::none), "none");
  EXPECT_EQ(kMaxStringBytes, 128u);
  EXPECT_EQ(kHashHexChars, 32u);
}

// The catalog is usable in constant expressions: the typed emit API depends on it.
static_assert(kEvents.size() == 13);
static_assert(kEvents[3].name == "product.tier_changed");
static_assert(kEvents[3].fields[2].values[3] == "enterprise");

}  // namespace
}  // namespace ferr::telemetry
