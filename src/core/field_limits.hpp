#pragma once
/// The limits of the API's fields (api.md), in one place: the validators in the domain and in
/// crypto check them, and the OpenAPI document (api/openapi) publishes them, so the published
/// contract cannot say one number while the code enforces another.

#include <cstddef>
#include <string_view>

namespace ferr::core::limits {

/// A display name, an organization's name, an API token's name: printable code points.
inline constexpr std::size_t kNameMinChars = 1;
inline constexpr std::size_t kNameMaxChars = 100;

/// An organization's slug: 2–40 of `[a-z0-9-]`, not starting or ending with `-`.
inline constexpr std::size_t kSlugMinChars = 2;
inline constexpr std::size_t kSlugMaxChars = 40;
inline constexpr std::string_view kSlugPattern = "^[a-z0-9][a-z0-9-]*[a-z0-9]$";

/// A password, in code points.
inline constexpr std::size_t kPasswordMinChars = 8;
inline constexpr std::size_t kPasswordMaxChars = 128;

/// A profile's `locale`.
inline constexpr std::string_view kLocalePattern = "^[a-z]{2}(-[A-Z]{2})?$";

/// A profile's `avatar_url`, in bytes.
inline constexpr std::size_t kAvatarUrlMaxBytes = 2048;

/// The login's `User-Agent` a session keeps, in characters (longer ones are cut).
inline constexpr std::size_t kUserAgentMaxChars = 256;

/// An `Idempotency-Key`: 1–255 printable ASCII characters.
inline constexpr std::size_t kIdempotencyKeyMaxChars = 255;
inline constexpr std::string_view kIdempotencyKeyPattern = "^[\\x20-\\x7e]{1,255}$";

/// `GET /v1/orgs/{slug}/audit?limit=`: 1–200, 50 when absent.
inline constexpr int kAuditPageMin = 1;
inline constexpr int kAuditPageMax = 200;
inline constexpr int kAuditPageDefault = 50;

/// `GET /v1/telemetry/stats?days=`: 1–365, 30 when absent.
inline constexpr int kStatsDaysMin = 1;
inline constexpr int kStatsDaysMax = 365;
inline constexpr int kStatsDaysDefault = 30;

}  // namespace ferr::core::limits
