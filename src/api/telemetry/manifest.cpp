#include "api/telemetry/manifest.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "telemetry/catalog.hpp"
#include "telemetry/disclosure.hpp"

namespace ferr::api {

namespace tel = ::ferr::telemetry;
using boost::json::array;
using boost::json::object;

namespace {

object field_object(const tel::Field& field) {
  object o{{"name", field.name}, {"kind", tel::kind_name(field.kind)}, {"doc", field.doc.en}};
  if (field.kind == tel::FieldKind::enumeration) {
    array values;
    for (auto v : field.values) values.emplace_back(v);
    o["values"] = std::move(values);
  }
  if (field.pattern != nullptr) {
    o["pattern"] = field.pattern->source();
    o["example"] = field.pattern->example();
  }
  if (!field.only_when.field.empty())
    o["only_when"] = object{{field.only_when.field, field.only_when.value}};
  return o;
}

}  // namespace

std::string manifest_json(const std::string& key_id, int retention_days) {
  array surfaces;
  for (auto s : tel::kSurfaces) surfaces.emplace_back(tel::surface_name(s));
  array events;
  for (const auto& event : tel::kEvents) {
    array fields;
    for (const auto& field : event.fields) fields.push_back(field_object(field));
    events.push_back(object{{"event", event.name},
                            {"surface", tel::surface_name(event.surface)},
                            {"when_it_fires", event.when.en},
                            {"subject", tel::subject_name(event.subject)},
                            {"fields", std::move(fields)}});
  }
  array never;
  for (const auto& item : tel::kNeverCollected) never.emplace_back(item.en);
  array opt_out;
  for (const auto& path : tel::kOptOutPaths)
    opt_out.push_back(object{{"id", path.id}, {"title", path.title.en}, {"how", path.how.en}});
  object manifest{{"schema_version", 1},
                  {"surfaces", std::move(surfaces)},
                  {"events", std::move(events)},
                  {"never_collected", std::move(never)},
                  {"hashing", object{{"algorithm", tel::kHashAlgorithm},
                                     {"input", tel::kHashInput},
                                     {"output_hex_chars", tel::kHashOutputHexChars},
                                     {"rotation_days", tel::kKeyRotationDays},
                                     {"key_id", key_id}}},
                  {"retention_days", retention_days},
                  {"opt_out", std::move(opt_out)}};
  return boost::json::serialize(manifest);
}

}  // namespace ferr::api
