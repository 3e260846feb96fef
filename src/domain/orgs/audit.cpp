#include "domain/orgs/audit.hpp"

#include "core/json_escape.hpp"

namespace ferr::domain::orgs {

namespace {

/// `{"a":"x","b":"y"}` for pairs of a member name and a value that needs no escaping (the wire
/// names of enums).
std::string pair_object(std::string_view a, std::string_view x, std::string_view b,
                        std::string_view y) {
  std::string out = "{\"";
  out += a;
  out += "\":\"";
  out += x;
  out += "\",\"";
  out += b;
  out += "\":\"";
  out += y;
  out += "\"}";
  return out;
}

/// `{"a":x,"b":y}` with both values escaped (free text such as names).
/// Names and values alternate as they do in the object written.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
std::string escaped_pair_object(std::string_view a, std::string_view x, std::string_view b,
                                std::string_view y) {
  std::string out = "{\"";
  out += a;
  out += "\":";
  core::append_json_string(out, x);
  out += ",\"";
  out += b;
  out += "\":";
  core::append_json_string(out, y);
  out += '}';
  return out;
}

std::string single_object(std::string_view name, std::string_view value) {
  std::string out = "{\"";
  out += name;
  out += "\":\"";
  out += value;
  out += "\"}";
  return out;
}

}  // namespace

AuditRecord audit_record(const core::Clock& clock, core::Random& random,
                         std::optional<core::UserId> actor, std::string action, std::string target,
                         std::string metadata) {
  return AuditRecord{core::AuditEntryId::generate(clock, random),
                     actor,
                     std::move(action),
                     std::move(target),
                     std::move(metadata),
                     clock.now()};
}

AuditRecord audit_record(const core::Clock& clock, core::Random& random,
                         const accounts::Principal& actor, std::string action, std::string target,
                         std::string metadata) {
  auto record = audit_record(clock, random, actor.actor(), std::move(action), std::move(target),
                             std::move(metadata));
  if (actor.token) record.via_token = actor.token->id;
  return record;
}

std::string stored_metadata(const AuditRecord& record) {
  if (!record.via_token) return record.metadata;
  std::string out = record.metadata;
  // Every metadata is a JSON object written by this file: insert before its closing brace.
  while (!out.empty() && out.back() != '}') out.pop_back();
  if (out.empty()) out = "{}";
  out.pop_back();
  if (out.size() > 1) out += ',';
  out += "\"via_token\":\"" + record.via_token->to_string() + "\"}";
  return out;
}

std::string json_string(std::string_view s) {
  std::string out;
  core::append_json_string(out, s);
  return out;
}

std::string org_created_metadata(std::string_view slug, std::string_view name) {
  return escaped_pair_object("slug", slug, "name", name);
}

std::optional<std::string> org_updated_metadata(const OrgView& current,
                                                const std::optional<std::string>& name,
                                                const std::optional<std::string>& slug) {
  std::string changed;
  if (name && *name != current.name) {
    changed += "\"name\":";
    core::append_json_string(changed, *name);
  }
  if (slug && *slug != current.slug) {
    if (!changed.empty()) changed += ',';
    changed += "\"slug\":";
    core::append_json_string(changed, *slug);
  }
  if (changed.empty()) return std::nullopt;
  return "{" + changed + "}";
}

std::string token_created_metadata(std::string_view name, std::string_view owner) {
  return escaped_pair_object("name", name, "owner", owner);
}

std::string member_added_metadata(Role role) { return single_object("role", role_name(role)); }

std::string role_changed_metadata(Role from, Role to) {
  return pair_object("from", role_name(from), "to", role_name(to));
}

std::string member_removed_metadata(Role role) { return single_object("role", role_name(role)); }

std::string opt_out_metadata(bool from, bool to) {
  return std::string("{\"from\":") + (from ? "true" : "false") +
         ",\"to\":" + (to ? "true" : "false") + "}";
}

std::string subscription_activated_metadata(subscriptions::Product product,
                                            subscriptions::Tier tier) {
  return pair_object("product", subscriptions::product_name(product), "tier",
                     subscriptions::tier_name(tier));
}

std::string tier_changed_metadata(subscriptions::Tier from, subscriptions::Tier to) {
  return pair_object("from", subscriptions::tier_name(from), "to", subscriptions::tier_name(to));
}

std::string subscription_canceled_metadata(subscriptions::Tier tier) {
  return single_object("tier", subscriptions::tier_name(tier));
}

}  // namespace ferr::domain::orgs
