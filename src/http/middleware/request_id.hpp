#pragma once
/// Request ids: keep a caller's id when it is safe to echo and log, otherwise make one.

#include <string>

#include "http/request.hpp"

namespace ferr::http {

/// Whether `id` is 1–64 characters of `[A-Za-z0-9._:-]`.
bool is_safe_request_id(std::string_view id);
/// The incoming `x-request-id` when safe, otherwise 32 fresh random hex characters.
std::string assign_request_id(const Headers& headers);

}  // namespace ferr::http
