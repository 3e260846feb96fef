#include "api/html.hpp"

#include <cstdint>
#include <vector>

#include "core/base64.hpp"
#include "core/hex.hpp"
#include "crypto/tokens.hpp"

namespace ferr::api {

void append_html_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
void append_html_attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_html_escaped(out, value);
  out += '"';
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html_escaped(out, text);
  return out;
}

std::string csp_hash_source(std::string_view content) {
  auto digest = core::from_hex(crypto::sha256_hex(content));
  return "'sha256-" + core::base64_encode(digest.value_or(std::vector<std::uint8_t>{})) + "'";
}

}  // namespace ferr::api
