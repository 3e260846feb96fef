#include "domain/subscriptions/subscription.hpp"

#include <array>
#include <utility>

#include "core/products.hpp"

namespace ferr::domain::subscriptions {

namespace {

// Each table lists every enumerator with its wire name, in enumerator order.
template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// Products and tiers take their names from the one table of core/products.hpp, by position.
template <typename E, std::size_t N>
constexpr NameTable<E, N> positional(const std::array<std::string_view, N>& names) {
  NameTable<E, N> table{};
  for (std::size_t i = 0; i < N; ++i) table[i] = {static_cast<E>(i), names[i]};
  return table;
}
constexpr auto kProducts = positional<Product>(core::kProductNames);
constexpr auto kTiers = positional<Tier>(core::kTierNames);
static_assert(kProducts.back().first == Product::ferrlens && kProducts.back().second == "ferrlens",
              "Product's enumerators follow core::kProductNames");
static_assert(kTiers.back().first == Tier::enterprise && kTiers.back().second == "enterprise",
              "Tier's enumerators follow core::kTierNames");
constexpr NameTable<SubscriptionStatus, 5> kStatuses{
    {{SubscriptionStatus::trialing, "trialing"},
     {SubscriptionStatus::active, "active"},
     {SubscriptionStatus::past_due, "past_due"},
     {SubscriptionStatus::canceled, "canceled"},
     {SubscriptionStatus::incomplete, "incomplete"}}};

template <typename E, std::size_t N>
std::string_view name_in(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return table.front().second;
}

template <typename E, std::size_t N>
std::optional<E> parse_in(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [e, n] : table)
    if (n == name) return e;
  return std::nullopt;
}

}  // namespace

std::string_view product_name(Product product) { return name_in(kProducts, product); }
std::optional<Product> parse_product(std::string_view name) { return parse_in(kProducts, name); }
std::string_view tier_name(Tier tier) { return name_in(kTiers, tier); }
std::optional<Tier> parse_tier(std::string_view name) { return parse_in(kTiers, name); }
std::string_view status_name(SubscriptionStatus status) { return name_in(kStatuses, status); }
std::optional<SubscriptionStatus> parse_status(std::string_view name) {
  return parse_in(kStatuses, name);
}

}  // namespace ferr::domain::subscriptions
