#include "core/stored_value.hpp"

#include <string>

#include "core/log.hpp"

namespace ferr::core {

Error unknown_stored_value(std::string_view column, std::string_view value) {
  // The value is ours (an enum's wire name), never user input: safe to log, and the line is what
  // tells an operator which binary or edit wrote it.
  log::error("unknown value in storage", {{"column", column}, {"value", value}});
  return Error::database("unknown stored value in " + std::string(column) + ": " +
                         std::string(value));
}

}  // namespace ferr::core
