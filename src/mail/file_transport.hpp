#pragma once
/// The test and staging transport: one `.eml` file per message in a directory, which test
/// suites read to fetch verification codes (tests/support/mailbox.cpp).

#include <filesystem>
#include <memory>
#include <string>

#include "mail/transport.hpp"

namespace ferr::mail {

/// Writes each message as a complete RFC 5322 file `<unix-ms>-<counter>-<random>.eml`, so names
/// sort by time and never collide, even between processes sharing the directory.
class FileTransport final : public Transport {
 public:
  /// A transport writing into `dir` (created if missing) with `from` as the From header.
  static core::Result<std::unique_ptr<FileTransport>> create(std::filesystem::path dir,
                                                             std::string from);
  /// Writes the file under a hidden temporary name, then renames it: readers never see half.
  core::Result<void> deliver(const domain::MailMessage& message) override;
  /// The directory the files go to.
  const std::filesystem::path& dir() const { return dir_; }

 private:
  FileTransport(std::filesystem::path dir, std::string from, std::string from_address)
      : dir_(std::move(dir)), from_(std::move(from)), from_address_(std::move(from_address)) {}

  std::filesystem::path dir_;
  std::string from_;
  std::string from_address_;
};

}  // namespace ferr::mail
