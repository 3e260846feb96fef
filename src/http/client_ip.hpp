#pragma once
/// The client address used for per-IP rate limits. Held in memory only: never logged or stored.

#include <string>
#include <string_view>

namespace ferr::http {

/// With `trusted_hops` = 0 the peer address; otherwise the `X-Forwarded-For` entry added by the
/// outermost trusted proxy (the hops-th from the right), falling back to the peer when the header
/// has fewer entries than that.
std::string resolve_client_ip(std::string_view peer, std::string_view forwarded_for,
                              unsigned trusted_hops);

}  // namespace ferr::http
