#include "storage/postgres/transaction.hpp"

namespace ferr::storage::postgres {
namespace {

constexpr std::string_view begin_statement(Isolation isolation) {
  switch (isolation) {
    case Isolation::read_committed: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Isolation::repeatable_read: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case Isolation::serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
  }
  return "BEGIN";
}

}  // namespace

core::Task<core::Result<std::vector<QueryResult>>> Transaction::pipeline(
    std::vector<Statement> statements) {
  co_return co_await send(std::move(statements), false);
}

core::Task<core::Result<QueryResult>> Transaction::query(std::string_view sql,
                                                         std::vector<Param> params) {
  std::vector<Statement> one;
  one.push_back(Statement{sql, std::move(params)});
  auto results = co_await send(std::move(one), false);
  if (!results) co_return core::fail(std::move(results.error()));
  co_return std::move(results->front());
}

core::Task<core::Result<std::vector<QueryResult>>> Transaction::commit_with(
    std::vector<Statement> statements) {
  if (state_ == State::not_begun && statements.empty()) {
    state_ = State::ended;  // nothing was read or written: nothing to commit
    co_return std::vector<QueryResult>{};
  }
  co_return co_await send(std::move(statements), true);
}

core::Task<void> Transaction::rollback() {
  const bool was_open = state_ == State::open;
  state_ = State::ended;
  // The server's word, not ours: a failed COMMIT has already ended the transaction there.
  if (!was_open || !connection_->usable() || !connection_->in_transaction()) co_return;
  co_await connection_->query("ROLLBACK");
}

core::Task<core::Result<std::vector<QueryResult>>> Transaction::send(
    std::vector<Statement> statements, bool commit) {
  if (state_ == State::ended) {
    co_return core::fail(core::Error::internal("postgres transaction: used after it ended"));
  }
  const bool begin = state_ == State::not_begun;
  std::vector<Statement> all;
  all.reserve(statements.size() + 2);
  if (begin) all.push_back(Statement{begin_statement(isolation_), {}});
  for (auto& s : statements) all.push_back(std::move(s));
  if (commit) all.push_back(Statement{"COMMIT", {}});
  // Open from here on, whatever happens: the server may have begun even if the answer is lost.
  state_ = State::open;
  auto results = co_await connection_->pipeline(std::move(all));
  if (!results) co_return core::fail(std::move(results.error()));
  if (commit) {
    state_ = State::ended;
    // COMMIT of a transaction in which a statement failed rolls back instead, and says so.
    if (results->back().command_tag() != "COMMIT") {
      co_return core::fail(core::Error::database(
          "postgres transaction: a statement failed inside it, so COMMIT rolled back"));
    }
    results->pop_back();
  }
  if (begin) results->erase(results->begin());
  co_return std::move(*results);
}

}  // namespace ferr::storage::postgres
