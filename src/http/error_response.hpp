#pragma once
/// The single table from error code to HTTP status, and the standard error body.

#include <string_view>

#include "core/error.hpp"
#include "http/request.hpp"

namespace ferr::http {

/// The HTTP status of `code` (api.md, "Error body").
unsigned status_for(core::ErrorCode code);

/// `{"code", "error", "request_id", "field"?}` with the right status and `Retry-After`.
Response error_response(const core::Error& error, std::string_view request_id);

/// The error answer to `request`; internal details (never sent) are logged with its request id.
Response respond_error(const Request& request, const core::Error& error);

}  // namespace ferr::http
