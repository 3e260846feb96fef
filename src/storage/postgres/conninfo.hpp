#pragma once
/// The database URL taken apart, so that host names are resolved before libpq sees them.
///
/// libpq resolves a host name with a blocking getaddrinfo inside PQconnectStartParams and
/// PQconnectPoll, which would stall the I/O thread that connects. Connection::connect resolves
/// the names asynchronously instead (names_to_resolve, then asio's resolver) and hands libpq
/// `hostaddr=` entries (with_host_addresses), keeping `host=` for TLS verification and messages,
/// so libpq never resolves anything.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace ferr::storage::postgres {

/// A libpq connection string as keyword/value pairs, in libpq's keyword order; only the
/// keywords that have a value.
struct ConnInfo {
  std::vector<std::pair<std::string, std::string>> options;

  /// The value of `keyword`, or null.
  const std::string* find(std::string_view keyword) const;
  /// Sets `keyword` (appended when absent).
  void set(std::string_view keyword, std::string value);
};

/// Parses a libpq URI (`postgres://…`) or `key=value` string with PQconninfoParse. The error
/// never quotes the text: it may hold a password.
core::Result<ConnInfo> parse_conninfo(const std::string& url);

/// The host names libpq would resolve itself: entries of `host` that are neither empty, a unix
/// socket directory (`/…`, `@…`) nor a literal IP address, and have no `hostaddr` of their own.
/// Each name once, in order.
std::vector<std::string> names_to_resolve(const ConnInfo& info);

/// Addresses (literal IPs) found for each name of names_to_resolve; a name without any failed.
using ResolvedNames = std::map<std::string, std::vector<std::string>, std::less<>>;

/// `info` with a `hostaddr` for every TCP host: a literal IP stands for itself, a name becomes
/// one entry per address found (its `host`, and its `port` when ports are given per host,
/// repeated alongside, so libpq still tries the addresses in turn); socket directories keep an
/// empty entry. Names without an address are dropped, and none left is `service_unavailable`.
/// `info` comes back unchanged when it has no host, or lists libpq would refuse anyway.
core::Result<ConnInfo> with_host_addresses(ConnInfo info, const ResolvedNames& resolved);

}  // namespace ferr::storage::postgres
