#pragma once
/// Small builders for the JSON Schemas (draft 2020-12, as OpenAPI 3.1 uses) of the OpenAPI
/// document: enough to say what a field is without writing the JSON by hand each time.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>

namespace ferr::api::openapi {

/// What a string may be: lengths in code points, an ECMA-262 pattern, a format.
struct StringRule {
  std::optional<std::size_t> min_length;
  std::optional<std::size_t> max_length;
  std::string_view pattern;
  std::string_view format;
  std::string_view description;
};

/// `{"type": "string", …}`.
boost::json::object string_schema(const StringRule& rule = {});
/// A string from `values`.
boost::json::object enum_schema(std::initializer_list<std::string_view> values);
/// A string from any range of string-like values.
template <typename Range>
boost::json::object enum_schema_of(const Range& values) {
  boost::json::array list;
  for (const auto& v : values) list.emplace_back(std::string_view(v));
  return boost::json::object{{"type", "string"}, {"enum", std::move(list)}};
}
/// A JSON integer within [min, max] (either bound optional).
boost::json::object integer_schema(std::optional<std::int64_t> min = std::nullopt,
                                   std::optional<std::int64_t> max = std::nullopt);
/// `{"type": "boolean"}`.
boost::json::object boolean_schema();
/// `{"const": value}`.
boost::json::object const_schema(boost::json::value value);
/// A UUID string (the ids of api.md).
boost::json::object uuid_schema();
/// An RFC 3339 UTC time with milliseconds, `2026-05-05T21:00:00.000Z`.
boost::json::object time_schema();
/// `{"$ref": "#/components/schemas/<name>"}`.
boost::json::object ref(std::string_view component);
/// `schema` or null.
boost::json::object nullable(boost::json::object schema);
/// An array of `items`.
boost::json::object array_of(boost::json::object items);

/// One member of an object schema.
struct Member {
  std::string_view name;
  boost::json::object schema;
  bool required = true;
};
/// An object with exactly these members (additionalProperties false): a response that gains or
/// loses a member no longer matches, so drift is caught.
boost::json::object closed_object(std::initializer_list<Member> members);
/// closed_object for members built at run time.
boost::json::object closed_object(const std::vector<Member>& members);

/// `schema` with a description.
boost::json::object described(boost::json::object schema, std::string_view description);

}  // namespace ferr::api::openapi
