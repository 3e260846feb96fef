#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/log.hpp"

namespace ferr::http {

namespace asio = boost::asio;

struct Server::Worker {
  // The registry outlives the context: destroying the context destroys suspended sessions,
  // which unregister themselves.
  ConnectionRegistry registry;
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(context);
  std::thread thread;
};

struct Server::Acceptor {
  explicit Acceptor(asio::io_context& ctx) : acceptor(ctx), retry_timer(ctx) {}
  asio::ip::tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  std::size_t next_worker = 0;
};

Server::Server(ServerOptions options, Dispatcher& dispatcher)
    : options_(std::move(options)), dispatcher_(dispatcher) {
  if (options_.threads == 0) options_.threads = 1;
  for (std::size_t i = 0; i < options_.threads; ++i) workers_.push_back(std::make_unique<Worker>());
  acceptor_ = std::make_unique<Acceptor>(workers_.front()->context);
}

Server::~Server() {
  shutdown(std::chrono::milliseconds(0));
  acceptor_.reset();
  workers_.clear();
}

core::Result<void> Server::start() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return core::fail(core::Error::internal("invalid listen address " + options_.host));
  asio::ip::tcp::endpoint endpoint(address, options_.port);
  auto& acc = acceptor_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::fail(core::Error::internal("cannot listen on " + options_.host + ":" +
                                            std::to_string(options_.port) + ": " + ec.message()));
  }
  port_ = acc.local_endpoint().port();
  accept_next();
  for (auto& w : workers_) w->thread = std::thread([&ctx = w->context] { ctx.run(); });
  return {};
}

void Server::accept_next() {
  // Accepted sockets are spread round-robin over the I/O contexts; each connection then lives
  // on one thread for its whole life, so its state needs no locks.
  Worker& worker = *workers_[acceptor_->next_worker++ % workers_.size()];
  acceptor_->acceptor.async_accept(worker.context, [this, &worker](boost::system::error_code ec,
                                                                   asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || draining_) return;
    if (ec) {
      // Out of descriptors or similar: back off instead of spinning on the error.
      core::log::warn("accept failed", {{"error", ec.message()}});
      acceptor_->retry_timer.expires_after(std::chrono::milliseconds(50));
      acceptor_->retry_timer.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec && !draining_) accept_next();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    open_connections_.fetch_add(1);
    SessionEnv env{
        dispatcher_, options_.limits, draining_, worker.registry, busy_connections_, [this] {
          if (open_connections_.fetch_sub(1) == 1) {
            std::lock_guard lock(closed_mutex_);
            closed_.notify_all();
          }
        }};
    asio::co_spawn(worker.context, run_session(std::move(socket), std::move(env)), asio::detached);
    accept_next();
  });
}

bool Server::shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return true;
  stopped_ = true;
  draining_ = true;
  bool started = workers_.front()->thread.joinable();
  asio::post(acceptor_->acceptor.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_->acceptor.close(ignored);
    acceptor_->retry_timer.cancel();
  });
  for (auto& w : workers_) asio::post(w->context, [&w] { w->registry.close_idle(); });

  bool drained = true;
  if (started) {
    std::unique_lock lock(closed_mutex_);
    drained = closed_.wait_for(lock, grace, [this] { return open_connections_.load() == 0; });
  }
  for (auto& w : workers_) {
    w->guard.reset();
    w->context.stop();
  }
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
  return drained;
}

}  // namespace ferr::http
