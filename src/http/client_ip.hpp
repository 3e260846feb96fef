#pragma once
/// The client address used for per-IP rate limits. Held in memory only: never logged or stored.

#include <string>
#include <string_view>

#include "http/request.hpp"

namespace ferr::http {

/// Every `X-Forwarded-For` line of `headers` joined in arrival order with ", " (RFC 9110 §5.3).
/// A proxy may add a line of its own instead of appending to the client's (HAProxy's `option
/// forwardfor` does): reading the first line only would let the client choose its address.
std::string joined_forwarded_for(const Headers& headers);

/// With `trusted_hops` = 0 the peer address; otherwise the `X-Forwarded-For` entry (of every line
/// of `headers`, joined) added by the outermost trusted proxy (the hops-th from the right), falling
/// back to the peer when the header has fewer entries than that.
std::string resolve_client_ip(std::string_view peer, const Headers& headers, unsigned trusted_hops);

}  // namespace ferr::http
