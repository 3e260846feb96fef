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

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <utility>

#include "core/log.hpp"
#include "core/thread_name.hpp"

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

// The acceptor has a thread of its own. Asio allocates the reactor state of each socket where
// the socket is opened (the accepting thread) and keeps it for reuse after the socket closes; on
// a thread that also serves connections those small blocks would lie scattered among the
// connections' freed memory and keep its pages resident. Here they lie packed together.
struct Server::Acceptor {
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(context);
  asio::ip::tcp::acceptor acceptor{context};
  asio::steady_timer retry_timer{context};
  asio::steady_timer trim_timer{context};
  std::size_t next_worker = 0;
  std::thread thread;
};

namespace {
// Memory is handed back to the system once this many connections have closed since the most
// that were open (a wave of idle connections timing out), not on every close: connection churn
// under load would otherwise trim all the time.
constexpr std::size_t kTrimAfterClosed = 64;
// The one trim of a wave waits until no connection has closed for this long, so that the memory
// of the wave's last connections goes back too (under load a wave's closes spread out: trimming a
// fixed delay after the first of them left the rest in the allocator's arenas)...
constexpr std::chrono::milliseconds kTrimDelay{250};
// ...but no longer than this after the first, so that steady churn is trimmed as well.
constexpr std::chrono::milliseconds kTrimMaxDelay{2000};
}  // namespace

Server::Server(ServerOptions options, Dispatcher& dispatcher)
    : options_(std::move(options)), dispatcher_(dispatcher) {
  if (options_.threads == 0) options_.threads = 1;
  if (options_.max_connections == 0) options_.max_connections = 1;
  if (options_.max_connections_per_client == 0) options_.max_connections_per_client = 1;
  for (std::size_t i = 0; i < options_.threads; ++i) workers_.push_back(std::make_unique<Worker>());
  acceptor_ = std::make_unique<Acceptor>();
  if (options_.metrics) {
    const char* help = "connections closed at once because a cap was reached";
    refused_total_ = &options_.metrics->counter("http_connections_refused_total", help,
                                                {{"cap", "FERRLABS_MAX_CONNECTIONS"}});
    refused_per_client_ = &options_.metrics->counter(
        "http_connections_refused_total", help, {{"cap", "FERRLABS_MAX_CONNECTIONS_PER_CLIENT"}});
    options_.metrics->gauge("http_connections_open", "connections open now",
                            [this] { return static_cast<double>(open_connections_.load()); });
  }
}

Server::~Server() {
  shutdown(std::chrono::milliseconds(0));
  // The registry may outlive the server: its gauge must not read a destroyed one.
  if (options_.metrics)
    options_.metrics->gauge("http_connections_open", "connections open now", [] { return 0.0; });
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
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    workers_[i]->thread = std::thread([&ctx = workers_[i]->context] { ctx.run(); });
    core::name_thread(workers_[i]->thread, "ferr-io-" + std::to_string(i));
  }
  acceptor_->thread = std::thread([&ctx = acceptor_->context] { ctx.run(); });
  core::name_thread(acceptor_->thread, "ferr-accept");
  return {};
}

void Server::accept_next() {
  // Accepted sockets are spread round-robin over the I/O contexts; each connection then lives
  // on one thread for its whole life, so its state needs no locks.
  Worker& worker = *workers_[acceptor_->next_worker++ % workers_.size()];
  acceptor_->acceptor.async_accept(
      worker.context, [this, &worker](boost::system::error_code ec, asio::ip::tcp::socket socket) {
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
        auto peer = socket.remote_endpoint(ignored).address();
        if (!admit(peer)) {
          // Over a cap: closed before anything is read or allocated for it. Answering would mean
          // reading a request first, which is the very resource the cap protects.
          socket.close(ignored);
          accept_next();
          return;
        }
        socket.set_option(asio::ip::tcp::no_delay(true), ignored);
        // The session starts on its own thread, so that its memory comes from that thread's heap.
        asio::post(worker.context, [this, &worker, socket = std::move(socket),
                                    place = Admitted(*this, peer)]() mutable {
          SessionEnv env{dispatcher_,     options_.limits,   draining_,
                         worker.registry, busy_connections_, place.hand_over()};
          asio::co_spawn(worker.context, run_session(std::move(socket), std::move(env)),
                         asio::detached);
        });
        accept_next();
      });
}

Server::Admitted::Admitted(Server& server, asio::ip::address peer)
    : server_(&server), peer_(peer) {}

Server::Admitted::Admitted(Admitted&& other) noexcept
    : server_(std::exchange(other.server_, nullptr)), peer_(std::move(other.peer_)) {}

Server::Admitted::~Admitted() {
  if (server_) server_->release(peer_);
}

std::function<void()> Server::Admitted::hand_over() {
  return [server = std::exchange(server_, nullptr), peer = peer_] { server->release(peer); };
}

bool Server::admit(const asio::ip::address& peer) {
  // Only the acceptor's thread admits, so the total cannot be overshot between load and add.
  if (open_connections_.load() >= options_.max_connections) {
    if (refused_total_) refused_total_->inc();
    return false;
  }
  {
    std::lock_guard lock(clients_mutex_);
    std::size_t& count = clients_[peer];
    if (count >= options_.max_connections_per_client) {
      if (refused_per_client_) refused_per_client_->inc();
      return false;
    }
    ++count;
  }
  std::size_t open = open_connections_.fetch_add(1) + 1;
  std::size_t peak = peak_since_trim_.load();
  while (open > peak && !peak_since_trim_.compare_exchange_weak(peak, open)) {
  }
  return true;
}

void Server::release(const asio::ip::address& peer) {
  {
    std::lock_guard lock(clients_mutex_);
    auto it = clients_.find(peer);
    if (it != clients_.end() && --it->second == 0) clients_.erase(it);
  }
  last_close_ticks_.store(std::chrono::steady_clock::now().time_since_epoch().count());
  std::size_t open = open_connections_.fetch_sub(1) - 1;
  if (open == 0) {
    std::lock_guard lock(closed_mutex_);
    closed_.notify_all();
  }
  if (peak_since_trim_.load() >= open + kTrimAfterClosed) schedule_trim();
}

void Server::schedule_trim() {
  // Never during shutdown: the acceptor's context may already be going away.
  if (draining_.load() || trim_scheduled_.exchange(true)) return;
  auto first = std::chrono::steady_clock::now();
  asio::post(acceptor_->acceptor.get_executor(), [this, first] { trim_when_quiet(first); });
}

void Server::trim_when_quiet(std::chrono::steady_clock::time_point first) {
  acceptor_->trim_timer.expires_after(kTrimDelay);
  acceptor_->trim_timer.async_wait([this, first](boost::system::error_code ec) {
    auto now = std::chrono::steady_clock::now();
    auto last_close = std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(last_close_ticks_.load()));
    if (!ec && now - last_close < kTrimDelay && now - first < kTrimMaxDelay) {
      trim_when_quiet(first);  // the wave is still closing
      return;
    }
    peak_since_trim_.store(open_connections_.load());
    trim_scheduled_.store(false);
    if (ec) return;
      // glibc keeps freed memory in its arenas (one per thread) for reuse; after a wave of
      // connections has gone, hand it back so the resident size falls to where it was.
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
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
    acceptor_->trim_timer.cancel();
  });
  for (auto& w : workers_) asio::post(w->context, [&w] { w->registry.close_idle(); });

  bool drained = true;
  if (started) {
    std::unique_lock lock(closed_mutex_);
    drained = closed_.wait_for(lock, grace, [this] { return open_connections_.load() == 0; });
  }
  acceptor_->guard.reset();
  acceptor_->context.stop();
  if (acceptor_->thread.joinable()) acceptor_->thread.join();
  for (auto& w : workers_) {
    w->guard.reset();
    w->context.stop();
  }
  for (auto& w : workers_)
    if (w->thread.joinable()) w->thread.join();
  return drained;
}

}  // namespace ferr::http
