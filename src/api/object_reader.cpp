#include "api/object_reader.hpp"

#include <cstddef>
#include <cstdint>

namespace ferr::api {

namespace {

namespace json = boost::json;
using core::Error;
using core::fail;

// The field, then the rule it breaks, as the message reads ("name must be …").
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
Error invalid(std::string_view name, std::string_view rule) {
  std::string message(name);
  message += ' ';
  message += rule;
  return Error::validation(std::string(name), std::move(message));
}

std::string as_std_string(const json::string& s) { return std::string(s.data(), s.size()); }

// One sentence for wrong types and out-of-range values alike: a body's 1e30 or
// 100000000000000000000 has become a double before we see it, so "not an integer" would mislead.
Error not_int_in_range(std::string_view name, std::int64_t min, std::int64_t max) {
  return invalid(name,
                 "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
}

}  // namespace

core::Result<ObjectReader> ObjectReader::of(const json::value& v) {
  const auto* object = v.if_object();
  if (object == nullptr) return fail(Error::validation("body", "request body must be an object"));
  return ObjectReader(*object);
}

const json::value* ObjectReader::take(std::string_view name) {
  const auto it = object_->find(json::string_view(name.data(), name.size()));
  if (it == object_->end()) return nullptr;
  asked_[static_cast<std::size_t>(it - object_->begin())] = true;
  return &it->value();
}

core::Result<std::string> ObjectReader::required_string(std::string_view name) {
  const json::value* v = take(name);
  if (v == nullptr) return fail(invalid(name, "is required"));
  if (const auto* s = v->if_string()) return as_std_string(*s);
  return fail(invalid(name, "must be a string"));
}

core::Result<std::optional<std::string>> ObjectReader::optional_string(std::string_view name) {
  const json::value* v = take(name);
  if (v == nullptr) return std::optional<std::string>();
  if (const auto* s = v->if_string()) return std::optional<std::string>(as_std_string(*s));
  return fail(invalid(name, "must be a string"));
}

core::Result<Nullable<std::string>> ObjectReader::nullable_string(std::string_view name) {
  const json::value* v = take(name);
  if (v == nullptr) return Nullable<std::string>::absent();
  if (v->is_null()) return Nullable<std::string>::null();
  if (const auto* s = v->if_string()) return Nullable<std::string>::of(as_std_string(*s));
  return fail(invalid(name, "must be a string or null"));
}

core::Result<bool> ObjectReader::required_bool(std::string_view name) {
  const json::value* v = take(name);
  if (v == nullptr) return fail(invalid(name, "is required"));
  if (const auto* b = v->if_bool()) return *b;
  return fail(invalid(name, "must be true or false"));
}

core::Result<std::optional<std::int64_t>> ObjectReader::optional_int(std::string_view name,
                                                                     std::int64_t min,
                                                                     std::int64_t max) {
  const json::value* v = take(name);
  if (v == nullptr) return std::optional<std::int64_t>();
  // Only the integer kinds: Boost stores a number with a fraction or an exponent (2.0, 1e2) as
  // a double, and the contract wants integers written as integers.
  std::optional<std::int64_t> number;
  if (const auto* i = v->if_int64()) number = *i;
  // The parser makes a uint64 only above INT64_MAX; a value built in code may hold a small one.
  if (const auto* u = v->if_uint64(); u != nullptr && *u <= std::uint64_t{INT64_MAX}) {
    number = static_cast<std::int64_t>(*u);
  }
  if (!number || *number < min || *number > max) return fail(not_int_in_range(name, min, max));
  return number;
}

core::Result<std::optional<const json::value*>> ObjectReader::optional_value(
    std::string_view name) {
  const json::value* v = take(name);
  if (v == nullptr) return std::optional<const json::value*>();
  return std::optional<const json::value*>(v);
}

core::Result<void> ObjectReader::finish() const {
  for (std::size_t i = 0; i < asked_.size(); ++i) {
    if (asked_[i]) continue;
    const auto& key = object_->begin()[static_cast<std::ptrdiff_t>(i)].key();
    // The name goes in `field` only: the client chose it, so the sentence stays fixed and short.
    return fail(Error::validation(std::string(key.data(), key.size()), "unknown member"));
  }
  return {};
}

}  // namespace ferr::api
