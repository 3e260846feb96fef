#include "mail/smtp_transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "mail/factory.hpp"
#include "support/mail_samples.hpp"
#include "test_helpers.hpp"

namespace ferr::mail {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

using ::ferr::test::kFrom;

// A file descriptor (socket or pipe end) closed by the destructor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  int fd() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// A TCP socket bound to 127.0.0.1 on a port the kernel picks; listening when asked.
Fd bound_socket(bool listening, int& port) {
  Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(s.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  if (listening) {
    EXPECT_EQ(::listen(s.fd(), 8), 0);
  }
  socklen_t len = sizeof addr;
  EXPECT_EQ(::getsockname(s.fd(), reinterpret_cast<sockaddr*>(&addr), &len), 0);
  port = ntohs(addr.sin_port);
  return s;
}

bool accepts_connections(int port) {
  Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(s.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

// One message as the sink saved it.
struct Received {
  bool tls = false;  // the session had upgraded with STARTTLS
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string content;
};

// A real SMTP server (aiosmtpd, tests/support/smtp_sink.py) in a child process, killed and its
// directory removed by the destructor, whatever the test's outcome. PR_SET_PDEATHSIG also kills
// it if this test process dies first.
class SmtpSink {
 public:
  SmtpSink() : dir_("smtp-sink") {}
  ~SmtpSink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // Starts the server (offering and requiring STARTTLS with a throwaway certificate when
  // `starttls`); the port, or nullopt with the reason added to the test's failures.
  std::optional<int> start(bool starttls = false) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return failed("pipe2");
    Fd read_end(fds[0]);
    Fd write_end(fds[1]);
    std::string script = FERR_SMTP_SINK_SCRIPT;
    std::string dir = dir_.path().string();
    // Debian's interpreter, named explicitly: it is the one python3-aiosmtpd installs for.
    const char* argv[] = {"/usr/bin/python3", script.c_str(), dir.c_str(),
                          starttls ? "--starttls" : nullptr, nullptr};
    pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) return failed("fork");
    if (pid_ == 0) {  // child: async-signal-safe calls only, then exec
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(write_end.fd(), STDOUT_FILENO);
      ::execv(argv[0], const_cast<char* const*>(argv));
      ::_exit(127);
    }
    write_end.reset();  // the child holds the only writer: its exit ends our reads

    // The sink prints its port once it listens; poll the pipe (bounded), never sleep.
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left <= 0ms) return failed("the sink did not announce its port in time");
      pollfd p{read_end.fd(), POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[64];
      ssize_t n = ::read(read_end.fd(), buffer, sizeof buffer);
      if (n <= 0) return failed("the sink exited (is python3-aiosmtpd installed?)");
      line.append(buffer, static_cast<std::size_t>(n));
    }
    int port = std::atoi(line.c_str());
    if (port <= 0) return failed("the sink printed no port: " + line);
    // Then wait until the port accepts connections (polling the port itself, bounded).
    while (!accepts_connections(port)) {
      if (std::chrono::steady_clock::now() > deadline) return failed("the port never accepted");
      std::this_thread::yield();
    }
    return port;
  }

  // The self-signed certificate a --starttls sink presents (the one file a client must trust).
  std::string ca_file() const { return (dir_.path() / "tls" / "cert.pem").string(); }

  // The messages received so far, oldest first.
  std::vector<Received> messages() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir_.path()))
      if (entry.path().extension() == ".msg") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<Received> out;
    for (const auto& file : files) {
      std::string raw = test::read_file(file);
      Received r;
      std::size_t pos = 0;
      for (std::size_t eol; (eol = raw.find("\r\n", pos)) != std::string::npos; pos = eol + 2) {
        std::string line = raw.substr(pos, eol - pos);
        if (line.empty()) {
          pos = eol + 2;
          break;
        }
        if (line == "TLS:yes") r.tls = true;
        if (line.starts_with("MAIL FROM:")) r.mail_from = line.substr(10);
        if (line.starts_with("RCPT TO:")) r.rcpt_to.push_back(line.substr(8));
      }
      r.content = raw.substr(pos);
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  std::optional<int> failed(const std::string& why) {
    ADD_FAILURE() << "SMTP sink: " << why;
    return std::nullopt;
  }

  test::TempDir dir_;
  pid_t pid_ = -1;
};

std::unique_ptr<SmtpTransport> make(const std::string& url, SmtpOptions options = {}) {
  auto transport = SmtpTransport::create(url, kFrom, options);
  EXPECT_TRUE(transport) << (transport ? "" : transport.error().message);
  return transport ? std::move(*transport) : nullptr;
}

using ::ferr::test::body_of;

TEST(SmtpTransport, DeliversToARealServerWithEnvelopeHeadersAndBody) {
  SmtpSink sink;
  auto port = sink.start();
  ASSERT_TRUE(port);
  auto transport = make("smtp://127.0.0.1:" + std::to_string(*port));
  ASSERT_TRUE(transport);
  auto result = transport->deliver(
      {"ada@example.com", "Verify your e-mail", "Your code is 123456.\nIt expires soon.\n"});
  ASSERT_TRUE(result) << result.error().log_detail;

  auto messages = sink.messages();  // the sink saved it before answering 250
  ASSERT_EQ(messages.size(), 1u);
  const Received& m = messages[0];
  EXPECT_EQ(m.mail_from, "<no-reply@ferrlabs.com>");
  EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"<ada@example.com>"});
  EXPECT_TRUE(m.content.starts_with("From: FerrLabs <no-reply@ferrlabs.com>\r\n")) << m.content;
  for (const char* header :
       {"\r\nTo: ada@example.com\r\n", "\r\nSubject: Verify your e-mail\r\n",
        "\r\nDate: ", " +0000\r\n", "\r\nMessage-ID: <", "@ferrlabs.com>\r\n",
        "\r\nMIME-Version: 1.0\r\n", "\r\nContent-Type: text/plain; charset=utf-8\r\n",
        "\r\nContent-Transfer-Encoding: 8bit\r\n"})
    EXPECT_NE(m.content.find(header), std::string::npos) << header << " in " << m.content;
  EXPECT_EQ(body_of(m.content), "Your code is 123456.\r\nIt expires soon.\r\n");
}

TEST(SmtpTransport, LinesStartingWithADotArriveIntact) {
  // "\r\n.\r\n" would end DATA early without curl's dot-stuffing; the server removes the dots.
  SmtpSink sink;
  auto port = sink.start();
  ASSERT_TRUE(port);
  auto transport = make("smtp://127.0.0.1:" + std::to_string(*port));
  ASSERT_TRUE(transport);
  const std::string body = "first\n.\n..two dots\n.leading\nÉté ✓\n.";
  ASSERT_TRUE(transport->deliver({"ada@example.com", "dots", body}));
  ASSERT_TRUE(transport->deliver({"bob@example.org", "second", "again"}));

  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(body_of(messages[0].content), "first\r\n.\r\n..two dots\r\n.leading\r\nÉté ✓\r\n.\r\n");
  EXPECT_EQ(messages[1].rcpt_to, std::vector<std::string>{"<bob@example.org>"});
  EXPECT_EQ(body_of(messages[1].content), "again\r\n");
}

TEST(SmtpTransport, RefusesHeaderInjectionWithoutSendingAnything) {
  SmtpSink sink;
  auto port = sink.start();
  ASSERT_TRUE(port);
  auto transport = make("smtp://127.0.0.1:" + std::to_string(*port));
  ASSERT_TRUE(transport);
  for (domain::MailMessage m :
       {domain::MailMessage{"ada@example.com\r\nBcc: eve@evil.test", "s", "b"},
        domain::MailMessage{"ada@example.com>\r\nRCPT TO:<eve@evil.test", "s", "b"},
        domain::MailMessage{"ada@example.com", "s\r\nBcc: eve@evil.test", "b"}}) {
    auto result = transport->deliver(m);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  }
  EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpTransport, QueuedMailerFromTheFactoryDeliversThroughTheServer) {
  SmtpSink sink;
  auto port = sink.start();
  ASSERT_TRUE(port);
  auto mailer = make_mailer("smtp://127.0.0.1:" + std::to_string(*port), kFrom, {});
  ASSERT_TRUE(mailer) << mailer.error().message;
  (*mailer)->send({"ada@example.com", "Reset your password", "token=abc_DEF-123"});
  ASSERT_TRUE((*mailer)->drain(30s));
  EXPECT_EQ((*mailer)->delivered(), 1u);
  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(body_of(messages[0].content), "token=abc_DEF-123\r\n");
}

TEST(SmtpTransport, FailsWithAnErrorWhenNothingListens) {
  int port = 0;
  Fd bound = bound_socket(/*listening=*/false, port);  // reserved, so connections are refused
  auto transport = make("smtp://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(transport);
  auto result = transport->deliver({"ada@example.com", "s", "Your code is 123456."});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::internal_server_error);
  EXPECT_NE(result.error().log_detail.find("smtp: "), std::string::npos);
  EXPECT_EQ(result.error().log_detail.find("123456"), std::string::npos);
  EXPECT_EQ(result.error().log_detail.find("ada@"), std::string::npos);
}

TEST(SmtpTransport, ASilentServerFailsWithinTheTotalTimeout) {
  int port = 0;
  Fd listener = bound_socket(/*listening=*/true, port);  // accepts in the kernel, never greets
  auto transport = make("smtp://127.0.0.1:" + std::to_string(port), {1000ms, 200ms});
  ASSERT_TRUE(transport);
  auto result = transport->deliver({"ada@example.com", "s", "b"});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().log_detail.find("Timeout"), std::string::npos)
      << result.error().log_detail;
}

TEST(SmtpTransport, InterruptAbortsARunningDelivery) {
  int port = 0;
  Fd listener = bound_socket(/*listening=*/true, port);
  auto transport = make("smtp://127.0.0.1:" + std::to_string(port), {60s, 60s});
  ASSERT_TRUE(transport);
  core::Result<void> result;
  std::thread delivery([&] { result = transport->deliver({"ada@example.com", "s", "b"}); });
  // Once the connection is accepted, curl is waiting for a greeting that never comes.
  pollfd p{listener.fd(), POLLIN, 0};
  bool connected = ::poll(&p, 1, 20'000) == 1;
  Fd accepted(connected ? ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC) : -1);
  transport->interrupt();
  delivery.join();
  ASSERT_TRUE(connected);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().log_detail.find("aborted"), std::string::npos)
      << result.error().log_detail;
  auto later = transport->deliver({"ada@example.com", "s", "b"});
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().log_detail, "smtp: interrupted");
}

SmtpOptions tls_options(bool required, std::string ca_file = {}) {
  SmtpOptions options;
  options.require_tls = required;
  options.ca_file = std::move(ca_file);
  return options;
}

// Issue 14 item 13: smtp:// never upgraded, so codes and reset links crossed the network in plain
// text. With TLS required (production), a server that offers no STARTTLS gets nothing.
TEST(SmtpTransport, RequiredTlsRefusesAServerWithoutStartTls) {
  SmtpSink sink;
  auto port = sink.start();
  ASSERT_TRUE(port);
  auto transport = make("smtp://127.0.0.1:" + std::to_string(*port), tls_options(true));
  ASSERT_TRUE(transport);
  auto result = transport->deliver({"ada@example.com", "Reset", "token=abc_DEF-123"});
  ASSERT_FALSE(result) << "delivered in plain text";
  EXPECT_EQ(result.error().code, core::ErrorCode::internal_server_error);
  EXPECT_NE(result.error().log_detail.find("SSL"), std::string::npos) << result.error().log_detail;
  EXPECT_EQ(result.error().log_detail.find("abc_DEF"), std::string::npos);
  EXPECT_TRUE(sink.messages().empty());

  // FERRLABS_MAIL_ALLOW_PLAINTEXT=1: the same server then gets the message, in plain text.
  auto plaintext = make("smtp://127.0.0.1:" + std::to_string(*port), tls_options(false));
  ASSERT_TRUE(plaintext);
  ASSERT_TRUE(plaintext->deliver({"ada@example.com", "Reset", "token=abc_DEF-123"}));
  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_FALSE(messages[0].tls);
}

TEST(SmtpTransport, TheFactoryPassesTheTlsRequirementOn) {
  SmtpSink sink;
  auto port = sink.start();
  ASSERT_TRUE(port);
  QueuedMailer::Options options;
  options.max_attempts = 1;
  auto mailer =
      make_mailer("smtp://127.0.0.1:" + std::to_string(*port), kFrom, options, tls_options(true));
  ASSERT_TRUE(mailer) << mailer.error().message;
  (*mailer)->send({"ada@example.com", "Reset your password", "token=abc_DEF-123"});
  ASSERT_TRUE((*mailer)->drain(30s));
  EXPECT_EQ((*mailer)->failed(), 1u);
  EXPECT_TRUE(sink.messages().empty());
}

// A real TLS handshake: the sink offers STARTTLS with a throwaway self-signed certificate and
// refuses mail before the upgrade, so a delivery that succeeds went through TLS.
TEST(SmtpTransport, StartTlsUpgradesWithAVerifiedCertificate) {
  SmtpSink sink;
  auto port = sink.start(/*starttls=*/true);
  ASSERT_TRUE(port);
  const std::string url = "smtp://127.0.0.1:" + std::to_string(*port);
  for (bool required : {true, false}) {  // not required: still taken when offered
    auto transport = make(url, tls_options(required, sink.ca_file()));
    ASSERT_TRUE(transport);
    auto result = transport->deliver({"ada@example.com", "Verify", "Your code is 123456."});
    ASSERT_TRUE(result) << "required=" << required << ": " << result.error().log_detail;
  }
  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) {
    EXPECT_TRUE(m.tls);
    EXPECT_EQ(m.rcpt_to, std::vector<std::string>{"<ada@example.com>"});
    EXPECT_EQ(body_of(m.content), "Your code is 123456.\r\n");
  }
}

TEST(SmtpTransport, ACertificateThatDoesNotVerifyFailsTheDelivery) {
  SmtpSink sink;
  auto port = sink.start(/*starttls=*/true);
  ASSERT_TRUE(port);
  for (bool required : {true, false}) {  // the system's CAs do not know the throwaway one
    auto transport = make("smtp://127.0.0.1:" + std::to_string(*port), tls_options(required));
    ASSERT_TRUE(transport);
    auto result = transport->deliver({"ada@example.com", "Verify", "Your code is 123456."});
    ASSERT_FALSE(result) << "required=" << required;
    EXPECT_EQ(result.error().log_detail.find("123456"), std::string::npos);
  }
  EXPECT_TRUE(sink.messages().empty());
}

TEST(SmtpTransport, CreateChecksTheUrlAndTheSenderWithoutQuotingThem) {
  for (const char* url : {"smtp://", "http://mail.example.com", "smtp//mail.example.com",
                          "mail.example.com:25", "smtp://user:s3cret@"}) {
    auto transport = SmtpTransport::create(url, kFrom);
    ASSERT_FALSE(transport) << url;
    EXPECT_EQ(transport.error().field, "url") << url;
    EXPECT_EQ(transport.error().message.find("s3cret"), std::string::npos);
  }
  EXPECT_TRUE(SmtpTransport::create("smtps://user:s3cret@mail.example.com:465", kFrom));
  auto bad_from = SmtpTransport::create("smtp://127.0.0.1:25", "FerrLabs <no address>");
  ASSERT_FALSE(bad_from);
  EXPECT_EQ(bad_from.error().field, "from");
}

}  // namespace
}  // namespace ferr::mail
