// Fuzz target for the request body parser (api/json_body) and the field reader
// (api/object_reader). Besides "never crash, never throw", it checks properties that must hold
// for every input, and aborts when one does not.
//
// The test suite replays the seed corpus with g++ (replay_main.cpp, ctest `fuzz_json_body`).
// To fuzz for real with clang's libFuzzer: `scripts/fuzz-campaign.sh json_body SECONDS`, which
// builds `json_body_fuzz` with the `fuzz` preset and merges what it finds into
// tests/fuzz/corpus/json_body/ (tests/fuzz/README.md).

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/json_body.hpp"
#include "api/object_reader.hpp"

namespace {

namespace json = boost::json;
using ferr::api::ObjectReader;
using ferr::core::ErrorCode;

[[noreturn]] void broken(const char* property) {
  std::fprintf(stderr, "json_body_fuzz: property broken: %s\n", property);
  std::abort();
}

void check(bool holds, const char* property) {
  if (!holds) broken(property);
}

bool has_non_finite(const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_: return !std::isfinite(v.get_double());
    case json::kind::array:
      for (const auto& e : v.get_array())
        if (has_non_finite(e)) return true;
      return false;
    case json::kind::object:
      for (const auto& m : v.get_object())
        if (has_non_finite(m.value())) return true;
      return false;
    default: return false;
  }
}

// How many doubles lie between a and b (both finite).
std::uint64_t ulps_apart(double a, double b) {
  // Maps the doubles onto a line of integers where neighbours differ by one.
  auto line = [](double d) {
    const auto bits = std::bit_cast<std::int64_t>(d);
    return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
  };
  const std::int64_t x = line(a);
  const std::int64_t y = line(b);
  return x > y ? static_cast<std::uint64_t>(x) - static_cast<std::uint64_t>(y)
               : static_cast<std::uint64_t>(y) - static_cast<std::uint64_t>(x);
}

// Equal, except that our doubles are correctly rounded and Boost's may be a little off.
bool same_but_rounding(const json::value& ours, const json::value& boost) {
  if (ours.kind() != boost.kind()) return false;
  switch (ours.kind()) {
    case json::kind::double_: return ulps_apart(ours.get_double(), boost.get_double()) <= 2;
    case json::kind::array: {
      const auto& a = ours.get_array();
      const auto& b = boost.get_array();
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_but_rounding(a[i], b[i])) return false;
      return true;
    }
    case json::kind::object: {
      const auto& a = ours.get_object();
      const auto& b = boost.get_object();
      if (a.size() != b.size()) return false;
      for (const auto& m : a) {
        const auto* other = b.if_contains(m.key());
        if (other == nullptr || !same_but_rounding(m.value(), *other)) return false;
      }
      return true;
    }
    default: return ours == boost;
  }
}

// True when `body` holds 309 digits in a row, the shortest integer that can exceed DBL_MAX.
bool has_long_digit_run(std::string_view body) {
  std::size_t run = 0;
  for (char c : body) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 309) return true;
  }
  return false;
}

// Boost's own parser with the same options: the reference our stricter parser is held to.
json::value reference_parse(std::string_view body, json::error_code& ec) {
  json::parse_options options;
  options.max_depth = ferr::api::kMaxJsonDepth;
  return json::parse(json::string_view(body.data(), body.size()), ec, {}, options);
}

// The fixed names the reader is asked for; every other member must make finish() fail.
constexpr std::string_view kKnown[] = {"email", "n", "flag", "name", "opt", "raw"};

bool is_known(std::string_view name) {
  for (auto k : kKnown)
    if (k == name) return true;
  return false;
}

void exercise_reader(const json::value& value) {
  const json::object& object = value.get_object();
  auto r = ObjectReader::of(value);
  check(r.has_value(), "an object is accepted by ObjectReader::of");
  const auto* email = object.if_contains("email");
  auto s = r->required_string("email");
  check(s.has_value() == (email != nullptr && email->is_string()), "required_string verdict");
  if (s) check(*s == std::string_view(email->get_string()), "required_string content");
  if (!s) check(s.error().field && *s.error().field == "email", "required_string field");

  const auto* n = object.if_contains("n");
  auto i = r->optional_int("n", -100, 100);
  const bool int_ok =
      n == nullptr || (n->is_int64() && n->get_int64() >= -100 && n->get_int64() <= 100);
  check(i.has_value() == int_ok, "optional_int verdict");
  if (i && n != nullptr) check(**i == n->get_int64(), "optional_int content");

  const auto* flag = object.if_contains("flag");
  auto b = r->required_bool("flag");
  check(b.has_value() == (flag != nullptr && flag->is_bool()), "required_bool verdict");

  const auto* name = object.if_contains("name");
  auto ns = r->nullable_string("name");
  check(ns.has_value() == (name == nullptr || name->is_null() || name->is_string()),
        "nullable_string verdict");

  const auto* opt = object.if_contains("opt");
  auto os = r->optional_string("opt");
  check(os.has_value() == (opt == nullptr || opt->is_string()), "optional_string verdict");

  auto raw = r->optional_value("raw");
  check(raw.has_value() && raw->has_value() == (object.if_contains("raw") != nullptr),
        "optional_value verdict");

  bool unknown = false;
  for (const auto& m : object)
    if (!is_known(std::string_view(m.key().data(), m.key().size()))) unknown = true;
  auto done = r->finish();
  check(done.has_value() == !unknown, "finish verdict");
  if (!done) {
    check(done.error().code == ErrorCode::validation_failed && done.error().field.has_value() &&
              !is_known(*done.error().field) &&
              object.contains(
                  json::string_view(done.error().field->data(), done.error().field->size())),
          "finish names an unknown member");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = ferr::api::parse_json_body(body);
  json::error_code reference_ec;
  const json::value reference = reference_parse(body, reference_ec);

  if (!parsed) {
    const auto& e = parsed.error();
    check(!e.message.empty(), "every error has a sentence");
    if (e.code == ErrorCode::bad_request) {
      check(!e.field.has_value(), "BAD_REQUEST names no field");
      // Where Boost accepts a body we refuse as malformed, the only reason may be a number
      // beyond the double range: Boost keeps it as infinity, or drops it when a duplicate name
      // replaces it ({"n":1e999,"n":1}), so the value alone cannot always show it.
      if (!reference_ec) {
        check(e.message == "request body holds a number out of range",
              "only numbers out of range separate us from Boost");
        check(has_non_finite(reference) || body.find_first_of("eE") != std::string_view::npos ||
                  has_long_digit_run(body),
              "a number out of range is in the body");
      }
    } else {
      check(e.code == ErrorCode::validation_failed, "errors are BAD_REQUEST or VALIDATION_FAILED");
      check(e.field.has_value(), "a duplicate names its member");
      check(!reference_ec, "a body refused for a duplicate is otherwise well-formed");
    }
    return 0;
  }

  check(!reference_ec, "whatever we accept, Boost accepts");
  // Boost makes NaN of 0e400 (and infinity of 1e400, which we refuse): compare the rest.
  if (!has_non_finite(reference)) {
    check(same_but_rounding(*parsed, reference), "we build the value Boost builds");
  }
  check(!has_non_finite(*parsed), "no infinity in an accepted value");

  // An accepted body survives a round trip through serialize(): valid UTF-8, no duplicate,
  // numbers that print as JSON.
  const std::string text = json::serialize(*parsed);
  auto again = ferr::api::parse_json_body(text);
  check(again.has_value(), "serialize(accepted) is accepted");
  check(*again == *parsed, "the round trip keeps the value");

  if (parsed->is_object()) {
    exercise_reader(*parsed);
  } else {
    auto r = ObjectReader::of(*parsed);
    check(!r && r.error().field == std::optional<std::string>("body"),
          "a non-object is refused with field body");
  }
  return 0;
}
