// Graceful shutdown: stop accepting, answer /readyz 503 while draining, finish in-flight
// requests, close idle connections, and report whether the drain finished in time.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <thread>

#include "http/server.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

namespace ferr {
namespace {

using boost::asio::awaitable;
using testing::build_request;
using testing::Connection;

// Waits for a condition the test can observe; fails the test instead of hanging.
template <typename F>
bool eventually(F condition, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

class ShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = testing::start_app(testing::test_config(), {}, [this](app::Application& a) {
      // Holds its request open until the test releases it, without blocking the I/O thread.
      a.router().add(http::Method::get, "/test/hold",
                     [this](http::Request&) -> awaitable<http::Response> {
                       entered_ = true;
                       boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
                       while (!released_) {
                         timer.expires_after(std::chrono::milliseconds(1));
                         co_await timer.async_wait(boost::asio::use_awaitable);
                       }
                       co_return http::Response::json(200, R"({"held":true})");
                     },
                     {.undocumented = true});  // a test route, not the API's (server_test.cpp)
    });
    port_ = app_->port();
  }

  std::unique_ptr<app::Application> app_;
  unsigned short port_ = 0;
  std::atomic<bool> entered_{false};
  std::atomic<bool> released_{false};
};

TEST_F(ShutdownTest, DrainFinishesInFlightRequestsAndRefusesNewWork) {
  Connection in_flight(port_);
  ASSERT_TRUE(in_flight.send(build_request("GET", "/test/hold")));
  ASSERT_TRUE(eventually([&] { return entered_.load(); }));

  // A probe whose first bytes are already in: it counts as in flight and is answered.
  Connection probe(port_);
  ASSERT_TRUE(probe.send("GET /readyz HTTP/1.1\r\nHost: x\r\n"));
  Connection idle(port_);
  ASSERT_TRUE(eventually([&] {
    return app_->server().busy_connections() == 2 && app_->server().open_connections() == 3;
  }));

  auto drained =
      std::async(std::launch::async, [&] { return app_->shutdown(std::chrono::seconds(10)); });
  ASSERT_TRUE(eventually([&] { return app_->server().draining(); }));

  EXPECT_TRUE(idle.closed_by_peer(std::chrono::seconds(5)))
      << "idle keep-alive connections close at once";

  ASSERT_TRUE(probe.send("\r\n"));
  auto readyz = probe.read_reply();
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 503);
  EXPECT_EQ(readyz->header("retry-after"), "1");
  EXPECT_EQ(readyz->header("connection"), "close");

  EXPECT_TRUE(eventually([&] { return !Connection(port_).connected(); }))
      << "the listener is closed";

  released_ = true;
  auto held = in_flight.read_reply();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->status, 200);
  EXPECT_EQ(held->body, R"({"held":true})");
  EXPECT_EQ(held->header("connection"), "close");
  EXPECT_TRUE(drained.get());
}

TEST_F(ShutdownTest, DrainGivesUpAtTheGraceDeadline) {
  Connection in_flight(port_);
  ASSERT_TRUE(in_flight.send(build_request("GET", "/test/hold")));
  ASSERT_TRUE(eventually([&] { return entered_.load(); }));
  EXPECT_FALSE(app_->shutdown(std::chrono::milliseconds(50)));
  released_ = true;
}

}  // namespace
}  // namespace ferr
