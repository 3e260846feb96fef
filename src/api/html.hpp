#pragma once
/// Writing the HTML the server serves (the /telemetry pages, their charts, the API reference):
/// escaping, and the Content-Security-Policy source of an inline stylesheet.

#include <string>
#include <string_view>

namespace ferr::api {

/// Appends `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe in
/// element content and in quoted attribute values.
void append_html_escaped(std::string& out, std::string_view text);
/// Appends ` name="value"`, the value escaped as by `append_html_escaped`. Name, then value: the
/// order of every attribute written anywhere.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
void append_html_attribute(std::string& out, std::string_view name, std::string_view value);
/// `text` escaped as by `append_html_escaped`.
std::string html_escape(std::string_view text);

/// The CSP source allowing an inline element with this exact content: `'sha256-<base64>'`.
std::string csp_hash_source(std::string_view content);

}  // namespace ferr::api
