#pragma once
// Reads the .eml files that the `file:DIR` mail transport writes, as a user reads their inbox.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ferr::testing {

class Mailbox {
 public:
  explicit Mailbox(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  /// Every message addressed to `to`, oldest first.
  std::vector<std::string> messages_to(const std::string& to) const;
  /// Waits until `to` has at least `count` messages; returns the newest, or nullopt on timeout.
  std::optional<std::string> wait_for(
      const std::string& to, std::size_t count,
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  /// The six-digit code in the newest message to `to` once `count` messages have arrived.
  std::optional<std::string> code_for(const std::string& to, std::size_t count = 1) const;
  /// The password-reset token in the newest message to `to` once `count` messages have arrived.
  std::optional<std::string> reset_token_for(const std::string& to, std::size_t count = 1) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace ferr::testing
