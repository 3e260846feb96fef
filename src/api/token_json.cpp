#include "api/token_json.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/time_format.hpp"

namespace ferr::api {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value optional_time(const std::optional<core::TimePoint>& t) {
  if (!t) return nullptr;
  return value(core::format_rfc3339_ms(*t));
}

array scopes_array(const domain::tokens::Scopes& scopes) {
  array out;
  for (auto name : scopes.names()) out.emplace_back(name);
  return out;
}

object personal_object(const domain::tokens::ApiToken& t) {
  return object{{"id", t.id.to_string()},
                {"name", t.name},
                {"token_prefix", t.token_prefix},
                {"scopes", scopes_array(t.scopes)},
                {"expires_at", optional_time(t.expires_at)},
                {"last_used_at", optional_time(t.last_used_at)},
                {"created_at", core::format_rfc3339_ms(t.created_at)}};
}

object org_object(const domain::tokens::ApiToken& t, core::TimePoint now) {
  return object{
      {"id", t.id.to_string()},
      {"name", t.name},
      {"token_prefix", t.token_prefix},
      {"scopes", scopes_array(t.scopes)},
      {"owner", domain::tokens::to_string(t.owner.value_or(domain::tokens::Owner::creator))},
      {"created_by", t.created_by.to_string()},
      {"created_by_email", t.created_by_email ? value(*t.created_by_email) : value(nullptr)},
      {"expires_at", optional_time(t.expires_at)},
      {"no_expiry", !t.expires_at.has_value()},
      {"last_used_at", optional_time(t.last_used_at)},
      {"stale", t.stale(now)},
      {"revoked", t.revoked_at.has_value()},
      {"created_at", core::format_rfc3339_ms(t.created_at)}};
}

}  // namespace

boost::json::array personal_tokens_array(const std::vector<domain::tokens::ApiToken>& tokens) {
  array out;
  for (const auto& t : tokens) out.emplace_back(personal_object(t));
  return out;
}

std::string personal_tokens_json(const std::vector<domain::tokens::ApiToken>& tokens) {
  return boost::json::serialize(personal_tokens_array(tokens));
}

std::string created_personal_token_json(const domain::tokens::CreatedToken& created) {
  auto o = personal_object(created.token);
  o["plaintext"] = created.plaintext;
  return boost::json::serialize(o);
}

std::string org_tokens_json(const std::vector<domain::tokens::ApiToken>& tokens,
                            core::TimePoint now) {
  array out;
  for (const auto& t : tokens) out.emplace_back(org_object(t, now));
  return boost::json::serialize(out);
}

std::string created_org_token_json(const domain::tokens::CreatedToken& created,
                                   core::TimePoint now) {
  return boost::json::serialize(
      object{{"token", org_object(created.token, now)}, {"plaintext", created.plaintext}});
}

}  // namespace ferr::api
