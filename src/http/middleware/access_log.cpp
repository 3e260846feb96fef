#include "http/middleware/access_log.hpp"

#include "core/log.hpp"

namespace ferr::http {

void log_access(const Request& request, const Response& response, std::string_view route,
                double seconds, bool quiet) {
  auto level = quiet ? core::log::Level::debug : core::log::Level::info;
  if (!core::log::enabled(level)) return;
  core::log::write(level, "request",
                   {{"request_id", request.request_id},
                    {"method", method_name(request.method)},
                    {"route", route},
                    {"path", request.path},
                    {"status", response.status},
                    {"duration_ms", seconds * 1000.0},
                    {"bytes", response.body.size()}});
}

}  // namespace ferr::http
