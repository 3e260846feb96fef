#include "mail/log_transport.hpp"

#include "core/log.hpp"
#include "mail/message_format.hpp"

namespace ferr::mail {

core::Result<void> LogTransport::deliver(const domain::MailMessage& message) {
  // Same checks as the file and SMTP transports, so a bad message fails in development too.
  if (auto checked = check_message(message); !checked) return checked;
  core::log::info("mail",
                  {{"to", message.to}, {"subject", message.subject}, {"body", message.text}});
  return {};
}

}  // namespace ferr::mail
