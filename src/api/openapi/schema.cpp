#include "api/openapi/schema.hpp"

#include <string>
#include <vector>

namespace ferr::api::openapi {

using boost::json::array;
using boost::json::object;

object string_schema(const StringRule& rule) {
  object o{{"type", "string"}};
  if (rule.min_length) o["minLength"] = *rule.min_length;
  if (rule.max_length) o["maxLength"] = *rule.max_length;
  if (!rule.pattern.empty()) o["pattern"] = rule.pattern;
  if (!rule.format.empty()) o["format"] = rule.format;
  if (!rule.description.empty()) o["description"] = rule.description;
  return o;
}

object enum_schema(std::initializer_list<std::string_view> values) {
  return enum_schema_of(values);
}

object integer_schema(std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
  object o{{"type", "integer"}};
  if (min) o["minimum"] = *min;
  if (max) o["maximum"] = *max;
  return o;
}

object boolean_schema() { return object{{"type", "boolean"}}; }

object const_schema(boost::json::value value) { return object{{"const", std::move(value)}}; }

object uuid_schema() {
  return string_schema({.pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                        .format = "uuid"});
}

object time_schema() {
  return string_schema(
      {.pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
       .format = "date-time"});
}

object ref(std::string_view component) {
  return object{{"$ref", "#/components/schemas/" + std::string(component)}};
}

object nullable(object schema) {
  // A plain type gains "null"; anything else (a $ref, an enum) becomes one of two.
  if (auto* type = schema.if_contains("type"); type != nullptr && type->is_string() &&
                                               !schema.contains("enum") &&
                                               !schema.contains("const")) {
    *type = array{type->as_string(), "null"};
    return schema;
  }
  return object{{"oneOf", array{std::move(schema), object{{"type", "null"}}}}};
}

object array_of(object items) { return object{{"type", "array"}, {"items", std::move(items)}}; }

object closed_object(const std::vector<Member>& members) {
  object properties;
  array required;
  for (const auto& m : members) {
    properties[m.name] = m.schema;
    if (m.required) required.emplace_back(m.name);
  }
  object o{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = std::move(required);
  o["additionalProperties"] = false;
  return o;
}

object closed_object(std::initializer_list<Member> members) {
  return closed_object(std::vector<Member>(members));
}

object described(object schema, std::string_view description) {
  schema["description"] = description;
  return schema;
}

}  // namespace ferr::api::openapi
