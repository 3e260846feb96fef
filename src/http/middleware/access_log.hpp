#pragma once
/// One JSON access line per response. It names the route template and the path without its
/// query string (tokens may travel there) and never the client address.

#include <string_view>

#include "http/request.hpp"

namespace ferr::http {

/// Logs the exchange at info (debug when `quiet`, for probes that would flood the log).
void log_access(const Request& request, const Response& response, std::string_view route,
                double seconds, bool quiet);

}  // namespace ferr::http
