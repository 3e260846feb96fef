#pragma once
/// The security headers api.md puts on every response.

#include "http/request.hpp"

namespace ferr::http {

/// Adds nosniff, referrer, frame, opener and resource policies.
void add_security_headers(Response& response);

}  // namespace ferr::http
