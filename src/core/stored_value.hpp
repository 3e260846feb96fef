#pragma once
/// A stored value the code does not know (written by a newer binary, or by hand) is a loud
/// failure, never a silent default: reading `role = 'superuser'` as `viewer`, say, would grant
/// or deny the wrong thing.

#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace ferr::core {

/// Logs the unknown value of `column` at error level and returns an internal database error.
Error unknown_stored_value(std::string_view column, std::string_view value);

/// `parsed` when the text was known; otherwise unknown_stored_value(column, text).
template <typename E>
Result<E> known_stored_value(std::optional<E> parsed, std::string_view column,
                             std::string_view text) {
  if (!parsed) return fail(unknown_stored_value(column, text));
  return *parsed;
}

}  // namespace ferr::core
