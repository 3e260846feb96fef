#include "storage/postgres/pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <mutex>
#include <utility>

#include "core/log.hpp"
#include "storage/postgres/errors.hpp"

namespace ferr::storage::postgres {

namespace asio = boost::asio;

namespace detail {

// An acquire waiting for a busy pool. A lease that ends hands its connection (or, when the
// connection was closed, its free slot) straight to the oldest waiter, then wakes it by
// cancelling its timer on the waiter's own executor; the timer expiring instead means timeout.
struct Waiter {
  Waiter(const asio::any_io_executor& executor, std::chrono::steady_clock::time_point deadline)
      : timer(executor, deadline) {}
  asio::steady_timer timer;
  bool handed = false;                     // guarded by PoolState::mutex
  std::unique_ptr<Connection> connection;  // null when handed: a free slot to connect on
};

struct PoolState : std::enable_shared_from_this<PoolState> {
  explicit PoolState(PoolOptions o) : options(std::move(o)) {}

  Lease lease(std::unique_ptr<Connection> connection) {
    return Lease(shared_from_this(), std::move(connection));
  }

  void give_back(std::unique_ptr<Connection> connection) {
    if (!connection->idle()) {
      connection.reset();  // closing it rolls back whatever it left open
      free_slot();
      return;
    }
    std::shared_ptr<Waiter> waiter;
    {
      std::lock_guard lock(mutex);
      if (waiters.empty()) {
        idle.push_back(std::move(connection));
        return;
      }
      waiter = pop_waiter();
      waiter->connection = std::move(connection);
    }
    wake(std::move(waiter));
  }

  void free_slot() {
    std::shared_ptr<Waiter> waiter;
    {
      std::lock_guard lock(mutex);
      if (waiters.empty()) {
        --open;
        return;
      }
      waiter = pop_waiter();
    }
    wake(std::move(waiter));
  }

  // Logs only changes of state: a down database would otherwise log once per request.
  void note_reachable(bool now_reachable, const core::Error* error) {
    {
      std::lock_guard lock(mutex);
      if (reachable == now_reachable) return;
      reachable = now_reachable;
    }
    if (now_reachable) {
      core::log::info("postgres reachable again");
    } else {
      core::log::warn("postgres unreachable", {{"detail", error->log_detail}});
    }
  }

  std::shared_ptr<Waiter> pop_waiter() {
    auto waiter = std::move(waiters.front());
    waiters.pop_front();
    waiter->handed = true;
    return waiter;
  }

  // Takes the caller's reference: the waiter's coroutine may end, and its event loop be
  // destroyed, the moment the cancel runs, so no reference may be dropped off that loop (the
  // timer's destructor needs its loop's timer service).
  static void wake(std::shared_ptr<Waiter> waiter) {
    auto executor = waiter->timer.get_executor();
    asio::post(executor, [waiter = std::move(waiter)] { waiter->timer.cancel(); });
  }

  const PoolOptions options;
  mutable std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;
  std::deque<std::shared_ptr<Waiter>> waiters;
  std::size_t open = 0;
  std::size_t peak_open = 0;
  std::uint64_t round_trips = 0;
  bool reachable = true;
};

// A thread's connection for shared_query. Only that thread touches it after the lookup.
struct SharedSlot {
  /// Shared by the calls in flight: a call that finds the connection broken drops it from the
  /// slot while the others still read their answers from it.
  std::shared_ptr<Lease> lease;
  bool connecting = false;
};

}  // namespace detail

namespace {

// A slot counted in `open` while its connection is being made: given back if that fails or the
// coroutine is destroyed meanwhile (shutdown), so the count never leaks.
class SlotGuard {
 public:
  explicit SlotGuard(detail::PoolState& state) : state_(&state) {}
  ~SlotGuard() {
    if (state_) state_->free_slot();
  }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
  void keep() { state_ = nullptr; }

 private:
  detail::PoolState* state_;
};

}  // namespace

Lease::Lease(std::shared_ptr<detail::PoolState> pool, std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)),
      connection_(std::move(connection)),
      round_trips_at_start_(connection_->round_trips()) {}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
    round_trips_at_start_ = other.round_trips_at_start_;
  }
  return *this;
}

Lease::~Lease() { give_back(); }

void Lease::count_round_trips() {
  if (!pool_ || !connection_) return;
  const std::uint64_t now = connection_->round_trips();
  {
    std::lock_guard lock(pool_->mutex);
    pool_->round_trips += now - round_trips_at_start_;
  }
  round_trips_at_start_ = now;
}

void Lease::give_back() {
  if (pool_ && connection_) {
    count_round_trips();
    pool_->give_back(std::move(connection_));
  }
  pool_.reset();
}

Pool::Pool(PoolOptions options) : state_(std::make_shared<detail::PoolState>(std::move(options))) {}

Pool::~Pool() {
  shared_.clear();  // their leases go back to the pool first, and are closed with it
  std::vector<std::unique_ptr<Connection>> closing;
  std::lock_guard lock(state_->mutex);
  closing.swap(state_->idle);
  state_->open -= std::min(state_->open, closing.size());
}

std::size_t Pool::max_size() const { return state_->options.max_size; }

PoolStats Pool::stats() const {
  std::lock_guard lock(state_->mutex);
  return {state_->open, state_->idle.size(), state_->peak_open, state_->waiters.size(),
          state_->round_trips};
}

asio::awaitable<core::Result<Lease>> Pool::acquire() {
  const std::shared_ptr<detail::PoolState> state = state_;  // outlives a pool destroyed early
  const auto deadline = std::chrono::steady_clock::now() + state->options.acquire_timeout;
  const auto executor = co_await asio::this_coro::executor;
  std::unique_ptr<Connection> connection;
  std::shared_ptr<detail::Waiter> waiter;
  {
    std::lock_guard lock(state->mutex);
    if (!state->idle.empty()) {
      connection = std::move(state->idle.back());  // the most recently used: likely still warm
      state->idle.pop_back();
    } else if (state->open < state->options.max_size) {
      state->peak_open = std::max(state->peak_open, ++state->open);
    } else {
      waiter = std::make_shared<detail::Waiter>(executor, deadline);
      state->waiters.push_back(waiter);
    }
  }
  if (waiter) {
    co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock(state->mutex);
    if (!waiter->handed) {
      std::erase(state->waiters, waiter);
      co_return core::fail(
          unavailable("postgres pool: all " + std::to_string(state->options.max_size) +
                      " connections stayed busy for " +
                      std::to_string(state->options.acquire_timeout.count()) + " ms"));
    }
    connection = std::move(waiter->connection);
  }
  // From here on this acquire owns a slot: its connection's, or a free one.
  SlotGuard slot(*state);
  if (connection) {
    if (connection->check_alive()) {
      slot.keep();
      co_return state->lease(std::move(connection));
    }
    connection.reset();  // closed by the server (a restart, say): reconnect on its slot
  }
  auto made = co_await Connection::connect(state->options.connection);
  if (!made) {
    state->note_reachable(false, &made.error());
    co_return core::fail(std::move(made.error()));
  }
  state->note_reachable(true, nullptr);
  slot.keep();
  co_return state->lease(std::move(*made));
}

asio::awaitable<core::Result<QueryResult>> Pool::query(std::string_view sql,
                                                       std::vector<Param> params) {
  auto lease = co_await acquire();
  if (!lease) co_return core::fail(std::move(lease.error()));
  co_return co_await (*lease)->query(sql, std::move(params));
}

std::shared_ptr<detail::SharedSlot> Pool::shared_slot() {
  std::lock_guard lock(shared_mutex_);
  const auto thread = std::this_thread::get_id();
  if (auto found = shared_.find(thread); found != shared_.end()) return found->second;
  if (shared_.size() >= state_->options.shared_connections) return nullptr;
  return shared_.emplace(thread, std::make_shared<detail::SharedSlot>()).first->second;
}

asio::awaitable<core::Result<QueryResult>> Pool::shared_query(std::string_view sql,
                                                              std::vector<Param> params) {
  const std::shared_ptr<detail::SharedSlot> slot = shared_slot();
  if (!slot || slot->connecting) co_return co_await query(sql, std::move(params));
  // Closed by the server while unused (a restart, say): made anew, as acquire does.
  if (slot->lease && !(*slot->lease)->check_alive()) slot->lease.reset();
  if (!slot->lease) {
    slot->connecting = true;
    auto lease = co_await acquire();
    slot->connecting = false;
    if (!lease) co_return core::fail(std::move(lease.error()));
    slot->lease = std::make_shared<Lease>(std::move(*lease));
  }
  const std::shared_ptr<Lease> lease = slot->lease;
  auto result = co_await (*lease)->pipelined_query(sql, std::move(params));
  lease->count_round_trips();
  if (!(*lease)->usable() && slot->lease == lease) slot->lease.reset();
  co_return result;
}

asio::awaitable<core::Result<std::vector<QueryResult>>> Pool::pipeline(
    std::vector<Statement> statements) {
  auto lease = co_await acquire();
  if (!lease) co_return core::fail(std::move(lease.error()));
  co_return co_await (*lease)->pipeline(std::move(statements));
}

}  // namespace ferr::storage::postgres
