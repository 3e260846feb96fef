#include "mail/file_transport.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/mail_samples.hpp"
#include "test_helpers.hpp"

namespace ferr::mail {
namespace {

namespace fs = std::filesystem;

using ::ferr::test::kFrom;

// Every entry of `dir` (hidden ones included), sorted by name.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<FileTransport> make(const fs::path& dir) {
  auto transport = FileTransport::create(dir, kFrom);
  EXPECT_TRUE(transport) << (transport ? "" : transport.error().log_detail);
  return transport ? std::move(*transport) : nullptr;
}

TEST(FileTransport, CreatesTheDirectoryIfMissing) {
  test::TempDir tmp("create");
  fs::path dir = tmp.path() / "nested" / "mail";
  auto transport = make(dir);
  ASSERT_TRUE(transport);
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_EQ(transport->dir(), dir);
}

TEST(FileTransport, WritesOneCompleteEmlFilePerMessage) {
  test::TempDir tmp("complete");
  auto transport = make(tmp.path());
  ASSERT_TRUE(transport);
  ASSERT_TRUE(transport->deliver(
      {"ada@example.com", "Verify your e-mail", "Your code is 123456.\nIt expires soon.\n"}));

  auto names = entries(tmp.path());
  ASSERT_EQ(names.size(), 1u) << "no temporary file is left behind";
  EXPECT_TRUE(std::regex_match(names[0], std::regex("[0-9]{13}-[0-9]{8}-[0-9a-f]{16}\\.eml")))
      << names[0];
  fs::path file = tmp.path() / names[0];
  EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write)
      << "the files hold codes: owner only";

  std::string text = test::read_file(file);
  auto end_of_headers = text.find("\r\n\r\n");
  ASSERT_NE(end_of_headers, std::string::npos);
  std::string headers = text.substr(0, end_of_headers + 2);
  EXPECT_EQ(text.substr(end_of_headers + 4), "Your code is 123456.\r\nIt expires soon.\r\n");
  EXPECT_TRUE(headers.starts_with("From: FerrLabs <no-reply@ferrlabs.com>\r\n")) << headers;
  for (const char* header :
       {"\r\nTo: ada@example.com\r\n", "\r\nSubject: Verify your e-mail\r\n",
        "\r\nMIME-Version: 1.0\r\n", "\r\nContent-Type: text/plain; charset=utf-8\r\n",
        "\r\nContent-Transfer-Encoding: 8bit\r\n"})
    EXPECT_NE(headers.find(header), std::string::npos) << header;
  EXPECT_TRUE(std::regex_search(
      headers, std::regex("\r\nDate: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} "
                          "[0-9]{2}:[0-9]{2}:[0-9]{2} \\+0000\r\n")))
      << headers;
  EXPECT_TRUE(std::regex_search(headers, std::regex("\r\nMessage-ID: <[^<>@ ]+@ferrlabs.com>\r\n")))
      << headers;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), std::count(text.begin(), text.end(), '\r'))
      << "every line ends with CRLF";

  // What the other suites' mailbox reader (tests/support/mailbox.cpp) looks for.
  std::smatch code;
  ASSERT_TRUE(std::regex_search(text, code, std::regex("code is ([0-9]{6})")));
  EXPECT_EQ(code[1], "123456");
}

TEST(FileTransport, NamesSortInTheOrderOfWritingAndNeverCollide) {
  test::TempDir tmp("order");
  auto first = make(tmp.path());
  auto second = make(tmp.path());  // two transports on one directory, as two app instances
  ASSERT_TRUE(first && second);
  constexpr int kMessages = 300;  // many share a millisecond: the counter orders them
  for (int i = 0; i < kMessages; ++i) {
    auto& transport = i % 2 == 0 ? first : second;
    ASSERT_TRUE(transport->deliver({"ada@example.com", "message " + std::to_string(i), "b"}));
  }
  auto names = entries(tmp.path());
  ASSERT_EQ(names.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) {
    std::string text = test::read_file(tmp.path() / names[static_cast<std::size_t>(i)]);
    EXPECT_NE(text.find("\r\nSubject: message " + std::to_string(i) + "\r\n"), std::string::npos)
        << names[static_cast<std::size_t>(i)];
  }
}

TEST(FileTransport, RefusesHeaderInjectionAndWritesNothing) {
  test::TempDir tmp("inject");
  auto transport = make(tmp.path());
  ASSERT_TRUE(transport);
  auto result = transport->deliver({"ada@example.com\r\nBcc: eve@evil.test", "s", "b"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  result = transport->deliver({"ada@example.com", "s\nBcc: eve@evil.test", "b"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::validation_failed);
  EXPECT_TRUE(entries(tmp.path()).empty());
}

TEST(FileTransport, RecreatesADirectoryRemovedWhileRunning) {
  test::TempDir tmp("recreate");
  fs::path dir = tmp.path() / "mail";
  auto transport = make(dir);
  ASSERT_TRUE(transport);
  fs::remove_all(dir);
  ASSERT_TRUE(transport->deliver({"ada@example.com", "s", "b"}));
  EXPECT_EQ(entries(dir).size(), 1u);
}

TEST(FileTransport, CreateFailsWhenTheDirectoryCannotExist) {
  test::TempDir tmp("blocked");
  fs::path file = tmp.path() / "a-file";
  std::ofstream(file) << "not a directory";
  EXPECT_FALSE(FileTransport::create(file, kFrom));
  EXPECT_FALSE(FileTransport::create(file / "below", kFrom));
  EXPECT_FALSE(FileTransport::create("", kFrom));
}

TEST(FileTransport, DeliverFailsWhenTheDirectoryBecomesAFile) {
  test::TempDir tmp("becomes-file");
  fs::path dir = tmp.path() / "mail";
  auto transport = make(dir);
  ASSERT_TRUE(transport);
  fs::remove_all(dir);
  std::ofstream(dir) << "now a file";
  auto result = transport->deliver({"ada@example.com", "s", "b"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, core::ErrorCode::internal_server_error);
}

TEST(FileTransport, CreateRejectsABadSender) {
  test::TempDir tmp("sender");
  auto transport = FileTransport::create(tmp.path(), "FerrLabs\r\nBcc: eve@evil.test");
  ASSERT_FALSE(transport);
  EXPECT_EQ(transport.error().field, "from");
}

}  // namespace
}  // namespace ferr::mail
