#include "http/request.hpp"

#include <boost/url/parse_query.hpp>

namespace ferr::http {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view method_name(Method m) {
  switch (m) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

std::string_view lower_case_method_name(Method m) {
  switch (m) {
    case Method::get: return "get";
    case Method::head: return "head";
    case Method::post: return "post";
    case Method::put: return "put";
    case Method::patch: return "patch";
    case Method::del: return "delete";
    case Method::options: return "options";
    case Method::other: return "other";
  }
  return "other";
}

Method parse_method(std::string_view token) {
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del,
                   Method::options})
    if (token == method_name(m)) return m;
  return Method::other;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : fields_)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
  std::erase_if(fields_, [&](const auto& kv) { return iequals(kv.first, name); });
  fields_.emplace_back(std::string(name), std::move(value));
}

std::string_view Request::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) return std::nullopt;
  // The parsed view holds the raw (percent-encoded) text: decode key and value, `+` as space.
  boost::urls::encoding_opts form;
  form.space_as_plus = true;
  for (auto param : *parsed) {
    if (param.key.decode(form) == name)
      return param.has_value ? param.value.decode(form) : std::string();
  }
  return std::nullopt;
}

Response Response::json(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.add("Content-Type", "application/json");
  return r;
}

Response Response::empty(unsigned status) {
  Response r;
  r.status = status;
  return r;
}

}  // namespace ferr::http
