#pragma once
/// Escaping text into the HTML the server writes (the /telemetry pages and their charts).

#include <string>
#include <string_view>

namespace ferr::api {

/// Appends `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe in
/// element content and in quoted attribute values.
void append_html_escaped(std::string& out, std::string_view text);
/// `text` escaped as by `append_html_escaped`.
std::string html_escape(std::string_view text);

}  // namespace ferr::api
