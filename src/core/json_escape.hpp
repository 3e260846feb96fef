#pragma once
/// Writing JSON string literals by hand (for log lines), always producing valid UTF-8.

#include <string>
#include <string_view>

namespace ferr::core {

/// Appends `text` as a quoted JSON string; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace ferr::core
