#include "http/framing.hpp"

#include <cstddef>

namespace ferr::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 3986 uri-host [ ":" port ]: reg-name, IPv4 or a bracketed IP literal. Only the character
// set is checked: it keeps spaces, '/', '@', '?', '#' and controls out, which is what matters to
// whoever reads the value later (links built from it, logs).
bool valid_host_value(std::string_view host) {
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("-._~!$&'()*+,;=%:[]").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

enum class Codings { chunked, not_chunked_last, other_codings };

// The transfer codings of every Transfer-Encoding line, in order, as one list (RFC 9110 §5.3).
// Empty list elements are allowed by the list syntax (RFC 9110 §5.6.1) and skipped. Only a
// lone `chunked` is accepted: we implement no other coding, and chunked applied twice is invalid.
Codings classify_codings(const Headers& headers) {
  std::size_t codings = 0;
  bool last_is_chunked = false;
  for (const auto& [name, value] : headers.all()) {
    if (!iequals(name, "transfer-encoding")) continue;
    std::string_view rest = value;
    while (true) {
      auto comma = rest.find(',');
      std::string_view coding = trim(rest.substr(0, comma));
      if (!coding.empty()) {
        ++codings;
        last_is_chunked = iequals(coding, "chunked");
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (!last_is_chunked) return Codings::not_chunked_last;
  return codings == 1 ? Codings::chunked : Codings::other_codings;
}

}  // namespace

std::optional<std::string_view> framing_error(const Headers& headers, unsigned version) {
  std::size_t hosts = 0;
  std::size_t transfer_encodings = 0;
  std::size_t content_lengths = 0;
  for (const auto& [name, value] : headers.all()) {
    if (iequals(name, "host")) {
      ++hosts;
      if (!valid_host_value(trim(value))) return "the Host header is not a valid host";
    } else if (iequals(name, "transfer-encoding")) {
      ++transfer_encodings;
    } else if (iequals(name, "content-length")) {
      ++content_lengths;
    }
  }
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1. HTTP/1.0 predates Host, so none is allowed
  // there; two are refused in any version (which one would name the target?).
  if (hosts > 1) return "a request must carry exactly one Host header";
  if (hosts == 0 && version >= 11) return "an HTTP/1.1 request must carry a Host header";

  if (transfer_encodings == 0) return std::nullopt;
  // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing; §6.3: with
  // Content-Length beside it the two could disagree on where the body ends, in either order.
  if (version < 11) return "Transfer-Encoding is not allowed in an HTTP/1.0 request";
  if (content_lengths > 0) return "Transfer-Encoding and Content-Length must not be combined";
  switch (classify_codings(headers)) {
    case Codings::chunked: return std::nullopt;
    case Codings::not_chunked_last: return "the last transfer coding must be chunked";
    case Codings::other_codings: return "only a single chunked transfer coding is supported";
  }
  return "the last transfer coding must be chunked";
}

}  // namespace ferr::http
