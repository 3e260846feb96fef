#pragma once
/// A value that must never be printed: no stream or format operator exists for it.

#include <string>
#include <utility>

namespace ferr::core {

/// Holds secret bytes (a key, a token secret); reading needs an explicit `expose()`.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  /// The secret itself; call only where it is used, never where it could be logged.
  const std::string& expose() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace ferr::core
