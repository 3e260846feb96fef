#pragma once
/// Our own HTTP request and response types: handlers never see Beast.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ferr::http {

/// Request methods we route on; `other` covers every method we do not serve.
enum class Method { get, head, post, put, patch, del, options, other };

/// `GET`, `POST`, … (`DELETE` for del, `OTHER` for other).
std::string_view method_name(Method m);
/// `get`, `post`, …: the same names in lower case, as OpenAPI path items spell their operations.
std::string_view lower_case_method_name(Method m);
/// The method for a request-line token (case-sensitive, as HTTP is).
Method parse_method(std::string_view token);

/// Header fields in arrival order; names compare case-insensitively.
class Headers {
 public:
  /// The first value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const;
  /// Appends a field (repeatable fields such as Set-Cookie stay separate).
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  /// Replaces every field `name` with one value.
  void set(std::string_view name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& all() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// One parsed request as the router and handlers see it.
struct Request {
  Method method = Method::other;
  std::string target;                 ///< raw request target
  std::string path;                   ///< target without the query string
  std::string query;                  ///< raw query string without '?'
  std::vector<std::string> segments;  ///< percent-decoded path segments
  Headers headers;
  std::string body;
  std::string request_id;
  std::string client_ip;  ///< for rate limiting only: never logged, never stored
  std::vector<std::pair<std::string, std::string>> params;  ///< route template parameters

  /// A route parameter such as `slug` in `/v1/orgs/{slug}` (empty when absent).
  std::string_view param(std::string_view name) const;
  /// A decoded query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
};

/// A response built by a handler or by the server itself.
struct Response {
  unsigned status = 200;
  Headers headers;
  std::string body;
  bool close_connection = false;  ///< set when the connection cannot be reused

  /// A JSON response with `Content-Type: application/json`.
  static Response json(unsigned status, std::string body);
  /// A response without a body (e.g. 204).
  static Response empty(unsigned status);
};

/// Whether two strings are equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

}  // namespace ferr::http
