#pragma once
/// Shape rules of account fields (api.md "Accounts and sessions").

#include <optional>
#include <string>
#include <string_view>

namespace ferr::domain::accounts {

/// Trims and lower-cases an e-mail address; nullopt when it is not one the mailer can deliver to
/// (core::normalize_email: the project's single address rule).
std::optional<std::string> normalize_email(std::string_view raw);

/// Display names are 1–100 characters (code points) of valid UTF-8 without control characters.
bool is_valid_display_name(std::string_view name);

/// `^[a-z]{2}(-[A-Z]{2})?$`.
bool is_valid_locale(std::string_view locale);

/// An IANA time zone name known to the tz database compiled into the binary.
bool is_valid_timezone(std::string_view name);

/// An absolute `https://` or `http://` URL of at most 2 048 characters with a host, made of
/// printable ASCII (other characters travel percent-encoded).
bool is_valid_avatar_url(std::string_view url);

/// What a session keeps of the User-Agent of its login: printable ASCII (any other byte becomes
/// `?`, so the stored text is valid UTF-8 whatever the client sent), at most 256 characters;
/// nullopt for none or an empty one.
std::optional<std::string> session_user_agent(std::optional<std::string_view> header);

}  // namespace ferr::domain::accounts
