#pragma once
/// Checks of the header fields that decide where a request ends and whom it is for (RFC 9112
/// §3.2 and §6): a request that fails them is answered 400 and its connection closed, because
/// its body's extent cannot be trusted (request smuggling). Beast parses the fields; these rules
/// are stricter than its parser (which ignores a Transfer-Encoding that does not end in chunked).

#include <optional>
#include <string_view>

#include "http/request.hpp"

namespace ferr::http {

/// Why the header fields of a request of HTTP version `version` (10 or 11) cannot frame it
/// safely, as the `error` sentence of the 400; nullopt when they can.
std::optional<std::string_view> framing_error(const Headers& headers, unsigned version);

}  // namespace ferr::http
