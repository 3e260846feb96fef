#include "http/client_ip.hpp"

#include <vector>

namespace ferr::http {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string joined_forwarded_for(const Headers& headers) {
  std::string joined;
  for (const auto& [name, value] : headers.all()) {
    if (!iequals(name, "x-forwarded-for")) continue;
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  return joined;
}

std::string resolve_client_ip(std::string_view peer, const Headers& headers,
                              unsigned trusted_hops) {
  if (trusted_hops == 0) return std::string(peer);  // the header is the client's to forge
  const std::string joined = joined_forwarded_for(headers);
  std::string_view forwarded_for = joined;
  if (forwarded_for.empty()) return std::string(peer);
  std::vector<std::string_view> entries;
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.find(',');
    entries.push_back(trim(forwarded_for.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    forwarded_for.remove_prefix(comma + 1);
  }
  // Each proxy appends the address it received the request from. Our outermost trusted proxy
  // wrote the hops-th entry from the right: that is the client as it saw it. Entries further
  // left came from the client itself and can be forged.
  if (entries.size() < trusted_hops) return std::string(peer);
  std::string_view client = entries[entries.size() - trusted_hops];
  return client.empty() ? std::string(peer) : std::string(client);
}

}  // namespace ferr::http
