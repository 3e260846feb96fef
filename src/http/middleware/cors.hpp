#pragma once
/// CORS: exact-origin allowlist with credentials, and preflight answers.

#include <string>
#include <vector>

#include "http/request.hpp"

namespace ferr::http {

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> allowed_origins)
      : origins_(std::move(allowed_origins)) {}
  /// Adds the CORS headers to an actual response when the request's Origin is allowed.
  void apply(const Request& request, Response& response) const;
  /// The answer to `OPTIONS` on a known path: 204 with `Allow`, plus the preflight headers when
  /// the Origin is allowed.
  Response preflight(const Request& request, const std::string& allow) const;

 private:
  bool allowed(std::string_view origin) const;
  std::vector<std::string> origins_;
};

}  // namespace ferr::http
