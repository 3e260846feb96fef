#include "telemetry/server_event.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace ferr::telemetry {
namespace {

core::Uuid id(std::uint8_t last) {
  core::Uuid u;
  u.bytes[15] = last;
  return u;
}

const core::Uuid kOrg = id(1);
const core::Uuid kUser = id(2);
const core::Uuid kActor = id(3);

std::set<std::string> property_names(const ServerEvent& event) {
  std::set<std::string> names;
  for (const Property& p : event.properties()) names.emplace(p.name);
  return names;
}

const PropertyValue* property(const ServerEvent& event, std::string_view name) {
  for (const Property& p : event.properties())
    if (p.name == name) return &p.value;
  return nullptr;
}

// telemetry.md §3, "Emitted properties", written out again: each server event, built through the
// typed API, carries exactly these properties and subject ids.
struct Expected {
  ServerEvent event;
  bool org;
  bool user;
  std::set<std::string> properties;
};

std::vector<Expected> section_3_events() {
  std::vector<Expected> all;
  all.push_back({ServerEvent::make<"org.created">().with<"org_hash">(kOrg).with<"user_hash">(kUser),
                 true,
                 true,
                 {}});
  all.push_back({ServerEvent::make<"org.member.added">()
                     .with<"org_hash">(kOrg)
                     .with<"role">("member")
                     .with<"actor_hash">(kActor),
                 true,
                 false,
                 {"role", "actor_hash"}});
  all.push_back({ServerEvent::make<"product.activated">()
                     .with<"org_hash">(kOrg)
                     .with<"product">("ferrflow")
                     .with<"tier">("pro"),
                 true,
                 false,
                 {"product", "tier"}});
  all.push_back({ServerEvent::make<"product.tier_changed">()
                     .with<"org_hash">(kOrg)
                     .with<"product">("ferrvault")
                     .with<"tier_from">("pro")
                     .with<"tier_to">("team"),
                 true,
                 false,
                 {"product", "tier_from", "tier_to"}});
  all.push_back(
      {ServerEvent::make<"product.canceled">().with<"org_hash">(kOrg).with<"product">("ferrfleet"),
       true,
       false,
       {"product"}});
  all.push_back(
      {ServerEvent::make<"auth.login">().with<"user_hash">(kUser).with<"method">("password"),
       false,
       true,
       {"method"}});
  all.push_back(
      {ServerEvent::make<"auth.signup">().with<"user_hash">(kUser).with<"method">("password"),
       false,
       true,
       {"method"}});
  return all;
}

TEST(ServerEvent, EverySection3EventBuildsWithExactlyItsProperties) {
  const auto events = section_3_events();
  std::vector<std::string_view> names;
  for (const Expected& e : events) {
    SCOPED_TRACE(std::string(e.event.name()));
    names.push_back(e.event.name());
    EXPECT_EQ(e.event.definition().surface, Surface::ferrlabs);
    EXPECT_EQ(e.event.org_id().has_value(), e.org);
    EXPECT_EQ(e.event.user_id().has_value(), e.user);
    EXPECT_EQ(e.event.org_id().value_or(core::Uuid{}), e.org ? kOrg : core::Uuid{});
    EXPECT_EQ(e.event.user_id().value_or(core::Uuid{}), e.user ? kUser : core::Uuid{});
    EXPECT_EQ(property_names(e.event), e.properties);
    EXPECT_EQ(e.event.properties().size(), e.properties.size());
    EXPECT_TRUE(validate(e.event)) << validate(e.event).error().message;
  }
  // The seven are all the ferrlabs events of the catalog, and nothing else.
  std::vector<std::string_view> catalog;
  for (const Event& event : kEvents)
    if (event.surface == Surface::ferrlabs) catalog.push_back(event.name);
  EXPECT_EQ(names, catalog);
}

TEST(ServerEvent, KeepsValuesAndRawIds) {
  ServerEvent added = ServerEvent::make<"org.member.added">()
                          .with<"org_hash">(kOrg)
                          .with<"actor_hash">(kActor)
                          .with<"role">(std::string("admin"));
  EXPECT_EQ(added.name(), "org.member.added");
  ASSERT_NE(property(added, "actor_hash"), nullptr);
  // The handler hands over the raw id: hashing is the writer's job, with the key it alone holds.
  EXPECT_EQ(std::get<core::Uuid>(*property(added, "actor_hash")), kActor);
  EXPECT_EQ(std::get<std::string>(*property(added, "role")), "admin");
  EXPECT_EQ(property(added, "org_hash"), nullptr);
  EXPECT_EQ(added.org_id(), kOrg);
}

TEST(ServerEvent, ValidationCatchesAnUnlistedEnumValue) {
  ServerEvent event = ServerEvent::make<"product.tier_changed">()
                          .with<"org_hash">(kOrg)
                          .with<"product">("ferrflow")
                          .with<"tier_from">("free")
                          .with<"tier_to">("gold");
  auto result = validate(event);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  EXPECT_EQ(result.error().field, "tier_to");
}

// The checks below build the parts by hand: the typed API cannot express these mistakes.

std::vector<Property> props(std::initializer_list<Property> list) { return list; }

std::optional<std::string> failing_field(std::string_view event,
                                         const std::optional<core::Uuid>& org,
                                         const std::optional<core::Uuid>& user,
                                         const std::vector<Property>& properties) {
  auto result = validate(event, org, user, properties);
  if (result) return std::nullopt;
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  return result.error().field.value_or("");
}

TEST(ServerEvent, ValidationAcceptsAHandBuiltEvent) {
  EXPECT_EQ(failing_field("product.activated", kOrg, std::nullopt,
                          props({{"product", "ferrtrack"}, {"tier", "free"}})),
            std::nullopt);
}

TEST(ServerEvent, ValidationRejectsEventsTheServerDoesNotEmit) {
  EXPECT_EQ(failing_field("org.deleted", kOrg, std::nullopt, {}), "event");
  // Ingestion accepts the snake spelling; emit sites use the dotted name.
  EXPECT_EQ(failing_field("product_canceled", kOrg, std::nullopt, props({{"product", "ferrflow"}})),
            "event");
  EXPECT_EQ(failing_field(
                "cli.error", std::nullopt, std::nullopt,
                props({{"command", "bump"}, {"error_code", "FF0001"}, {"cli_version", "4.6.1"}})),
            "event");
}

TEST(ServerEvent, ValidationRequiresExactlyTheDeclaredSubjects) {
  const auto product = props({{"product", "ferrflow"}});
  EXPECT_EQ(failing_field("product.canceled", std::nullopt, std::nullopt, product), "org_hash");
  EXPECT_EQ(failing_field("product.canceled", kOrg, kUser, product), "user_hash");
  EXPECT_EQ(failing_field("auth.login", std::nullopt, kUser, props({{"method", "password"}})),
            std::nullopt);
  EXPECT_EQ(
      failing_field("auth.login", std::nullopt, std::nullopt, props({{"method", "password"}})),
      "user_hash");
  EXPECT_EQ(failing_field("auth.login", kOrg, kUser, props({{"method", "password"}})), "org_hash");
  EXPECT_EQ(failing_field("org.created", kOrg, std::nullopt, {}), "user_hash");
}

TEST(ServerEvent, ValidationRejectsUndeclaredDuplicateAndMissingProperties) {
  EXPECT_EQ(failing_field("product.canceled", kOrg, std::nullopt,
                          props({{"product", "ferrflow"}, {"reason", "price"}})),
            "reason");
  // An envelope field is not a property.
  EXPECT_EQ(failing_field("product.canceled", kOrg, std::nullopt,
                          props({{"product", "ferrflow"}, {"org_hash", kOrg}})),
            "org_hash");
  EXPECT_EQ(failing_field("product.canceled", kOrg, std::nullopt,
                          props({{"product", "ferrflow"}, {"product", "ferrflow"}})),
            "product");
  EXPECT_EQ(
      failing_field("product.activated", kOrg, std::nullopt, props({{"product", "ferrflow"}})),
      "tier");
  EXPECT_EQ(failing_field("org.member.added", kOrg, std::nullopt, props({{"role", "viewer"}})),
            "actor_hash");
}

TEST(ServerEvent, ValidationChecksKindsAndValues) {
  EXPECT_EQ(
      failing_field("product.canceled", kOrg, std::nullopt, props({{"product", std::int64_t{1}}})),
      "product");
  EXPECT_EQ(failing_field("product.canceled", kOrg, std::nullopt, props({{"product", true}})),
            "product");
  EXPECT_EQ(failing_field("product.canceled", kOrg, std::nullopt, props({{"product", "FerrFlow"}})),
            "product");
  // A hash property holds the raw id, never text (not even an already computed pseudonym).
  EXPECT_EQ(failing_field("org.member.added", kOrg, std::nullopt,
                          props({{"role", "owner"}, {"actor_hash", std::string(32, 'a')}})),
            "actor_hash");
  EXPECT_EQ(failing_field("org.member.added", kOrg, std::nullopt,
                          props({{"role", "owner"}, {"actor_hash", kActor}})),
            std::nullopt);
}

}  // namespace
}  // namespace ferr::telemetry
