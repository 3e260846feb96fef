#include "api/json_spans.hpp"

#include <cstddef>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace ferr::api {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_space(std::string_view t, std::size_t i) {
  while (i < t.size() && is_space(t[i])) ++i;
  return i;
}

// `t[i]` opens a string: the index just past its closing quote, or npos.
std::size_t skip_string(std::string_view t, std::size_t i) {
  for (++i; i < t.size(); ++i) {
    if (t[i] == '\\') {
      ++i;  // the escaped character cannot close the string
    } else if (t[i] == '"') {
      return i + 1;
    }
  }
  return npos;
}

// The index just past the value that starts at `t[i]`, or npos.
std::size_t skip_value(std::string_view t, std::size_t i) {
  if (i >= t.size()) return npos;
  if (t[i] == '"') return skip_string(t, i);
  if (t[i] == '{' || t[i] == '[') {
    std::size_t depth = 0;
    while (i < t.size()) {
      const char c = t[i];
      if (c == '"') {
        i = skip_string(t, i);
        if (i == npos) return npos;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      ++i;
    }
    return npos;
  }
  // A number or a literal: it runs up to the next delimiter.
  while (i < t.size() && !is_space(t[i]) && t[i] != ',' && t[i] != '}' && t[i] != ']') ++i;
  return i;
}

// Whether the string token `token` (quotes included) spells `name`. Escapes are rare in member
// names, so only a token holding a backslash pays for a real decode.
// (The token comes first and keeps its quotes: a swapped call never matches, which every body
// test would show.)
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
bool key_equals(std::string_view token, std::string_view name) {
  const std::string_view inner = token.substr(1, token.size() - 2);
  if (inner.find('\\') == npos) return inner == name;
  boost::json::error_code ec;
  const auto decoded = boost::json::parse(boost::json::string_view(token.data(), token.size()), ec);
  return !ec && decoded.is_string() && decoded.get_string() == name;
}

}  // namespace

// The text, then the name looked up in it, as every lookup of this file reads.
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters)
std::optional<std::string_view> raw_member(std::string_view t, std::string_view name) {
  std::size_t i = skip_space(t, 0);
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  i = skip_space(t, i + 1);
  while (i < t.size() && t[i] == '"') {
    const std::size_t key_end = skip_string(t, i);
    if (key_end == npos) return std::nullopt;
    const std::string_view key = t.substr(i, key_end - i);
    i = skip_space(t, key_end);
    if (i >= t.size() || t[i] != ':') return std::nullopt;
    const std::size_t value_start = skip_space(t, i + 1);
    const std::size_t value_end = skip_value(t, value_start);
    if (value_end == npos) return std::nullopt;
    if (key_equals(key, name)) return t.substr(value_start, value_end - value_start);
    i = skip_space(t, value_end);
    if (i >= t.size() || t[i] != ',') return std::nullopt;
    i = skip_space(t, i + 1);
  }
  return std::nullopt;
}

std::vector<std::string_view> raw_elements(std::string_view t) {
  std::vector<std::string_view> out;
  std::size_t i = skip_space(t, 0);
  if (i >= t.size() || t[i] != '[') return out;
  i = skip_space(t, i + 1);
  while (i < t.size() && t[i] != ']') {
    const std::size_t end = skip_value(t, i);
    if (end == npos) return out;
    out.push_back(t.substr(i, end - i));
    i = skip_space(t, end);
    if (i >= t.size() || t[i] != ',') return out;
    i = skip_space(t, i + 1);
  }
  return out;
}

}  // namespace ferr::api
