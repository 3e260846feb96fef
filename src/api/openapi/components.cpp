#include "api/openapi/components.hpp"

#include <boost/json/array.hpp>

#include <string>
#include <vector>

#include "api/openapi/schema.hpp"
#include "core/email.hpp"
#include "core/error.hpp"
#include "core/field_limits.hpp"
#include "core/products.hpp"
#include "domain/orgs/role.hpp"
#include "domain/subscriptions/subscription.hpp"
#include "telemetry/catalog.hpp"

namespace ferr::api::openapi {

namespace {

using boost::json::array;
using boost::json::object;
namespace limits = core::limits;

object name_schema() {
  return string_schema({.min_length = limits::kNameMinChars, .max_length = limits::kNameMaxChars});
}

object slug_schema() {
  return string_schema({.min_length = limits::kSlugMinChars,
                        .max_length = limits::kSlugMaxChars,
                        .pattern = limits::kSlugPattern});
}

object email_schema() {
  return string_schema({.min_length = 3, .max_length = core::kMaxEmailBytes, .format = "email"});
}

object password_schema() {
  return string_schema({.min_length = limits::kPasswordMinChars,
                        .max_length = limits::kPasswordMaxChars,
                        .description =
                            "Refused when equal to the e-mail, on the common-password list, or "
                            "estimated under 10^8 guesses (USER_PASSWORD_TOO_WEAK)."});
}

object role_schema() {
  using domain::orgs::Role;
  return enum_schema_of(
      std::vector<std::string_view>{role_name(Role::owner), role_name(Role::admin),
                                    role_name(Role::member), role_name(Role::viewer)});
}

object status_schema() {
  using domain::subscriptions::status_name;
  using domain::subscriptions::SubscriptionStatus;
  return enum_schema_of(std::vector<std::string_view>{
      status_name(SubscriptionStatus::trialing), status_name(SubscriptionStatus::active),
      status_name(SubscriptionStatus::past_due), status_name(SubscriptionStatus::canceled),
      status_name(SubscriptionStatus::incomplete)});
}

object hash_schema() { return string_schema({.pattern = "^[0-9a-f]{32}$"}); }

object scopes_schema() {
  object s = array_of(enum_schema({"*", "read"}));
  s["minItems"] = 1;
  s["uniqueItems"] = true;
  return s;
}

object error_code_schema() {
  std::vector<std::string_view> codes;
  for (int i = 0; i <= static_cast<int>(core::kLastErrorCode); ++i)
    codes.push_back(core::wire_name(static_cast<core::ErrorCode>(i)));
  return enum_schema_of(codes);
}

object error_schema() {
  return closed_object(
      {{"code", error_code_schema()},
       {"error", string_schema({.description = "A sentence for people; never a secret."})},
       {"request_id", string_schema()},
       {"field", string_schema({.description = "The member a validation error is about."}), false},
       {"orgs",
        described(array_of(slug_schema()),
                  "ORG_LAST_OWNER on account deletion: the orgs "
                  "the caller is the only owner of."),
        false}});
}

object user_schema() {
  return closed_object(
      {{"id", uuid_schema()},
       {"email", email_schema()},
       {"email_verified", boolean_schema()},
       {"display_name", nullable(name_schema())},
       {"avatar_url",
        nullable(string_schema({.max_length = limits::kAvatarUrlMaxBytes, .format = "uri"}))},
       {"timezone", string_schema({.description = "An IANA time zone name."})},
       {"locale", string_schema({.pattern = limits::kLocalePattern})},
       {"created_at", time_schema()},
       {"updated_at", time_schema()},
       {"last_login_at", nullable(time_schema())}});
}

object token_response_schema() {
  return closed_object({{"access_token", string_schema({.description = "A JWT (HS256), 15 min."})},
                        {"refresh_token", string_schema({.pattern = "^[A-Za-z0-9_-]{43}$"})},
                        {"token_type", const_schema("Bearer")},
                        {"expires_in", integer_schema(1)},
                        {"user", ref("User")}});
}

object session_schema() {
  return closed_object(
      {{"id", uuid_schema()},
       {"client_id", const_schema("password")},
       {"user_agent", nullable(string_schema({.max_length = limits::kUserAgentMaxChars}))},
       {"ip", described(object{{"type", "null"}}, "No address is ever stored.")},
       {"last_active_at", time_schema()},
       {"expires_at", time_schema()},
       {"created_at", time_schema()},
       {"current", boolean_schema()}});
}

std::vector<Member> personal_token_members() {
  return {{"id", uuid_schema()},
          {"name", name_schema()},
          {"token_prefix", string_schema({.min_length = 12, .max_length = 12})},
          {"scopes", scopes_schema()},
          {"expires_at", nullable(time_schema())},
          {"last_used_at", nullable(time_schema())},
          {"created_at", time_schema()}};
}

object plaintext_schema(std::string_view prefix) {
  std::string pattern = "^";
  pattern += prefix;
  pattern += "[A-Za-z0-9_-]{43}$";
  return string_schema({.pattern = pattern, .description = "Shown once: only its hash is stored."});
}

object personal_token_created_schema() {
  auto members = personal_token_members();
  members.push_back({"plaintext", plaintext_schema("fl_pat_")});
  return closed_object(members);
}

object org_token_schema() {
  return closed_object({{"id", uuid_schema()},
                        {"name", name_schema()},
                        {"token_prefix", string_schema({.min_length = 12, .max_length = 12})},
                        {"scopes", scopes_schema()},
                        {"owner", enum_schema({"creator", "org"})},
                        {"created_by", nullable(uuid_schema())},
                        {"created_by_email", nullable(email_schema())},
                        {"expires_at", nullable(time_schema())},
                        {"no_expiry", boolean_schema()},
                        {"last_used_at", nullable(time_schema())},
                        {"stale", boolean_schema()},
                        {"revoked", boolean_schema()},
                        {"created_at", time_schema()}});
}

object org_schema() {
  return closed_object({{"id", uuid_schema()},
                        {"slug", slug_schema()},
                        {"name", name_schema()},
                        {"plan", enum_schema_of(core::kTierNames)},
                        {"role", role_schema()},
                        {"member_count", integer_schema(0)},
                        {"telemetry_opt_out", boolean_schema()},
                        {"created_at", time_schema()},
                        {"updated_at", time_schema()}});
}

object member_schema() {
  return closed_object({{"user_id", uuid_schema()},
                        {"email", email_schema()},
                        {"display_name", nullable(name_schema())},
                        {"role", role_schema()},
                        {"joined_at", time_schema()}});
}

std::vector<Member> audit_entry_members() {
  return {{"id", uuid_schema()},
          {"actor_id", nullable(uuid_schema())},
          {"action",
           enum_schema({"org.created", "org.updated", "org.member.added", "org.member.role_changed",
                        "org.member.removed", "subscription.activated", "subscription.tier_changed",
                        "subscription.canceled", "telemetry.opt_out.update", "org.token.created",
                        "org.token.revoked"})},
          {"target", string_schema()},
          {"metadata", object{{"type", "object"}}},
          {"created_at", time_schema()}};
}

object subscription_schema() {
  return closed_object({{"id", uuid_schema()},
                        {"product", enum_schema_of(core::kProductNames)},
                        {"tier", enum_schema_of(core::kTierNames)},
                        {"status", status_schema()},
                        {"trial_ends_at", nullable(time_schema())},
                        {"current_period_end", nullable(time_schema())},
                        {"stripe_subscription_id", nullable(string_schema())},
                        {"created_at", time_schema()},
                        {"updated_at", time_schema()},
                        {"canceled_at", nullable(time_schema())}});
}

object telemetry_prefs_schema() { return closed_object({{"telemetry_opt_out", boolean_schema()}}); }

object stored_event_schema() {
  return closed_object({{"event_id", nullable(uuid_schema())},
                        {"surface", string_schema()},
                        {"event", string_schema()},
                        {"org_hash", nullable(hash_schema())},
                        {"user_hash", nullable(hash_schema())},
                        {"properties", object{{"type", "object"}}},
                        {"schema_version", integer_schema(1)},
                        {"origin", enum_schema({"server", "ingest"})},
                        {"key_id", nullable(string_schema())},
                        {"occurred_at", time_schema()},
                        {"received_at", time_schema()}});
}

object export_schema() {
  auto audit = audit_entry_members();
  audit.push_back({"org_id", uuid_schema()});
  return closed_object({{"exported_at", time_schema()},
                        {"user", ref("User")},
                        {"telemetry_prefs", ref("TelemetryPrefs")},
                        {"sessions", array_of(ref("Session"))},
                        {"api_tokens", array_of(ref("PersonalToken"))},
                        {"memberships", array_of(closed_object({{"org_id", uuid_schema()},
                                                                {"slug", slug_schema()},
                                                                {"name", name_schema()},
                                                                {"role", role_schema()},
                                                                {"joined_at", time_schema()}}))},
                        {"audit_entries_by_you", array_of(closed_object(audit))},
                        {"telemetry", closed_object({{"pseudonym", hash_schema()},
                                                     {"key_id", string_schema()},
                                                     {"events", array_of(ref("StoredEvent"))}})}});
}

object envelope_schema() {
  std::vector<std::string_view> events;
  events.reserve(telemetry::kEvents.size());
  for (const auto& e : telemetry::kEvents) events.push_back(e.name);
  std::vector<std::string_view> surfaces;
  surfaces.reserve(telemetry::kSurfaces.size());
  for (auto s : telemetry::kSurfaces) surfaces.push_back(telemetry::surface_name(s));
  return described(
      closed_object(
          {{"surface", enum_schema_of(surfaces)},
           {"event", described(string_schema(),
                               "An event of the catalog (GET /v1/telemetry/catalog) "
                               "that belongs to the surface; the snake_case spelling "
                               "is accepted too.")},
           {"org_hash", nullable(string_schema({.pattern = "^[0-9a-fA-F]{32}$"})), false},
           {"user_hash", nullable(string_schema({.pattern = "^[0-9a-fA-F]{32}$"})), false},
           {"properties",
            described(object{{"type", "object"}},
                      "Only the event's catalog fields, each of its kind and pattern; "
                      "at most 4096 bytes as received."),
            false},
           {"schema_version", const_schema(1)},
           {"occurred_at", string_schema({.format = "date-time"}), false},
           {"event_id", uuid_schema(), false}}),
      [&] {
        std::string text = "One telemetry event (telemetry.md §4). Catalog events: ";
        for (std::size_t i = 0; i < events.size(); ++i) {
          if (i > 0) text += ", ";
          text += events[i];
        }
        text += '.';
        return text;
      }());
}

object manifest_schema() {
  object field = closed_object({{"name", string_schema()},
                                {"kind", string_schema()},
                                {"doc", string_schema()},
                                {"values", array_of(string_schema()), false},
                                {"pattern", string_schema(), false},
                                {"example", string_schema(), false},
                                {"only_when", object{{"type", "object"}}, false}});
  return closed_object(
      {{"schema_version", const_schema(1)},
       {"surfaces", array_of(string_schema())},
       {"events", array_of(closed_object({{"event", string_schema()},
                                          {"surface", string_schema()},
                                          {"when_it_fires", string_schema()},
                                          {"subject", string_schema()},
                                          {"fields", array_of(std::move(field))}}))},
       {"never_collected", array_of(string_schema())},
       {"hashing", closed_object({{"algorithm", string_schema()},
                                  {"input", string_schema()},
                                  {"output_hex_chars", integer_schema(1)},
                                  {"rotation_days", integer_schema(1)},
                                  {"key_id", string_schema()}})},
       {"retention_days", integer_schema(1)},
       {"opt_out",
        array_of(closed_object(
            {{"id", string_schema()}, {"title", string_schema()}, {"how", string_schema()}}))}});
}

object stats_schema() {
  object date = string_schema({.pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", .format = "date"});
  return closed_object(
      {{"generated_at", time_schema()},
       {"k", integer_schema(1)},
       {"from", date},
       {"to", date},
       {"days", array_of(closed_object({{"date", date},
                                        {"event", string_schema()},
                                        {"count", nullable(integer_schema(0))},
                                        {"suppressed", const_schema(true), false}}))},
       {"series",
        array_of(closed_object(
            {{"event", string_schema()},
             {"counts", described(array_of(nullable(integer_schema(0))),
                                  "One per day from `from` to `to`; null when withheld.")}}))}});
}

object schemas() {
  return object{
      {"Error", error_schema()},
      {"User", user_schema()},
      {"TokenResponse", token_response_schema()},
      {"Session", session_schema()},
      {"PersonalToken", closed_object(personal_token_members())},
      {"PersonalTokenCreated", personal_token_created_schema()},
      {"OrgToken", org_token_schema()},
      {"OrgTokenCreated",
       closed_object({{"token", ref("OrgToken")}, {"plaintext", plaintext_schema("fl_org_")}})},
      {"Org", org_schema()},
      {"Member", member_schema()},
      {"AuditEntry", closed_object(audit_entry_members())},
      {"Subscription", subscription_schema()},
      {"TelemetryPrefs", telemetry_prefs_schema()},
      {"StoredEvent", stored_event_schema()},
      {"AccountExport", export_schema()},
      {"Envelope", envelope_schema()},
      {"Manifest", manifest_schema()},
      {"Statistics", stats_schema()},
      // Request bodies.
      {"Registration", closed_object({{"email", email_schema()},
                                      {"password", password_schema()},
                                      {"display_name", nullable(name_schema()), false}})},
      {"Credentials", closed_object({{"email", email_schema()}, {"password", string_schema()}})},
      {"EmailVerification", closed_object({{"email", email_schema()},
                                           {"code", string_schema({.pattern = "^[0-9]{6}$"})}})},
      {"EmailOnly", closed_object({{"email", email_schema()}})},
      {"RefreshRequest", closed_object({{"refresh_token", string_schema()}})},
      {"ProfileUpdate",
       closed_object(
           {{"display_name", nullable(name_schema()), false},
            {"timezone", string_schema({.description = "An IANA time zone name."}), false},
            {"locale", string_schema({.pattern = limits::kLocalePattern}), false},
            {"avatar_url",
             nullable(string_schema({.max_length = limits::kAvatarUrlMaxBytes,
                                     .pattern = "^https?://",
                                     .format = "uri"})),
             false}})},
      {"PasswordConfirmation", closed_object({{"password", string_schema()}})},
      {"PasswordReset",
       closed_object({{"token", string_schema()}, {"password", password_schema()}})},
      {"NewPersonalToken", closed_object({{"name", name_schema()},
                                          {"scopes", scopes_schema()},
                                          {"expires_at", time_schema(), false}})},
      {"NewOrgToken", closed_object({{"name", name_schema()},
                                     {"scopes", scopes_schema()},
                                     {"owner", enum_schema({"creator", "org"}), false},
                                     {"expires_at", time_schema(), false}})},
      {"NewOrg", closed_object({{"slug", slug_schema()}, {"name", name_schema()}})},
      {"OrgUpdate",
       closed_object({{"slug", slug_schema(), false}, {"name", name_schema(), false}})},
      {"NewMember", closed_object({{"email", email_schema()},
                                   {"role", enum_schema({"admin", "member", "viewer"}), false}})},
      {"RoleChange", closed_object({{"role", role_schema()}})},
      {"Activation", closed_object({{"product", enum_schema_of(core::kProductNames)},
                                    {"tier", enum_schema_of(core::kTierNames), false}})},
      {"TierChange", closed_object({{"tier", enum_schema_of(core::kTierNames)}})},
      {"Batch", closed_object({{"events",
                                [] {
                                  object s = array_of(ref("Envelope"));
                                  s["minItems"] = 1;
                                  s["maxItems"] = 500;
                                  return s;
                                }()}})},
      // Small answers.
      {"Status", closed_object({{"status", string_schema()}})},
      {"Message", closed_object({{"message", string_schema()}})},
      {"Health", closed_object({{"status", const_schema("ok")},
                                {"service", const_schema("ferrlabs-api")},
                                {"version", string_schema()}})},
      {"IngestCounts",
       closed_object({{"accepted", integer_schema(0, 1)}, {"duplicates", integer_schema(0, 1)}})},
      {"BatchCounts",
       closed_object({{"accepted", integer_schema(0)},
                      {"duplicates", integer_schema(0)},
                      {"rejected", array_of(closed_object({{"index", integer_schema(0)},
                                                           {"code", error_code_schema()},
                                                           {"field", string_schema(), false},
                                                           {"error", string_schema()}}))}})},
  };
}

object header(std::string_view description, object schema, bool required = true) {
  return object{
      {"description", description}, {"required", required}, {"schema", std::move(schema)}};
}

}  // namespace

object components() {
  return object{
      {"schemas", schemas()},
      {"headers",
       object{
           {"RequestId", header("The request's id: the incoming x-request-id when it is 1–64 safe "
                                "characters, otherwise a new one.",
                                string_schema({.min_length = 1, .max_length = 64}))},
           {"RetryAfter", header("Seconds to wait before trying again.", integer_schema(0))},
           {"RetryAfterWhenRateLimited",
            header("With RATE_LIMIT_EXCEEDED: seconds to wait before trying again.",
                   integer_schema(0), false)},
           {"SetSessionCookie",
            header("`fl_session=<access token>; HttpOnly; SameSite=Lax; Path=/; "
                   "Max-Age=604800` (and `Secure` behind https).",
                   string_schema())},
           {"ClearSessionCookie", header("Removes `fl_session`.", string_schema())},
           {"ContentDisposition",
            header("`attachment; filename=\"ferrlabs-export-<user id>.json\"`", string_schema())}}},
      {"parameters",
       object{{"IdempotencyKey",
               object{{"name", "Idempotency-Key"},
                      {"in", "header"},
                      {"required", false},
                      {"description",
                       "The first response is kept 24 hours per caller and key; a retry with "
                       "the same body gets it again without repeating the effect, another body "
                       "gets 422 IDEMPOTENCY_KEY_REUSED."},
                      {"schema", string_schema({.min_length = 1,
                                                .max_length = limits::kIdempotencyKeyMaxChars,
                                                .pattern = limits::kIdempotencyKeyPattern})}}}}},
      {"securitySchemes",
       object{
           {"bearer", object{{"type", "http"},
                             {"scheme", "bearer"},
                             {"description",
                              "An access token (JWT from login, verify-email or refresh) or an API "
                              "token (`fl_pat_…` personal, `fl_org_…` organization)."}}},
           {"apiToken", object{{"type", "apiKey"},
                               {"in", "header"},
                               {"name", "x-api-token"},
                               {"description",
                                "The same credentials as `bearer`; when both headers are sent they "
                                "must be equal."}}},
           {"sessionCookie",
            object{{"type", "apiKey"},
                   {"in", "cookie"},
                   {"name", "fl_session"},
                   {"description", "The access token, read when neither header is sent."}}},
           {"metricsToken",
            object{{"type", "http"},
                   {"scheme", "bearer"},
                   {"description", "METRICS_TOKEN, when the operator sets one."}}}}}};
}

}  // namespace ferr::api::openapi
