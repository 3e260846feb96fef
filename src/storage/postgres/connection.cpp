#include "storage/postgres/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "core/log.hpp"
#include "storage/postgres/conninfo.hpp"
#include "storage/postgres/errors.hpp"

namespace ferr::storage::postgres {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// How often the server checks, during a long statement, whether the client is still there: a
// query that timed out here is closed, and this makes the server stop working on it too.
constexpr std::string_view kServerOptions = "-c client_connection_check_interval=1000";

// libpq prints notices (e.g. "relation already exists, skipping") to stderr, which would break
// the JSON log lines: route them to the log instead.
void log_notice(void* /*unused*/, const char* message) {
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  core::log::debug("postgres notice", {{"message", text}});
}

std::string where(const pg_conn* conn) {
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  return std::string(host ? host : "?") + ":" + (port ? port : "?");
}

bool is_copy(ExecStatusType status) {
  return status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH;
}

bool succeeded(ExecStatusType status) {
  return status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY;
}

// The addresses of `name`, in getaddrinfo's order, without duplicates; none when it cannot be
// resolved by `deadline`. asio runs getaddrinfo on a thread of its own, so the I/O thread
// awaiting this keeps serving.
asio::awaitable<std::vector<std::string>> resolve(const std::string& name,
                                                  Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(executor);
  asio::steady_timer timer(executor, deadline);
  auto [order, resolve_ec, endpoints, timer_ec] =
      co_await asio::experimental::make_parallel_group(
          resolver.async_resolve(name, "", asio::deferred), timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  std::vector<std::string> addresses;
  if (order[0] != 0 || resolve_ec) {
    // Debug only: while DNS is down every connect would log it; the pool logs the outage once.
    core::log::debug("postgres host name not resolved",
                     {{"host", name},
                      {"detail", order[0] != 0 ? std::string("timed out") : resolve_ec.message()}});
    co_return addresses;
  }
  for (const auto& entry : endpoints) {
    std::string address = entry.endpoint().address().to_string();
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
      addresses.push_back(std::move(address));
  }
  co_return addresses;
}

}  // namespace

asio::awaitable<core::Result<std::unique_ptr<Connection>>> Connection::connect(
    ConnectOptions options) {
  const auto deadline = Clock::now() + options.connect_timeout;
  auto parsed = parse_conninfo(options.url);
  if (!parsed) co_return core::fail(std::move(parsed.error()));
  ResolvedNames resolved;
  for (const auto& name : names_to_resolve(*parsed)) {
    resolved.emplace(name, co_await resolve(name, deadline));
  }
  auto info = with_host_addresses(std::move(*parsed), resolved);
  if (!info) co_return core::fail(std::move(info.error()));
  // Defaults that the URL's own parameters override.
  if (!info->find("application_name")) info->set("application_name", options.application_name);
  if (!info->find("options")) info->set("options", std::string(kServerOptions));
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [keyword, value] : info->options) {
    keywords.push_back(keyword.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  std::unique_ptr<pg_conn, decltype(&PQfinish)> conn(
      PQconnectStartParams(keywords.data(), values.data(), 0), &PQfinish);
  if (!conn) co_return core::fail(unavailable("postgres connect: out of memory"));
  if (PQstatus(conn.get()) == CONNECTION_BAD) {
    co_return core::fail(connection_error(conn.get(), "connect"));
  }
  // libpq's own connect_timeout only applies to blocking connects: the deadline is ours.
  PostgresPollingStatusType polled = PGRES_POLLING_WRITING;
  while (polled != PGRES_POLLING_OK) {
    if (polled == PGRES_POLLING_FAILED) {
      co_return core::fail(connection_error(conn.get(), "connect"));
    }
    // The socket may change between polls (another address, a retry without SSL): ask anew.
    Readiness ready = co_await wait_for_socket(
        PQsocket(conn.get()), polled == PGRES_POLLING_READING ? Interest::read : Interest::write,
        deadline);
    if (ready == Readiness::timed_out) {
      co_return core::fail(unavailable("postgres connect: no answer from " + where(conn.get()) +
                                       " within " +
                                       std::to_string(options.connect_timeout.count()) + " ms"));
    }
    if (ready == Readiness::failed) co_return core::fail(connection_error(conn.get(), "connect"));
    polled = PQconnectPoll(conn.get());
  }
  if (PQsetnonblocking(conn.get(), 1) != 0) {
    co_return core::fail(connection_error(conn.get(), "set non-blocking"));
  }
  PQsetNoticeProcessor(conn.get(), &log_notice, nullptr);
  co_return std::unique_ptr<Connection>(new Connection(conn.release(), options.query_timeout));
}

Connection::Connection(pg_conn* conn, std::chrono::milliseconds query_timeout)
    : conn_(conn), query_timeout_(query_timeout) {}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::usable() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }

bool Connection::idle() const {
  return usable() && PQtransactionStatus(conn_) == PQTRANS_IDLE &&
         PQpipelineStatus(conn_) == PQ_PIPELINE_OFF;
}

bool Connection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

int Connection::backend_pid() const { return PQbackendPID(conn_); }

std::string Connection::host_address() const {
  const char* address = PQhostaddr(conn_);
  return address ? address : "";
}

bool Connection::check_alive() {
  // With pipelined calls in flight, what arrives is theirs to read.
  if (!usable() || !turns_.empty()) return usable();
  // Something may have arrived while unused: a notice, or a server's goodbye (an error, then
  // EOF). One read may stop before the EOF, so read until the socket has nothing more; bounded,
  // in case a server keeps sending notices.
  for (int reads = 0; reads < 16 && usable(); ++reads) {
    pollfd socket{PQsocket(conn_), POLLIN, 0};
    if (::poll(&socket, 1, 0) <= 0) break;  // nothing (more) to read: as good as we can tell
    if (PQconsumeInput(conn_) == 0) broken_ = true;
    PQisBusy(conn_);  // parses what arrived, so notices are handled and the buffer is emptied
  }
  return usable();
}

core::Error Connection::broken(core::Error error) {
  broken_ = true;
  return error;
}

core::Error Connection::lost(std::string_view what) {
  if (timed_out_) {
    return broken(unavailable("postgres " + std::string(what) + ": no answer within " +
                              std::to_string(query_timeout_.count()) + " ms"));
  }
  return broken(connection_error(conn_, what));
}

asio::awaitable<Readiness> Connection::wait(Interest interest, Deadline deadline) {
  ++socket_waits_;
  Readiness ready = co_await wait_for_socket(PQsocket(conn_), interest, deadline);
  if (ready == Readiness::timed_out) timed_out_ = true;
  co_return ready;
}

asio::awaitable<core::Result<void>> Connection::flush(Deadline deadline) {
  for (;;) {
    int pending = PQflush(conn_);
    if (pending == 0) co_return core::Result<void>{};
    if (pending < 0) co_return core::fail(lost("send"));
    // Reading while sending: a server busy answering a long pipeline stops reading until its
    // answers are read, and both sides would wait on each other.
    Readiness ready = co_await wait(Interest::read_or_write, deadline);
    if (ready == Readiness::timed_out || ready == Readiness::failed) {
      co_return core::fail(lost("send"));
    }
    if (ready == Readiness::readable && PQconsumeInput(conn_) == 0) {
      co_return core::fail(lost("read"));
    }
  }
}

asio::awaitable<core::Result<pg_result*>> Connection::next_result(Deadline deadline) {
  while (PQisBusy(conn_) != 0) {
    // Pipelined calls (pipelined_query) may have left output that the socket did not take.
    const int unsent = PQflush(conn_);
    if (unsent < 0) co_return core::fail(lost("send"));
    Readiness ready = co_await wait(unsent ? Interest::read_or_write : Interest::read, deadline);
    if (ready == Readiness::timed_out || ready == Readiness::failed) {
      co_return core::fail(lost("read"));
    }
    if (ready == Readiness::readable && PQconsumeInput(conn_) == 0) {
      co_return core::fail(lost("read"));
    }
  }
  co_return PQgetResult(conn_);
}

core::Error Connection::send_failed(std::string_view what) {
  // Nothing was sent unless the connection itself failed (too many parameters, say).
  if (PQstatus(conn_) == CONNECTION_BAD) return lost("send " + std::string(what));
  return core::Error::database("postgres send " + std::string(what) + ": " +
                               std::string(PQerrorMessage(conn_)));
}

asio::awaitable<core::Result<QueryResult>> Connection::query(std::string_view sql,
                                                             std::vector<Param> params) {
  std::vector<Statement> one;
  one.push_back(Statement{sql, std::move(params)});
  auto results = co_await exchange(one, "query", false);
  if (!results) co_return core::fail(std::move(results.error()));
  co_return std::move(results->front());
}

asio::awaitable<core::Result<std::vector<QueryResult>>> Connection::pipeline(
    std::vector<Statement> statements) {
  if (statements.empty()) co_return std::vector<QueryResult>{};
  co_return co_await exchange(statements, "pipeline statement", true);
}

core::Result<std::vector<BoundParams>> Connection::bind_all(
    const std::vector<Statement>& statements) {
  std::vector<BoundParams> bound;
  bound.reserve(statements.size());
  for (const Statement& s : statements) {
    auto b = BoundParams::bind(s.params);
    if (!b) return core::fail(b.error());
    bound.push_back(std::move(*b));
  }
  return bound;
}

core::Result<std::vector<Connection::Answer>> Connection::send(
    const std::vector<Statement>& statements, const std::vector<BoundParams>& bound) {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) == 0) {
    return core::fail(lost("enter pipeline mode"));
  }
  std::vector<Answer> answers;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& s = statements[i];
    const std::string* name = nullptr;
    if (!s.params.empty()) {
      if (auto known = prepared_.find(s.sql); known != prepared_.end()) {
        name = &known->second;
      } else if (auto pending = preparing_.find(s.sql); pending != preparing_.end()) {
        name = &pending->second;
      } else if (prepared_.size() + preparing_.size() < kMaxPreparedStatements) {
        std::string text(s.sql);
        std::string given = "ferr_" + std::to_string(++names_given_);
        if (PQsendPrepare(conn_, given.c_str(), text.c_str(), bound[i].count(), nullptr) == 0) {
          return core::fail(lost("pipeline prepare"));  // half a pipeline queued: start afresh
        }
        answers.push_back(Answer{i, true, text});
        name = &preparing_.emplace(std::move(text), std::move(given)).first->second;
      }
    }
    int sent = 0;
    if (name) {
      sent = PQsendQueryPrepared(conn_, name->c_str(), bound[i].count(), bound[i].values(),
                                 bound[i].lengths(), bound[i].formats(), 0);
    } else {
      const std::string text(s.sql);
      sent = PQsendQueryParams(conn_, text.c_str(), bound[i].count(), nullptr, bound[i].values(),
                               bound[i].lengths(), bound[i].formats(), 0);
    }
    if (sent == 0) return core::fail(lost("pipeline send"));
    answers.push_back(Answer{i, false, {}});
  }
  if (PQpipelineSync(conn_) == 0) return core::fail(lost("pipeline sync"));
  ++round_trips_;
  return answers;
}

asio::awaitable<core::Result<std::vector<QueryResult>>> Connection::receive(
    const std::vector<Answer>& answers, std::size_t statements, Deadline deadline,
    std::string_view what, bool numbered) {
  // Each command yields its result then a null; commands after a failure yield
  // PGRES_PIPELINE_ABORTED; the sync point closes the lot.
  std::vector<QueryResult> results(statements);
  std::optional<core::Error> failure;
  for (const Answer& answer : answers) {
    for (;;) {
      auto next = co_await next_result(deadline);
      if (!next) co_return core::fail(next.error());
      if (*next == nullptr) break;
      QueryResult result(*next);
      const ExecStatusType status = PQresultStatus(*next);
      if (answer.preparation) {
        // A preparation outlives the transaction it was made in: once made, it is known from
        // now on; one that failed is forgotten, so that a later call prepares it anew.
        if (auto sent = preparing_.find(answer.text); sent != preparing_.end()) {
          if (succeeded(status))
            prepared_.insert(preparing_.extract(sent));
          else
            preparing_.erase(sent);
        }
      }
      if (succeeded(status)) {
        if (!answer.preparation) results[answer.statement] = std::move(result);
      } else if (is_copy(status) || status == PGRES_PIPELINE_SYNC) {
        co_return core::fail(
            broken(core::Error::database("postgres " + std::string(what) + ": unexpected result")));
      } else if (status != PGRES_PIPELINE_ABORTED && !failure) {
        std::string where(what);
        if (numbered) where += " " + std::to_string(answer.statement + 1);
        failure = result_error(*next, where);
      }
    }
  }
  auto sync = co_await next_result(deadline);
  if (!sync) co_return core::fail(sync.error());
  QueryResult sync_result(*sync);
  if (*sync == nullptr || PQresultStatus(*sync) != PGRES_PIPELINE_SYNC) {
    co_return core::fail(broken(failure.value_or(unavailable("postgres pipeline: lost sync"))));
  }
  if (failure) {
    if (PQstatus(conn_) == CONNECTION_BAD) co_return core::fail(broken(std::move(*failure)));
    co_return core::fail(std::move(*failure));
  }
  co_return results;
}

asio::awaitable<core::Result<std::vector<QueryResult>>> Connection::exchange(
    const std::vector<Statement>& statements, std::string_view what, bool numbered) {
  if (!usable()) {
    co_return core::fail(
        unavailable("postgres " + std::string(what) + ": the connection is broken"));
  }
  const auto deadline = Clock::now() + query_timeout_;
  // Every parameter is converted before anything is sent, so a bad one leaves nothing queued.
  auto bound = bind_all(statements);
  if (!bound) co_return core::fail(std::move(bound.error()));
  auto answers = send(statements, *bound);
  if (!answers) co_return core::fail(std::move(answers.error()));
  if (auto sent = co_await flush(deadline); !sent) co_return core::fail(sent.error());
  auto results = co_await receive(*answers, statements.size(), deadline, what, numbered);
  // Only the connection's broken state can keep it from leaving pipeline mode now that the sync
  // point was read: the simple protocol (execute_script) needs it left.
  if (usable() && PQexitPipelineMode(conn_) == 0) {
    co_return core::fail(broken(unavailable("postgres pipeline: could not leave pipeline mode")));
  }
  co_return results;
}

/// A pipelined call's place in line (`turns_`, oldest first): it reads its answers once every
/// call sent before it has read theirs. Leaving the line wakes the next call. A call that leaves
/// without its answers read to the sync point (it timed out, failed mid-way, or was destroyed
/// suspended) leaves answers nobody will read: the connection is broken from then on.
class Connection::Turn {
 public:
  Turn(Connection& connection, const asio::any_io_executor& executor, Deadline deadline)
      : connection_(connection), timer_(executor, deadline) {
    connection_.turns_.push_back(this);
  }
  ~Turn() {
    auto& turns = connection_.turns_;
    const bool first = turns.front() == this;
    std::erase(turns, this);
    if (!answered_) connection_.broken_ = true;
    // A call destroyed while suspended is torn down with its event loop (shutdown), and so are
    // the calls behind it: their timers cannot be woken any more.
    if (first && left_ && !turns.empty()) turns.front()->timer_.cancel();
  }
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;

  /// Waits until every call sent before this one has been answered; false at the deadline.
  asio::awaitable<bool> wait() {
    while (connection_.turns_.front() != this) {
      auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!ec) co_return connection_.turns_.front() == this;  // the deadline passed
    }
    co_return true;
  }
  /// Called on the way out; `answered`: the call read its answers to the sync point.
  void leave(bool answered) {
    left_ = true;
    answered_ = answered;
  }

 private:
  Connection& connection_;
  asio::steady_timer timer_;
  bool left_ = false;
  bool answered_ = false;
};

asio::awaitable<core::Result<QueryResult>> Connection::pipelined_query(std::string_view sql,
                                                                       std::vector<Param> params) {
  if (!usable()) co_return core::fail(unavailable("postgres query: the connection is broken"));
  const auto deadline = Clock::now() + query_timeout_;
  std::vector<Statement> one;
  one.push_back(Statement{sql, std::move(params)});
  auto bound = bind_all(one);
  if (!bound) co_return core::fail(std::move(bound.error()));
  auto answers = send(one, *bound);
  if (!answers) co_return core::fail(std::move(answers.error()));
  // Sends what the socket takes now; the rest goes out while the first call in line reads.
  if (PQflush(conn_) < 0) co_return core::fail(lost("send"));
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  Turn turn(*this, executor, deadline);
  auto results = co_await receive_in_turn(turn, *answers, deadline);
  turn.leave(results || usable());
  if (!results) co_return core::fail(std::move(results.error()));
  co_return std::move(results->front());
}

asio::awaitable<core::Result<std::vector<QueryResult>>> Connection::receive_in_turn(
    Turn& turn, const std::vector<Answer>& answers, Deadline deadline) {
  const bool in_turn = co_await turn.wait();
  if (!in_turn) {
    timed_out_ = true;
    co_return core::fail(lost("query"));
  }
  // A call before this one may have broken the connection: its answers were left unread.
  if (!usable()) co_return core::fail(unavailable("postgres query: the connection is broken"));
  co_return co_await receive(answers, 1, deadline, "query", false);
}

asio::awaitable<core::Result<void>> Connection::execute_script(std::string_view sql) {
  if (!usable()) co_return core::fail(unavailable("postgres script: the connection is broken"));
  const auto deadline = Clock::now() + query_timeout_;
  const std::string text(sql);
  if (PQsendQuery(conn_, text.c_str()) == 0) co_return core::fail(send_failed("script"));
  ++round_trips_;
  if (auto sent = co_await flush(deadline); !sent) co_return core::fail(sent.error());
  // Every result is read, even after a failure, so the connection is ready for the next command.
  std::optional<core::Error> failure;
  for (;;) {
    auto next = co_await next_result(deadline);
    if (!next) co_return core::fail(next.error());
    if (*next == nullptr) break;
    QueryResult result(*next);
    const ExecStatusType status = PQresultStatus(*next);
    if (is_copy(status)) {
      co_return core::fail(broken(core::Error::database("postgres script: COPY is not supported")));
    }
    if (!succeeded(status) && !failure) failure = result_error(*next, "script");
  }
  if (failure) {
    if (PQstatus(conn_) == CONNECTION_BAD) co_return core::fail(broken(std::move(*failure)));
    co_return core::fail(std::move(*failure));
  }
  co_return core::Result<void>{};
}

}  // namespace ferr::storage::postgres
