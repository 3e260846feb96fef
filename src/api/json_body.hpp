#pragma once
/// The strict JSON parser every request body goes through (api.md, "Conventions").

#include <cstddef>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace ferr::api {

/// Deepest nesting of arrays and objects a body may use; `[[1]]` is two levels.
inline constexpr std::size_t kMaxJsonDepth = 32;

/// Parses one UTF-8 JSON document. BAD_REQUEST for anything that is not strict JSON (empty body,
/// invalid UTF-8, comments, trailing commas or data, NaN, numbers out of the double range,
/// nesting deeper than kMaxJsonDepth); then, for a well-formed body, VALIDATION_FAILED naming
/// the first member name that appears twice in one object. Never throws.
core::Result<boost::json::value> parse_json_body(std::string_view body);

}  // namespace ferr::api
