#pragma once
/// The strict field reader handlers decode a JSON object with (api.md, "Conventions").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace ferr::api {

/// A member that PATCH routes tell apart in three ways: absent (keep), null (clear), a value (set).
template <typename T>
struct Nullable {
  /// Which of the three the body said.
  enum class State { absent, null, value };

  State state = State::absent;  ///< absent unless a read found the member
  T value{};                    ///< meaningful only when `state == State::value`

  /// Absent from the body.
  static Nullable absent() { return {}; }
  /// Present as `null`.
  static Nullable null() { return Nullable{State::null, T{}}; }
  /// Present with a value.
  static Nullable of(T v) { return Nullable{State::value, std::move(v)}; }

  /// True when the member was absent.
  bool is_absent() const { return state == State::absent; }
  /// True when the member was an explicit `null`.
  bool is_null() const { return state == State::null; }
  /// True when the member carried a value.
  bool has_value() const { return state == State::value; }
};

/// Reads the members of one JSON object, each by name, and remembers which ones were asked for so
/// `finish()` can reject the rest. Errors are VALIDATION_FAILED with `field` set to the member.
/// The object must outlive the reader.
class ObjectReader {
 public:
  /// VALIDATION_FAILED (field "body") when `v` is not an object.
  static core::Result<ObjectReader> of(const boost::json::value& v);
  /// Deleted: the reader would point into a temporary that dies at the end of the statement.
  static core::Result<ObjectReader> of(const boost::json::value&& v) = delete;

  /// A string that must be present; missing, null or non-string is an error.
  core::Result<std::string> required_string(std::string_view name);
  /// A string that may be absent (nullopt); an explicit null is an error.
  core::Result<std::optional<std::string>> optional_string(std::string_view name);
  /// A string that may be absent, null or set (the tri-state of PATCH bodies).
  core::Result<Nullable<std::string>> nullable_string(std::string_view name);
  /// `true` or `false`, present; missing, null or any other type is an error.
  core::Result<bool> required_bool(std::string_view name);
  /// A JSON integer (2.0 and 1e2 are not) within [min, max]; absent is nullopt, null an error.
  core::Result<std::optional<std::int64_t>> optional_int(std::string_view name, std::int64_t min,
                                                         std::int64_t max);
  /// The raw member (any kind, null included) for nested objects and arrays; absent is nullopt.
  core::Result<std::optional<const boost::json::value*>> optional_value(std::string_view name);

  /// VALIDATION_FAILED naming the first member that no read asked for (unknown member).
  core::Result<void> finish() const;

 private:
  explicit ObjectReader(const boost::json::object& object)
      : object_(&object), asked_(object.size(), false) {}

  // The member called `name`, marked as asked for; nullptr when absent.
  const boost::json::value* take(std::string_view name);

  const boost::json::object* object_;
  std::vector<bool> asked_;  // by position in object_, which never changes while we read
};

}  // namespace ferr::api
