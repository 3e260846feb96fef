#pragma once
/// The development transport: the message goes into the log, where a developer reads the code.

#include "mail/transport.hpp"

namespace ferr::mail {

/// Writes each message (to, subject, body) as one JSON log line at info. Never for production:
/// the body holds verification codes and reset tokens.
class LogTransport final : public Transport {
 public:
  /// Logs `message`; fails only when it would be refused by the real transports too.
  core::Result<void> deliver(const domain::MailMessage& message) override;
};

}  // namespace ferr::mail
