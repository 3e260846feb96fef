#include "storage/postgres/conninfo.hpp"

#include <arpa/inet.h>
#include <libpq-fe.h>

#include <algorithm>
#include <memory>

#include "storage/postgres/errors.hpp"

namespace ferr::storage::postgres {
namespace {

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> items;
  std::string::size_type start = 0;
  for (;;) {
    auto comma = list.find(',', start);
    items.push_back(list.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

std::string join(const std::vector<std::string>& items) {
  std::string list;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) list += ',';
    list += items[i];
  }
  return list;
}

bool is_socket_directory(const std::string& host) {
  return host.empty() || host.front() == '/' || host.front() == '@';
}

bool is_literal_ip(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

/// The `hostaddr` entries, one per host ("" where none is given); empty when the lists do not
/// match (libpq refuses that itself).
std::vector<std::string> host_addresses(const ConnInfo& info, std::size_t hosts) {
  const std::string* given = info.find("hostaddr");
  if (!given) return std::vector<std::string>(hosts);
  auto addresses = split(*given);
  if (addresses.size() != hosts) return {};
  return addresses;
}

}  // namespace

const std::string* ConnInfo::find(std::string_view keyword) const {
  for (const auto& [key, value] : options) {
    if (key == keyword) return &value;
  }
  return nullptr;
}

void ConnInfo::set(std::string_view keyword, std::string value) {
  for (auto& [key, existing] : options) {
    if (key == keyword) {
      existing = std::move(value);
      return;
    }
  }
  options.emplace_back(std::string(keyword), std::move(value));
}

core::Result<ConnInfo> parse_conninfo(const std::string& url) {
  char* message = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(
      PQconninfoParse(url.c_str(), &message), &PQconninfoFree);
  PQfreemem(message);  // it may quote the text, password included
  if (!parsed) return core::fail(unavailable("postgres connect: the database URL does not parse"));
  ConnInfo info;
  for (const PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr) info.options.emplace_back(o->keyword, o->val);
  }
  return info;
}

std::vector<std::string> names_to_resolve(const ConnInfo& info) {
  const std::string* host = info.find("host");
  if (!host) return {};
  const auto hosts = split(*host);
  const auto addresses = host_addresses(info, hosts.size());
  if (addresses.size() != hosts.size()) return {};
  std::vector<std::string> names;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const std::string& name = hosts[i];
    if (!addresses[i].empty() || is_socket_directory(name) || is_literal_ip(name)) continue;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

core::Result<ConnInfo> with_host_addresses(ConnInfo info, const ResolvedNames& resolved) {
  const std::string* host = info.find("host");
  if (!host) return info;
  const auto hosts = split(*host);
  const auto addresses = host_addresses(info, hosts.size());
  std::vector<std::string> ports;
  if (const std::string* port = info.find("port")) ports = split(*port);
  // One port for every host, or one per host; anything else libpq refuses with its own message.
  const bool port_per_host = hosts.size() > 1 && ports.size() == hosts.size();
  if (addresses.size() != hosts.size() || (ports.size() > 1 && !port_per_host)) return info;

  std::vector<std::string> out_hosts;
  std::vector<std::string> out_addresses;
  std::vector<std::string> out_ports;
  bool any_tcp = false;
  auto add = [&](const std::string& name, const std::string& address, std::size_t i) {
    out_hosts.push_back(name);
    out_addresses.push_back(address);
    if (port_per_host) out_ports.push_back(ports[i]);
    any_tcp = any_tcp || !address.empty();
  };
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const std::string& name = hosts[i];
    if (!addresses[i].empty()) {
      add(name, addresses[i], i);
    } else if (is_socket_directory(name)) {
      add(name, "", i);
    } else if (is_literal_ip(name)) {
      add(name, name, i);
    } else if (auto found = resolved.find(name); found != resolved.end()) {
      for (const auto& address : found->second) add(name, address, i);
    }
  }
  if (out_hosts.empty()) {
    return core::fail(unavailable("postgres connect: no address found for the database host"));
  }
  info.set("host", join(out_hosts));
  if (any_tcp) info.set("hostaddr", join(out_addresses));
  if (port_per_host) info.set("port", join(out_ports));
  return info;
}

}  // namespace ferr::storage::postgres
