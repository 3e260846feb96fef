#pragma once
// A test fixture running the real application in-process, with an injected clock and mail
// delivered to .eml files, plus helpers to speak its JSON API and make verified accounts.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "support/http_client.hpp"
#include "support/mailbox.hpp"
#include "support/temp_dir.hpp"
#include "support/test_app.hpp"

namespace ferr::testing {

inline constexpr const char* kPassword = "correct horse battery staple";
/// The telemetry key of every test server: 00 01 … 1f, the spec's second test key
/// (key_id 8e1199f3).
inline constexpr const char* kTelemetrySalt =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override { app_.reset(); }

  // (Re)starts the application. Each start delivers mail into a fresh folder of the test's own
  // directory, so a restarted server begins with an empty mailbox; files a test keeps in dir_ (a
  // database it restarts on) stay until the test ends.
  void start(const app::RawSettings& extra, app::Tuning tuning = {}) {
    app_.reset();
    auto mail = dir_ / ("mail-" + std::to_string(++starts_));
    std::filesystem::create_directories(mail);
    app::RawSettings settings{
        {"FERRLABS_MAIL", "file:" + mail.string()},
        {"FERRLABS_AUTH_RATE", "0"},
        {"FERRLABS_TELEMETRY_SALT", kTelemetrySalt},
        // Cheap hashes keep the suite fast; the parameters are checked elsewhere.
        {"FERRLABS_PASSWORD_MEMORY_KIB", "64"},
        {"FERRLABS_PASSWORD_ITERATIONS", "1"}};
    for (const auto& [k, v] : extra) settings[k] = v;
    tuning.clock = &clock_;
    app_ = ferr::testing::start_app(ferr::testing::test_config(settings), tuning);
    port_ = app_->port();
    mailbox_ = std::make_unique<ferr::testing::Mailbox>(mail);
  }

  HttpReply call(const std::string& method, const std::string& path, const std::string& body = "",
                 const std::string& headers = "") {
    std::string h = headers;
    if (!body.empty()) h += "Content-Type: application/json\r\n";
    auto r = ferr::testing::request(port_, method, path, h, body);
    if (!r) throw std::runtime_error("no reply to " + method + " " + path);
    return *r;
  }
  HttpReply post(const std::string& path, const boost::json::object& body,
                 const std::string& headers = "") {
    return call("POST", path, boost::json::serialize(body), headers);
  }
  static std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token + "\r\n";
  }
  static boost::json::object json(const HttpReply& r) {
    return boost::json::parse(r.body).as_object();
  }
  static std::string code_of(const HttpReply& r) {
    auto body = json(r);
    return body.contains("code") ? std::string(body["code"].as_string()) : "";
  }

  HttpReply register_user(const std::string& email, const std::string& password = kPassword) {
    return post("/auth/register", {{"email", email}, {"password", password}});
  }

  // Registers and verifies `email`; returns the token response body.
  boost::json::object active_user(const std::string& email,
                                  const std::string& password = kPassword) {
    EXPECT_EQ(register_user(email, password).status, 202);
    auto code = mailbox_->code_for(email);
    EXPECT_TRUE(code);
    auto verified = post("/auth/verify-email", {{"email", email}, {"code", code.value_or("")}});
    EXPECT_EQ(verified.status, 200) << verified.body;
    return json(verified);
  }

  HttpReply login(const std::string& email, const std::string& password = kPassword) {
    return post("/auth/login", {{"email", email}, {"password", password}});
  }

  core::ManualClock clock_{core::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 5 / 5))};
  TempDir test_dir_{"api-test"};
  const std::filesystem::path dir_ = test_dir_.path();
  std::unique_ptr<app::Application> app_;
  std::unique_ptr<Mailbox> mailbox_;
  unsigned short port_ = 0;
  int starts_ = 0;
};

}  // namespace ferr::testing
