#pragma once
/// Bound query parameters: SQL text never contains a value, every value travels as a parameter.

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace ferr::storage::postgres {

/// One parameter value, sent in PostgreSQL's text format (the server casts it to the type the
/// statement expects, so `$1::bigint` or a typed column both work).
class Param {
 public:
  using Value = std::variant<std::monostate, std::string, std::int64_t, bool, double>;

  // The constructors are implicit on purpose: call sites read `{email, 42, nullptr}`.

  /// SQL NULL.
  Param() = default;
  Param(std::nullptr_t) {}
  Param(std::nullopt_t) {}
  Param(std::string v) : value_(std::move(v)) {}
  Param(std::string_view v) : value_(std::string(v)) {}
  Param(const char* v) : value_(std::string(v)) {}
  Param(bool v) : value_(v) {}
  Param(double v) : value_(v) {}
  /// Any integer but bool (so `int`, `long` and `std::int64_t` all read as a bigint).
  template <std::integral I>
  requires(!std::same_as<I, bool>) Param(I v) : value_(static_cast<std::int64_t>(v)) {}
  /// An optional value: NULL when empty.
  template <typename T>
  Param(const std::optional<T>& v) {
    if (v) *this = Param(*v);
  }

  /// True for SQL NULL.
  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  /// The value as held.
  const Value& value() const { return value_; }

 private:
  Value value_;
};

/// One statement of a pipeline: SQL with `$1`, `$2`… placeholders and their values. The text
/// is not copied: it must outlive the call (a literal or one of the embedded `sql::` statements).
struct Statement {
  std::string_view sql;
  std::vector<Param> params;
};

/// The text forms of a parameter list, in the layout PQsendQueryParams takes: `values[i]` is
/// null for SQL NULL and points into this object otherwise (keep it alive while sending).
class BoundParams {
 public:
  /// Converts `params`; fails when a string holds a NUL byte, which the text protocol cannot
  /// carry (truncating it silently would store a different value).
  static core::Result<BoundParams> bind(const std::vector<Param>& params);

  BoundParams(BoundParams&&) = default;
  BoundParams& operator=(BoundParams&&) = default;
  BoundParams(const BoundParams&) = delete;
  BoundParams& operator=(const BoundParams&) = delete;

  /// Number of parameters.
  int count() const { return static_cast<int>(values_.size()); }
  /// The NUL-terminated text of each parameter (null for SQL NULL).
  const char* const* values() const { return values_.empty() ? nullptr : values_.data(); }

 private:
  BoundParams() = default;
  std::vector<std::string> texts_;  // reserved up front: values_ points into these strings
  std::vector<const char*> values_;
};

/// The text PostgreSQL reads back as the same value (exposed for tests).
std::string to_text(const Param& param);

}  // namespace ferr::storage::postgres
