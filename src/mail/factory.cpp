#include "mail/factory.hpp"

#include <utility>

#include "mail/file_transport.hpp"
#include "mail/log_transport.hpp"
#include "mail/message_format.hpp"
#include "mail/smtp_transport.hpp"

namespace ferr::mail {
namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

core::Result<std::unique_ptr<Transport>> make_transport(const std::string& spec,
                                                        const std::string& from, SmtpOptions smtp) {
  // The sender is checked for every transport, `log` included, so a bad FERRLABS_MAIL_FROM
  // fails in development rather than on the first production message.
  if (auto address = sender_address(from); !address) return core::fail(address.error());
  if (spec == "log") return std::unique_ptr<Transport>(std::make_unique<LogTransport>());
  if (starts_with(spec, "file:")) {
    if (spec.size() == 5)
      return core::fail(core::Error::validation("mail", "file: needs a directory"));
    auto file = FileTransport::create(spec.substr(5), from);
    if (!file) return core::fail(file.error());
    return std::unique_ptr<Transport>(std::move(*file));
  }
  if (starts_with(spec, "smtp://") || starts_with(spec, "smtps://")) {
    auto transport = SmtpTransport::create(spec, from, std::move(smtp));
    if (!transport) return core::fail(transport.error());
    return std::unique_ptr<Transport>(std::move(*transport));
  }
  return core::fail(core::Error::validation(
      "mail", "must be log, file:DIR, smtp://host:port or smtps://host:port"));
}

core::Result<std::unique_ptr<QueuedMailer>> make_mailer(const std::string& spec,
                                                        const std::string& from,
                                                        QueuedMailer::Options options,
                                                        SmtpOptions smtp) {
  auto transport = make_transport(spec, from, std::move(smtp));
  if (!transport) return core::fail(transport.error());
  return std::make_unique<QueuedMailer>(std::move(*transport), options);
}

}  // namespace ferr::mail
