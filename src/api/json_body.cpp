#include "api/json_body.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory_resource>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value_stack.hpp>

namespace ferr::api {

namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::fail;

// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above
// U+10FFFF. Boost.JSON checks strings too; checking the whole body first gives the client a
// precise message and does not make our guarantee depend on the library alone.
bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  while (p < end) {
    const unsigned char lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    std::ptrdiff_t length = 0;
    unsigned char low = 0x80;  // bounds of the second byte, which rule out overlongs etc.
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead == 0xE0) {
      length = 3;
      low = 0xA0;
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
      length = 3;
    } else if (lead == 0xED) {
      length = 3;
      high = 0x9F;
    } else if (lead == 0xF0) {
      length = 4;
      low = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      length = 4;
    } else if (lead == 0xF4) {
      length = 4;
      high = 0x8F;
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < low || p[1] > high) return false;
    for (std::ptrdiff_t i = 2; i < length; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += length;
  }
  return true;
}

// The double nearest to the JSON number `text`. Boost 1.81 computes doubles quickly but not
// always exactly (1 ULP off, and 0e400 becomes NaN), so two parsers could read one body as two
// different numbers, and a value would not survive serialize() and parse again. from_chars
// rounds correctly. nullopt when the number is beyond the double range.
std::optional<double> correctly_rounded(std::string_view text, double boost_value) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  // Out of range either way: Boost's approximation tells an underflow (which rounds to zero)
  // from an overflow.
  if (ec == std::errc::result_out_of_range && std::fabs(boost_value) < 1.0) {
    return text.front() == '-' ? -0.0 : 0.0;
  }
  return std::nullopt;
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Error bad_request(std::string message) {
  return Error::make(ErrorCode::bad_request, std::move(message));
}

// Builds the value exactly as Boost's own parser does (value_stack), and in addition remembers
// the member names of every open object: Boost would silently keep the last of two equal names,
// and two readers of one body must never disagree on what it says.
class StrictHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  explicit StrictHandler(json::storage_ptr storage)
      : values_(json::storage_ptr(), scratch_.data(), scratch_.size()) {
    values_.reset(std::move(storage));
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) {
    open_objects_.push_back(keys_.size());
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    check_names(open_objects_.back());
    open_objects_.pop_back();
    values_.push_object(n);
    return true;
  }

  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    values_.push_array(n);
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    names_.append(s.data(), s.size());
    values_.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    names_.append(s.data(), s.size());
    const std::size_t offset = keys_.empty() ? 0 : keys_.back().offset + keys_.back().length;
    Key key{offset, names_.size() - offset, next_ordinal_++, 0};
    key.hash = std::hash<std::string_view>()(name_of(key));
    keys_.push_back(key);
    values_.push_key(s);
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    values_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    values_.push_string(s);
    return true;
  }

  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number_.clear();
    values_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number_.clear();
    values_.push_uint64(u);
    return true;
  }
  bool on_double(double boost_value, json::string_view s, json::error_code& ec) {
    // The whole number arrives in `s` unless the parser suspended in the middle of it.
    std::string_view text(s.data(), s.size());
    if (!number_.empty()) text = number_.append(s.data(), s.size());
    auto value = correctly_rounded(text, boost_value);
    number_.clear();
    if (!value) {
      // 1e400 would be infinity, which Boost serializes as `Infinity`: not JSON. Refusing it
      // keeps every accepted body serializable as it was received.
      out_of_range_ = true;
      ec = json::error::exponent_overflow;
      return false;
    }
    values_.push_double(*value);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    values_.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    values_.push_null();
    return true;
  }

  // Comments are disabled in the options; these only satisfy the handler concept.
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  json::value release() { return values_.release(); }
  /// The first name, in body order, that appeared a second time in one object.
  std::optional<std::string> duplicate() const {
    if (!duplicate_) return std::nullopt;
    return duplicate_->name;
  }
  bool out_of_range() const { return out_of_range_; }

 private:
  // A member name of an open object: its bytes in names_, its rank in the whole body, and a
  // hash that settles most comparisons without reading the bytes.
  struct Key {
    std::size_t offset;
    std::size_t length;
    std::size_t ordinal;
    std::size_t hash;
  };
  struct Duplicate {
    std::string name;
    std::size_t ordinal;  // of the second occurrence
  };

  std::string_view name_of(const Key& key) const {
    return std::string_view(names_).substr(key.offset, key.length);
  }

  bool same_name(const Key& a, const Key& b) const {
    return a.hash == b.hash && name_of(a) == name_of(b);
  }

  // Called when an object closes: its names are keys_[first..]. Sorting them groups equal
  // names in O(n log n) comparisons whatever names a client chooses (a hash set could be
  // flooded with colliding names; here a collision only costs a comparison of the bytes) and
  // allocates nothing per name. The names are then dropped, which leaves the enclosing object's
  // names at the end of keys_ and names_ again.
  void check_names(std::size_t first) {
    const auto begin = keys_.begin() + static_cast<std::ptrdiff_t>(first);
    std::sort(begin, keys_.end(), [this](const Key& a, const Key& b) {
      if (a.hash != b.hash) return a.hash < b.hash;
      const int order = name_of(a).compare(name_of(b));
      return order != 0 ? order < 0 : a.ordinal < b.ordinal;
    });
    for (auto it = begin; it != keys_.end() && it + 1 != keys_.end(); ++it) {
      const Key& second = *(it + 1);
      // Within a run of equal names the ordinals ascend: `second` is the second occurrence.
      if (!same_name(*it, second)) continue;
      if (!duplicate_ || second.ordinal < duplicate_->ordinal) {
        duplicate_ = Duplicate{std::string(name_of(second)), second.ordinal};
      }
      while (it + 1 != keys_.end() && same_name(*it, *(it + 1))) ++it;
    }
    names_.resize(first == 0 ? 0 : keys_[first - 1].offset + keys_[first - 1].length);
    keys_.erase(begin, keys_.end());
  }

  // The value stack's working memory while it builds the document: a body of usual size fits,
  // a larger one grows on the heap.
  std::array<unsigned char, 1024> scratch_{};
  json::value_stack values_;
  // The names below grow and shrink as objects open and close; an arena on the handler (which
  // lives on the parsing thread's stack) holds them for a body of usual size.
  std::array<std::byte, 2048> names_buffer_{};
  std::pmr::monotonic_buffer_resource names_arena_{names_buffer_.data(), names_buffer_.size()};
  // For each open object, where its names start in keys_.
  std::pmr::vector<std::size_t> open_objects_{&names_arena_};
  std::pmr::vector<Key> keys_{&names_arena_};  // names of the open objects, outermost first
  std::pmr::string names_{&names_arena_};      // their bytes, one after the other
  std::size_t next_ordinal_ = 0;
  std::string number_;  // the text of the number being read, which may arrive in parts
  std::optional<Duplicate> duplicate_;
  bool out_of_range_ = false;
};

// The client reads `error`, so the sentence is short and never quotes Boost's internals.
Error syntax_error(const json::error_code& ec) {
  if (ec == json::error::too_deep) return bad_request("request body is nested too deeply");
  if (ec == json::error::exponent_overflow) {
    return bad_request("request body holds a number out of range");
  }
  if (ec == json::error::incomplete) return bad_request("request body is incomplete JSON");
  return bad_request("request body is not valid JSON");
}

// The name goes in `field` only: the client chose it, so the sentence stays fixed and short.
Error duplicate_member(std::string name) {
  return Error::validation(std::move(name), "member name appears twice in one object");
}

}  // namespace

core::Result<json::value> parse_json_body(std::string_view body, json::storage_ptr storage) {
  if (is_blank(body)) return fail(bad_request("request body is empty"));
  if (!is_valid_utf8(body)) return fail(bad_request("request body is not valid UTF-8"));

  // Spelled out rather than left to the defaults: these are the contract, not a preference.
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  try {
    json::basic_parser<StrictHandler> parser(options, std::move(storage));
    json::error_code ec;
    const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
    if (parser.handler().out_of_range()) {
      return fail(bad_request("request body holds a number out of range"));
    }
    if (ec) return fail(syntax_error(ec));
    // write_some stops after the first complete document (and the blanks after it).
    if (!parser.done() || used != body.size()) {
      return fail(bad_request("request body has data after the JSON document"));
    }
    // Only now: a well-formed body with a duplicate name is a validation failure.
    if (auto name = parser.handler().duplicate()) return fail(duplicate_member(std::move(*name)));
    return parser.handler().release();
  } catch (const std::bad_alloc&) {
    return fail(Error::internal("out of memory while parsing a request body"));
  } catch (const std::exception& e) {
    // value_stack throws only when a limit of Boost.JSON is exceeded, far beyond any body limit.
    return fail(Error::internal(std::string("JSON parser threw: ") + e.what()));
  } catch (...) {
    return fail(Error::internal("JSON parser threw a non-standard exception"));
  }
}

}  // namespace ferr::api
