#pragma once
/// Outgoing e-mail as the use cases see it: hand a message over and move on.

#include <string>

namespace ferr::domain {

/// A plain-text message to one recipient.
struct MailMessage {
  std::string to;       ///< one address, e.g. `ada@example.com`
  std::string subject;  ///< one line, ASCII
  std::string text;     ///< UTF-8 body
};

/// Sends mail without blocking or failing the caller: delivery happens in the background, is
/// retried, and failures are logged (never the message body or a code it contains).
class Mailer {
 public:
  virtual ~Mailer() = default;
  /// Queues `message` for delivery and returns at once.
  virtual void send(MailMessage message) = 0;
};

}  // namespace ferr::domain
