#include "http/middleware/security_headers.hpp"

namespace ferr::http {

void add_security_headers(Response& response) {
  response.headers.add("X-Content-Type-Options", "nosniff");
  response.headers.add("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.add("X-Frame-Options", "DENY");
  response.headers.add("Cross-Origin-Opener-Policy", "same-origin");
  response.headers.add("Cross-Origin-Resource-Policy", "same-origin");
}

}  // namespace ferr::http
