#pragma once
/// The strict JSON parser every request body goes through (api.md, "Conventions").

#include <cstddef>
#include <string_view>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace ferr::api {

/// Deepest nesting of arrays and objects a body may use; `[[1]]` is two levels.
inline constexpr std::size_t kMaxJsonDepth = 32;

/// Parses one UTF-8 JSON document. BAD_REQUEST for anything that is not strict JSON (empty body,
/// invalid UTF-8, comments, trailing commas or data, NaN, numbers out of the double range,
/// nesting deeper than kMaxJsonDepth); then, for a well-formed body, VALIDATION_FAILED naming
/// the first member name that appears twice in one object. Never throws.
///
/// The value's memory comes from `storage` (the heap by default). A route that reads the value
/// once and drops it can pass an arena (`boost::json::monotonic_resource`), which it keeps alive
/// while it reads: the document is then a few blocks instead of an allocation per member.
core::Result<boost::json::value> parse_json_body(std::string_view body,
                                                 boost::json::storage_ptr storage = {});

}  // namespace ferr::api
