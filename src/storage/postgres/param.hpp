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
#include "core/uuid.hpp"

namespace ferr::storage::postgres {

/// A value already in PostgreSQL's binary format for the type the statement gives its parameter
/// (BinaryArray builds them), sent as is.
struct BinaryValue {
  std::string bytes;
};

/// One parameter value, sent in PostgreSQL's text format (the server casts it to the type the
/// statement expects, so `$1::bigint` or a typed column both work), or in its binary format.
class Param {
 public:
  using Value = std::variant<std::monostate, std::string, std::int64_t, bool, double, BinaryValue>;

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
  Param(BinaryValue v) : value_(std::move(v)) {}
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

/// A one-dimensional array parameter in PostgreSQL's binary format (what `array_recv` reads),
/// for statements that take a column of values at once (`unnest($1::uuid[], …)`): the server
/// copies each element where the text form would be parsed character by character. The
/// statement must give the parameter its array type (`$1::uuid[]`), which tells the server how to
/// read the bytes; an array whose header names another element type is refused by the server.
class BinaryArray {
 public:
  /// The element types the statements use, by their PostgreSQL type OIDs (pg_type.h).
  enum class Of : std::uint32_t { int4 = 23, int8 = 20, text = 25, uuid = 2950 };

  explicit BinaryArray(Of element) : element_(element) {}

  /// Appends SQL NULL.
  void add_null();
  /// Appends an element of type text (its bytes as they are: UTF-8, no NUL).
  void add(std::string_view text);
  /// Appends an element of type uuid.
  void add(const core::Uuid& id);
  /// Appends an element of type int8, or of type int4 (the value must then fit 32 bits).
  void add(std::int64_t value);
  /// Appends the value, or SQL NULL when empty.
  template <typename T>
  void add(const std::optional<T>& value) {
    if (value) {
      add(*value);
    } else {
      add_null();
    }
  }

  /// The array as a parameter: its header (one dimension numbered from 1, or none when empty),
  /// then the elements.
  Param param() const;

 private:
  Of element_;
  std::string elements_;
  std::int32_t count_ = 0;
  bool has_null_ = false;
};

/// One statement of a pipeline: SQL with `$1`, `$2`… placeholders and their values. The text
/// is not copied: it must outlive the call (a literal or one of the embedded `sql::` statements).
struct Statement {
  std::string_view sql;
  std::vector<Param> params;
};

/// A parameter list in the layout PQsendQueryParams takes: `values[i]` is null for SQL NULL and
/// points into this object otherwise (keep it alive while sending); text unless `formats()` says
/// binary, when `lengths()` gives its size.
class BoundParams {
 public:
  /// Converts `params`; fails when a text value holds a NUL byte, which the text format cannot
  /// carry (truncating it silently would store a different value).
  static core::Result<BoundParams> bind(const std::vector<Param>& params);

  BoundParams(BoundParams&&) = default;
  BoundParams& operator=(BoundParams&&) = default;
  BoundParams(const BoundParams&) = delete;
  BoundParams& operator=(const BoundParams&) = delete;

  /// Number of parameters.
  int count() const { return static_cast<int>(values_.size()); }
  /// Each parameter's NUL-terminated text, or its binary bytes (null for SQL NULL).
  const char* const* values() const { return values_.empty() ? nullptr : values_.data(); }
  /// The size of each binary parameter; null when every parameter is text.
  const int* lengths() const { return formats_.empty() ? nullptr : lengths_.data(); }
  /// 1 for each binary parameter, 0 for text; null when every parameter is text.
  const int* formats() const { return formats_.empty() ? nullptr : formats_.data(); }

 private:
  BoundParams() = default;
  std::vector<std::string> texts_;  // reserved up front: values_ points into these strings
  std::vector<const char*> values_;
  std::vector<int> lengths_;  // filled with formats_, once a parameter is binary
  std::vector<int> formats_;
};

/// The text PostgreSQL reads back as the same value (exposed for tests); a binary value's bytes.
std::string to_text(const Param& param);

}  // namespace ferr::storage::postgres
