#include "crypto/jwt.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <limits>
#include <optional>
#include <utility>

#include "core/base64.hpp"
#include "crypto/tokens.hpp"

namespace ferr::crypto {

namespace {

// Far above any token we issue (about 250 bytes); bounds the work an unauthenticated caller causes.
constexpr std::size_t kMaxTokenBytes = 4096;
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

core::Error unauthorized(std::string_view why) {
  core::Error e =
      core::Error::make(core::ErrorCode::auth_unauthorized, "valid credentials are required");
  e.log_detail = "access token rejected: ";
  e.log_detail += why;
  return e;
}

std::string encode_text(std::string_view text) {
  return core::base64_encode(text, core::Base64::url);
}

const std::string& encoded_header() {
  static const std::string header = encode_text(kHeaderJson);
  return header;
}

std::optional<boost::json::object> parse_object(std::string_view encoded) {
  auto text = base64url_decode(encoded);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(*text, ec);  // never throws with `ec`
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

std::optional<std::string_view> string_member(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

std::optional<std::int64_t> integer_member(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= std::uint64_t{std::numeric_limits<std::int64_t>::max()})
    return static_cast<std::int64_t>(v->get_uint64());
  return std::nullopt;
}

}  // namespace

std::string sign_access_token(const AccessClaims& claims, const core::Secret& key) {
  boost::json::object payload;
  payload["sub"] = claims.subject;
  payload["sid"] = claims.session_id;
  payload["iss"] = kTokenIssuer;
  payload["iat"] = claims.issued_at;
  payload["exp"] = claims.expires_at;
  std::string token = encoded_header();
  token += '.';
  token += encode_text(boost::json::serialize(payload));
  auto mac = hmac_sha256(key.expose(), token);
  token += '.';
  token += core::base64_encode(mac, core::Base64::url);
  return token;
}

core::Result<AccessClaims> verify_access_token(std::string_view token, const core::Secret& key,
                                               core::TimePoint now) {
  if (token.size() > kMaxTokenBytes) return core::fail(unauthorized("too long"));
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return core::fail(unauthorized("not three parts"));

  // The signature is checked before any JSON is parsed, so forged input never reaches the parser.
  auto signature = base64url_decode(token.substr(second + 1));
  if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES)
    return core::fail(unauthorized("malformed signature"));
  auto expected = hmac_sha256(key.expose(), token.substr(0, second));
  if (sodium_memcmp(expected.data(), signature->data(), expected.size()) != 0)
    return core::fail(unauthorized("bad signature"));

  // Even correctly signed, only the header we issue is accepted: no `none`, no other algorithm,
  // no critical extensions we would not understand.
  auto header = parse_object(token.substr(0, first));
  if (!header) return core::fail(unauthorized("malformed header"));
  if (string_member(*header, "alg") != "HS256") return core::fail(unauthorized("alg not HS256"));
  if (header->contains("typ") && string_member(*header, "typ") != "JWT")
    return core::fail(unauthorized("typ not JWT"));
  if (header->contains("crit")) return core::fail(unauthorized("crit header"));

  auto payload = parse_object(token.substr(first + 1, second - first - 1));
  if (!payload) return core::fail(unauthorized("malformed payload"));
  if (string_member(*payload, "iss") != kTokenIssuer) return core::fail(unauthorized("wrong iss"));
  auto subject = string_member(*payload, "sub");
  auto session = string_member(*payload, "sid");
  auto issued = integer_member(*payload, "iat");
  auto expires = integer_member(*payload, "exp");
  if (!subject || subject->empty() || !session || session->empty() || !issued || !expires)
    return core::fail(unauthorized("missing or mistyped claim"));
  auto now_seconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  if (now_seconds >= *expires) return core::fail(unauthorized("expired"));
  // A correctly signed token with impossible times (a leaked key, a bug in a signer, a clock far
  // off) must not live for ever: the bounds are those of the tokens we sign. `now` is a sane
  // time, so once `iat` is known to lie near it no sum below can overflow, whatever `exp` holds.
  const std::int64_t lifetime = kMaxAccessTokenLifetime.count();
  if (*issued > now_seconds + kClockLeeway.count())
    return core::fail(unauthorized("iat in the future"));
  if (*issued < now_seconds - lifetime)  // with exp after now: a lifetime over the maximum
    return core::fail(unauthorized("iat too old for an unexpired token"));
  if (*expires <= *issued) return core::fail(unauthorized("exp not after iat"));
  if (*expires > *issued + lifetime) return core::fail(unauthorized("lifetime too long"));
  return AccessClaims{std::string(*subject), std::string(*session), *issued, *expires};
}

}  // namespace ferr::crypto
