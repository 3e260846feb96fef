#pragma once
/// The products an organization subscribes to and their tiers (api.md "Subscriptions"), one table
/// for the subscription rules (domain/subscriptions/subscription.cpp) and the telemetry catalog's
/// `product` and `tier` fields, so that the two cannot disagree. The databases' CHECK
/// constraints mirror it (migrations 0012 on PostgreSQL, 0009 on SQLite).

#include <array>
#include <string_view>

namespace ferr::core {

/// Wire names of the products, in the spec's order.
inline constexpr auto kProductNames = std::to_array<std::string_view>(
    {"ferrflow", "ferrvault", "ferrtrack", "ferrgrowth", "ferrfleet", "ferrlens"});

/// Wire names of the tiers, lowest first.
inline constexpr auto kTierNames =
    std::to_array<std::string_view>({"free", "pro", "team", "enterprise"});

}  // namespace ferr::core
