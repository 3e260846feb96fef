#pragma once
/// The one thing every way of sending mail does: hand a finished message to its destination.

#include "core/error.hpp"
#include "domain/mail.hpp"

namespace ferr::mail {

/// Delivers one message synchronously; the queue in front of it (QueuedMailer) owns retries.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Delivers `message` now; an error with code `validation_failed` means retrying cannot help.
  virtual core::Result<void> deliver(const domain::MailMessage& message) = 0;
  /// Asks a delivery running on another thread to give up soon (shutdown); later ones fail.
  virtual void interrupt() {}
};

}  // namespace ferr::mail
