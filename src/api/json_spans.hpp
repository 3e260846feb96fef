#pragma once
/// Where a value sits in the text it was parsed from. Ingestion limits `properties` to 4096 bytes
/// *as received* (telemetry.md §4), which the parsed value can no longer tell: whitespace and
/// escapes are gone. These scanners find the raw text of a member or of array elements.
///
/// They expect text that parse_json_body has already accepted; on anything else they stop early
/// and return what they found, never reading out of bounds.

#include <optional>
#include <string_view>
#include <vector>

namespace ferr::api {

/// The raw text of the value of member `name` of the object `object_text`; nullopt when the
/// object has no such member (or the text is not an object).
std::optional<std::string_view> raw_member(std::string_view object_text, std::string_view name);

/// The raw text of each element of the array `array_text` (empty when it is not an array).
std::vector<std::string_view> raw_elements(std::string_view array_text);

}  // namespace ferr::api
