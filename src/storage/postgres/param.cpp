#include "storage/postgres/param.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>
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
        } else if constexpr (std::is_same_v<T, BinaryValue>) {
          return v.bytes;
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
    if (std::holds_alternative<BinaryValue>(params[i].value())) {
      if (bound.formats_.empty()) {
        bound.formats_.assign(params.size(), 0);
        bound.lengths_.assign(params.size(), 0);
      }
      bound.formats_[i] = 1;
      bound.lengths_[i] = static_cast<int>(text.size());
      bound.values_.push_back(text.data());
      continue;
    }
    if (text.find('\0') != std::string::npos) {
      return core::fail(core::Error::database("postgres: parameter $" + std::to_string(i + 1) +
                                              " holds a NUL byte, which text cannot carry"));
    }
    bound.values_.push_back(text.c_str());
  }
  return bound;
}

namespace {

// PostgreSQL's binary formats are big-endian.
void append_int32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

void append_int64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}

}  // namespace

void BinaryArray::add_null() {
  append_int32(elements_, 0xFFFFFFFF);  // length -1: NULL
  has_null_ = true;
  ++count_;
}

void BinaryArray::add(std::string_view text) {
  assert(element_ == Of::text);
  append_int32(elements_, static_cast<std::uint32_t>(text.size()));
  elements_ += text;
  ++count_;
}

void BinaryArray::add(const core::Uuid& id) {
  assert(element_ == Of::uuid);
  append_int32(elements_, static_cast<std::uint32_t>(id.bytes.size()));
  elements_.append(reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size());
  ++count_;
}

void BinaryArray::add(std::int64_t value) {
  if (element_ == Of::int4) {
    assert(value >= std::numeric_limits<std::int32_t>::min() &&
           value <= std::numeric_limits<std::int32_t>::max());
    append_int32(elements_, 4);
    append_int32(elements_, static_cast<std::uint32_t>(static_cast<std::int32_t>(value)));
  } else {
    assert(element_ == Of::int8);
    append_int32(elements_, 8);
    append_int64(elements_, static_cast<std::uint64_t>(value));
  }
  ++count_;
}

Param BinaryArray::param() const {
  BinaryValue array;
  array.bytes.reserve(20 + elements_.size());
  append_int32(array.bytes, count_ == 0 ? 0 : 1);  // dimensions
  append_int32(array.bytes, has_null_ ? 1 : 0);
  append_int32(array.bytes, static_cast<std::uint32_t>(element_));
  if (count_ > 0) {
    append_int32(array.bytes, static_cast<std::uint32_t>(count_));
    append_int32(array.bytes, 1);  // the first index
  }
  array.bytes += elements_;
  return Param(std::move(array));
}

}  // namespace ferr::storage::postgres
