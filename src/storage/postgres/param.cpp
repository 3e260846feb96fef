#include "storage/postgres/param.hpp"

#include <charconv>
#include <cmath>
#include <type_traits>

namespace ferr::storage::postgres {

std::string to_text(const Param& param) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return {};
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else {
          // float8 reads these spellings; to_chars would write "inf" and "nan".
          if (std::isnan(v)) return "NaN";
          if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
          char buffer[32];
          // The shortest text that reads back as the same double.
          auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
          return std::string(buffer, end);
        }
      },
      param.value());
}

core::Result<BoundParams> BoundParams::bind(const std::vector<Param>& params) {
  BoundParams bound;
  bound.texts_.reserve(params.size());
  bound.values_.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].is_null()) {
      bound.values_.push_back(nullptr);
      continue;
    }
    std::string& text = bound.texts_.emplace_back(to_text(params[i]));
    if (text.find('\0') != std::string::npos) {
      return core::fail(core::Error::database("postgres: parameter $" + std::to_string(i + 1) +
                                              " holds a NUL byte, which text cannot carry"));
    }
    bound.values_.push_back(text.c_str());
  }
  return bound;
}

}  // namespace ferr::storage::postgres
