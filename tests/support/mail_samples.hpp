#pragma once
// What the mail tests share: the sender they configure, and the body of a formatted message.

#include <string>

namespace ferr::test {

inline const std::string kFrom = "FerrLabs <no-reply@ferrlabs.com>";

/// The part of a formatted message after the blank line that ends its headers ("" without one).
inline std::string body_of(const std::string& text) {
  auto end = text.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : text.substr(end + 4);
}

}  // namespace ferr::test
