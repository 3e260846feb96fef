#pragma once
/// The production transport: SMTP through libcurl, on `smtp://` upgraded with STARTTLS (required,
/// or taken when offered: SmtpOptions::require_tls), or with implicit TLS (`smtps://`). The
/// server's certificate is always verified.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "mail/transport.hpp"

namespace ferr::mail {

/// Limits of one delivery, so a dead or silent server fails it instead of holding the queue.
struct SmtpOptions {
  std::chrono::milliseconds connect_timeout{10'000};  ///< TCP (and TLS) connection set-up
  std::chrono::milliseconds total_timeout{30'000};    ///< the whole delivery, connection included
  /// On `smtp://`: fail unless the server upgrades with STARTTLS (production's default). When
  /// false, STARTTLS is still used whenever the server offers it, and plain text otherwise.
  bool require_tls = false;
  /// A PEM file of certificates to trust instead of the system's (tests: a throwaway
  /// self-signed certificate); empty for the system store.
  std::string ca_file;
};

/// Sends each message over a fresh SMTP connection (the volume is a few messages a minute, and
/// a fresh connection never trips over one the server closed while idle).
class SmtpTransport final : public Transport {
 public:
  /// A transport for `url` (`smtp://host:port` or `smtps://host:port`; credentials may be given
  /// as `smtp://user:password@host`) whose envelope sender is the address inside `from`.
  static core::Result<std::unique_ptr<SmtpTransport>> create(std::string url, std::string from,
                                                             SmtpOptions options = {});
  /// Delivers `message` to its one recipient; errors carry curl's reason, never the address.
  core::Result<void> deliver(const domain::MailMessage& message) override;
  /// Makes a running delivery fail within about a second, and every later one at once.
  void interrupt() override { interrupted_.store(true); }

 private:
  SmtpTransport(std::string url, std::string from, std::string from_address, SmtpOptions options)
      : url_(std::move(url)),
        from_(std::move(from)),
        from_address_(std::move(from_address)),
        options_(std::move(options)) {}

  std::string url_;  // never logged: it may hold a password
  std::string from_;
  std::string from_address_;
  SmtpOptions options_;
  std::atomic<bool> interrupted_{false};
};

}  // namespace ferr::mail
