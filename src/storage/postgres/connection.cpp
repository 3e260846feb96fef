#include "storage/postgres/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <optional>
#include <string>
#include <utility>

#include "core/log.hpp"
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

}  // namespace

asio::awaitable<core::Result<std::unique_ptr<Connection>>> Connection::connect(
    ConnectOptions options) {
  const auto deadline = Clock::now() + options.connect_timeout;
  const std::string server_options(kServerOptions);
  // Entries before `dbname` are defaults that the URL's own parameters override (libpq lets
  // later entries win, and the expanded URL takes the place of `dbname`).
  const char* keywords[] = {"application_name", "options", "dbname", nullptr};
  const char* values[] = {options.application_name.c_str(), server_options.c_str(),
                          options.url.c_str(), nullptr};
  std::unique_ptr<pg_conn, decltype(&PQfinish)> conn(PQconnectStartParams(keywords, values, 1),
                                                     &PQfinish);
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

bool Connection::idle() const { return usable() && PQtransactionStatus(conn_) == PQTRANS_IDLE; }

int Connection::backend_pid() const { return PQbackendPID(conn_); }

bool Connection::check_alive() {
  if (!usable()) return false;
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
    Readiness ready = co_await wait(Interest::read, deadline);
    if (ready == Readiness::timed_out || ready == Readiness::failed) {
      co_return core::fail(lost("read"));
    }
    if (PQconsumeInput(conn_) == 0) co_return core::fail(lost("read"));
  }
  co_return PQgetResult(conn_);
}

core::Error Connection::send_failed(std::string_view what) {
  // Nothing was sent unless the connection itself failed (too many parameters, say).
  if (PQstatus(conn_) == CONNECTION_BAD) return lost("send " + std::string(what));
  return core::Error::database("postgres send " + std::string(what) + ": " +
                               std::string(PQerrorMessage(conn_)));
}

asio::awaitable<core::Result<std::optional<QueryResult>>> Connection::finish_command(
    Deadline deadline, std::string_view what) {
  if (auto sent = co_await flush(deadline); !sent) co_return core::fail(sent.error());
  // Every result is read, even after a failure, so the connection is ready for the next command.
  std::optional<QueryResult> outcome;
  std::optional<core::Error> failure;
  for (;;) {
    auto next = co_await next_result(deadline);
    if (!next) co_return core::fail(next.error());
    if (*next == nullptr) break;
    QueryResult result(*next);
    ExecStatusType status = PQresultStatus(*next);
    if (is_copy(status)) {
      co_return core::fail(broken(
          core::Error::database("postgres " + std::string(what) + ": COPY is not supported")));
    }
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY) {
      outcome = std::move(result);
    } else if (!failure) {
      failure = result_error(*next, what);
    }
  }
  if (failure) {
    if (PQstatus(conn_) == CONNECTION_BAD) co_return core::fail(broken(std::move(*failure)));
    co_return core::fail(std::move(*failure));
  }
  co_return outcome;
}

asio::awaitable<core::Result<QueryResult>> Connection::query(std::string_view sql,
                                                             std::vector<Param> params) {
  if (!usable()) co_return core::fail(unavailable("postgres query: the connection is broken"));
  const auto deadline = Clock::now() + query_timeout_;
  auto bound = BoundParams::bind(params);
  if (!bound) co_return core::fail(bound.error());
  const std::string* prepared = nullptr;
  if (!params.empty()) {
    auto name = co_await prepared_name(sql, static_cast<int>(params.size()), deadline);
    if (!name) co_return core::fail(name.error());
    prepared = *name;
  }
  int sent = 0;
  if (prepared) {
    sent = PQsendQueryPrepared(conn_, prepared->c_str(), bound->count(), bound->values(), nullptr,
                               nullptr, 0);
  } else {
    const std::string text(sql);
    sent = PQsendQueryParams(conn_, text.c_str(), bound->count(), nullptr, bound->values(), nullptr,
                             nullptr, 0);
  }
  if (sent == 0) co_return core::fail(send_failed("query"));
  auto outcome = co_await finish_command(deadline, "query");
  if (!outcome) co_return core::fail(outcome.error());
  if (!*outcome) co_return core::fail(core::Error::database("postgres query: no result"));
  co_return std::move(**outcome);
}

asio::awaitable<core::Result<const std::string*>> Connection::prepared_name(std::string_view sql,
                                                                            int parameters,
                                                                            Deadline deadline) {
  if (auto known = prepared_.find(std::string(sql)); known != prepared_.end())
    co_return &known->second;
  if (prepared_.size() >= kMaxPreparedStatements) co_return nullptr;  // unnamed from now on
  std::string name = "ferr_";
  name += std::to_string(prepared_.size() + 1);
  const std::string text(sql);
  if (PQsendPrepare(conn_, name.c_str(), text.c_str(), parameters, nullptr) == 0)
    co_return core::fail(send_failed("prepare"));
  auto outcome = co_await finish_command(deadline, "prepare");
  if (!outcome) co_return core::fail(outcome.error());
  auto [entry, inserted] = prepared_.emplace(text, std::move(name));
  co_return &entry->second;
}

asio::awaitable<core::Result<std::vector<QueryResult>>> Connection::pipeline(
    std::vector<Statement> statements) {
  if (statements.empty()) co_return std::vector<QueryResult>{};
  if (!usable()) co_return core::fail(unavailable("postgres pipeline: the connection is broken"));
  const auto deadline = Clock::now() + query_timeout_;
  // Every parameter is converted before anything is sent, so a bad one leaves nothing queued.
  std::vector<BoundParams> bound;
  bound.reserve(statements.size());
  for (const Statement& s : statements) {
    auto b = BoundParams::bind(s.params);
    if (!b) co_return core::fail(b.error());
    bound.push_back(std::move(*b));
  }
  if (PQenterPipelineMode(conn_) == 0) co_return core::fail(lost("enter pipeline mode"));
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (PQsendQueryParams(conn_, statements[i].sql.c_str(), bound[i].count(), nullptr,
                          bound[i].values(), nullptr, nullptr, 0) == 0) {
      co_return core::fail(lost("pipeline send"));  // half a pipeline queued: start afresh
    }
  }
  if (PQpipelineSync(conn_) == 0) co_return core::fail(lost("pipeline sync"));
  if (auto sent = co_await flush(deadline); !sent) co_return core::fail(sent.error());

  // Each statement yields its result then a null; statements after a failure yield
  // PGRES_PIPELINE_ABORTED; the sync point closes the lot.
  std::vector<QueryResult> results;
  results.reserve(statements.size());
  std::optional<core::Error> failure;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    for (;;) {
      auto next = co_await next_result(deadline);
      if (!next) co_return core::fail(next.error());
      if (*next == nullptr) break;
      QueryResult result(*next);
      ExecStatusType status = PQresultStatus(*next);
      if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        results.push_back(std::move(result));
      } else if (is_copy(status) || status == PGRES_PIPELINE_SYNC) {
        co_return core::fail(broken(core::Error::database("postgres pipeline: unexpected result")));
      } else if (status != PGRES_PIPELINE_ABORTED && !failure) {
        failure = result_error(*next, "pipeline statement " + std::to_string(i + 1));
      }
    }
  }
  auto sync = co_await next_result(deadline);
  if (!sync) co_return core::fail(sync.error());
  QueryResult sync_result(*sync);
  if (*sync == nullptr || PQresultStatus(*sync) != PGRES_PIPELINE_SYNC ||
      PQexitPipelineMode(conn_) == 0) {
    co_return core::fail(broken(failure.value_or(unavailable("postgres pipeline: lost sync"))));
  }
  if (failure) {
    if (PQstatus(conn_) == CONNECTION_BAD) co_return core::fail(broken(std::move(*failure)));
    co_return core::fail(std::move(*failure));
  }
  co_return results;
}

asio::awaitable<core::Result<void>> Connection::execute_script(std::string_view sql) {
  if (!usable()) co_return core::fail(unavailable("postgres script: the connection is broken"));
  const auto deadline = Clock::now() + query_timeout_;
  const std::string text(sql);
  if (PQsendQuery(conn_, text.c_str()) == 0) co_return core::fail(send_failed("script"));
  auto outcome = co_await finish_command(deadline, "script");
  if (!outcome) co_return core::fail(outcome.error());
  co_return core::Result<void>{};
}

}  // namespace ferr::storage::postgres
