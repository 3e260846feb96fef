#include "mail/factory.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "mail/file_transport.hpp"
#include "mail/log_transport.hpp"
#include "mail/smtp_transport.hpp"
#include "support/mail_samples.hpp"
#include "test_helpers.hpp"

namespace ferr::mail {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

using ::ferr::test::kFrom;

TEST(MakeTransport, LogIsTheLogTransport) {
  auto transport = make_transport("log", kFrom);
  ASSERT_TRUE(transport);
  EXPECT_NE(dynamic_cast<LogTransport*>(transport->get()), nullptr);
}

TEST(MakeTransport, FileDirIsTheFileTransportOnThatDirectory) {
  test::TempDir tmp("factory");
  fs::path dir = tmp.path() / "outbox";
  auto transport = make_transport("file:" + dir.string(), kFrom);
  ASSERT_TRUE(transport) << transport.error().log_detail;
  auto* file = dynamic_cast<FileTransport*>(transport->get());
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->dir(), dir);
  EXPECT_TRUE(fs::is_directory(dir)) << "created at start-up, so a bad path fails early";
}

TEST(MakeTransport, SmtpAndSmtpsUrlsAreTheSmtpTransport) {
  for (const char* spec : {"smtp://127.0.0.1:2525", "smtps://mail.example.com:465",
                           "smtp://user:pass@mail.example.com:587"}) {
    auto transport = make_transport(spec, kFrom);
    ASSERT_TRUE(transport) << spec;
    EXPECT_NE(dynamic_cast<SmtpTransport*>(transport->get()), nullptr) << spec;
  }
}

TEST(MakeTransport, RejectsUnknownOrIncompleteSpecs) {
  for (const char* spec :
       {"", "logs", "file:", "smtp://", "smtps://", "http://mail.example.com", "FILE:/tmp"}) {
    auto transport = make_transport(spec, kFrom);
    EXPECT_FALSE(transport) << spec;
  }
}

TEST(MakeTransport, RejectsABadSenderWhateverTheTransport) {
  test::TempDir tmp("factory-from");
  for (std::string spec :
       {std::string("log"), "file:" + tmp.path().string(), std::string("smtp://127.0.0.1:25")}) {
    auto transport = make_transport(spec, "FerrLabs <no-reply@ferrlabs.com>\r\nBcc: eve@evil.test");
    ASSERT_FALSE(transport) << spec;
    EXPECT_EQ(transport.error().field, "from") << spec;
  }
}

TEST(MakeMailer, QueuesOverTheNamedTransport) {
  test::TempDir tmp("factory-mailer");
  QueuedMailer::Options options;
  options.backoff = 0ms;
  auto mailer = make_mailer("file:" + tmp.path().string(), kFrom, options);
  ASSERT_TRUE(mailer);
  (*mailer)->send({"ada@example.com", "Verify your e-mail", "Your code is 123456."});
  ASSERT_TRUE((*mailer)->drain(20s));
  EXPECT_EQ((*mailer)->delivered(), 1u);
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(tmp.path()))
    files += entry.path().extension() == ".eml" ? 1 : 0;
  EXPECT_EQ(files, 1u);
}

TEST(MakeMailer, PassesTransportErrorsOn) {
  EXPECT_FALSE(make_mailer("carrier-pigeon", kFrom, {}));
}

}  // namespace
}  // namespace ferr::mail
