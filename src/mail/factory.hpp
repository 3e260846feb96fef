#pragma once
/// Builds the mailer that FERRLABS_MAIL and FERRLABS_MAIL_FROM describe.

#include <memory>
#include <string>

#include "mail/queued_mailer.hpp"
#include "mail/smtp_transport.hpp"

namespace ferr::mail {

/// A started QueuedMailer over the transport `spec` names: `log`, `file:DIR`,
/// `smtp://host:port` or `smtps://host:port`; `from` is the From header (`Name <address>`);
/// `smtp` applies to the SMTP transports (STARTTLS required or not). Errors name what is wrong
/// without quoting `spec`, which may hold an SMTP password.
core::Result<std::unique_ptr<QueuedMailer>> make_mailer(const std::string& spec,
                                                        const std::string& from,
                                                        QueuedMailer::Options options = {},
                                                        SmtpOptions smtp = {});

/// The transport alone, for callers that queue by themselves (and for tests).
core::Result<std::unique_ptr<Transport>> make_transport(const std::string& spec,
                                                        const std::string& from,
                                                        SmtpOptions smtp = {});

}  // namespace ferr::mail
