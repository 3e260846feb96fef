#include "http/middleware/cors.hpp"

namespace ferr::http {

bool CorsPolicy::allowed(std::string_view origin) const {
  for (const auto& o : origins_)
    if (o == origin) return true;
  return false;
}

void CorsPolicy::apply(const Request& request, Response& response) const {
  auto origin = request.headers.get("origin");
  if (!origin || !allowed(*origin)) return;
  response.headers.set("Access-Control-Allow-Origin", std::string(*origin));
  response.headers.set("Access-Control-Allow-Credentials", "true");
  response.headers.set("Access-Control-Expose-Headers", "x-request-id, retry-after");
  response.headers.add("Vary", "Origin");
}

Response CorsPolicy::preflight(const Request& request, const std::string& allow) const {
  Response r = Response::empty(204);
  r.headers.add("Allow", allow);
  auto origin = request.headers.get("origin");
  if (origin && allowed(*origin) && request.headers.get("access-control-request-method")) {
    r.headers.add("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    r.headers.add("Access-Control-Allow-Headers",
                  "content-type, authorization, accept, x-request-id, idempotency-key");
    r.headers.add("Access-Control-Max-Age", "3600");
  }
  return r;
}

}  // namespace ferr::http
